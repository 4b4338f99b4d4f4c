/** TypeScript/JavaScript profiles → module reports (same ModuleReport shape as Python's). */
import type { ModuleReport, Verdict } from '../model.js';
import { classifyTsModule } from './classify.js';
import { buildScriptImportGraph } from './import-graph.js';
import type { TsFileProfile } from './profile.js';

export function scriptModuleReports(profiles: TsFileProfile[], componentOf: (path: string) => string | null): ModuleReport[] {
  const graph = buildScriptImportGraph(profiles);
  return profiles.map((p): ModuleReport => {
    const importedBy = [...(graph.importedBy.get(p.path) ?? [])].sort();
    const fanOut = graph.imports.get(p.path)?.size ?? 0;
    const c = classifyTsModule(p, { fanIn: importedBy.length });
    return {
      path: p.path, language: p.language, component: componentOf(p.path), verdict: c.verdict, score: c.score,
      confidence: c.confidence, loc: p.loc, reasons: c.reasons, functions: c.functions, features: c.features,
      evidence: p.evidence, imports: { fanIn: importedBy.length, fanOut, importedBy }, lines: p.totalLines,
    };
  });
}

const SCRIPT_ORDER: Verdict[] = ['move-to-rust', 'wasm-extension', 'keep-typescript', 'keep-javascript'];

/** An npm package's verdict: its strongest module verdict (keep-typescript when it holds any TypeScript). */
export function scriptComponentVerdict(modules: ModuleReport[]): Verdict | null {
  for (const v of SCRIPT_ORDER) if (modules.some((m) => m.verdict === v)) return v;
  return null;
}
