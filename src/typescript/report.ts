/** TypeScript/JavaScript profiles → module reports (same ModuleReport shape as Python's). */
import { withContentFacts } from '../ci/content-facts.js';
import type { ModuleReport, Verdict, Warning } from '../model.js';
import { classifyTsModule } from './classify.js';
import { buildScriptImportGraph } from './import-graph.js';
import type { TsFileProfile } from './profile.js';

/**
 * One module report per file, with its content fingerprints and suppression comments; malformed
 * `rustscout:` comments are added to `warnings` when given.
 */
export function scriptModuleReports(profiles: TsFileProfile[], componentOf: (path: string) => string | null, warnings?: Warning[]): ModuleReport[] {
  const graph = buildScriptImportGraph(profiles);
  return profiles.map((p): ModuleReport => {
    const importedBy = [...(graph.importedBy.get(p.path) ?? [])].sort();
    const fanOut = graph.imports.get(p.path)?.size ?? 0;
    const c = classifyTsModule(p, { fanIn: importedBy.length });
    for (const problem of p.directiveProblems ?? []) warnings?.push({ path: p.path, message: `line ${problem.line}: ${problem.message}` });
    return withContentFacts({
      path: p.path, language: p.language, component: componentOf(p.path), verdict: c.verdict, score: c.score,
      confidence: c.confidence, loc: p.loc, reasons: c.reasons, functions: c.functions, features: c.features,
      evidence: p.evidence, imports: { fanIn: importedBy.length, fanOut, importedBy }, lines: p.totalLines,
    }, p.content);
  });
}

const SCRIPT_ORDER: Verdict[] = ['move-to-rust', 'wasm-extension', 'keep-typescript', 'keep-javascript'];

/** An npm package's verdict: its strongest module verdict (keep-typescript when it holds any TypeScript). */
export function scriptComponentVerdict(modules: ModuleReport[]): Verdict | null {
  for (const v of SCRIPT_ORDER) if (modules.some((m) => m.verdict === v)) return v;
  return null;
}
