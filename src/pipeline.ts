/**
 * discover ─► parse+detect (per file) ─► link ─► classify ─► report.
 * Reads top to bottom like the diagram in the README.
 */
import { join, posix, resolve } from 'node:path';
import { readManifest, type ManifestFacts } from '../detectors/manifests.js';
import { classifyModule, type WeightOverrides } from './classify/classifier.js';
import { componentOf, findComponents, type Component } from './components.js';
import { discover, type DiscoverOptions } from './discover.js';
import { buildImportGraph } from './link/import-graph.js';
import type { ComponentKind, ComponentReport, ModuleReport, Report, Verdict, Warning } from './model.js';
import type { FileProfile } from './profile.js';
import { analyseFiles, type RustFileProfile } from './analyse-file.js';
import { readSource, DEFAULT_READ_LIMITS, type ReadLimits } from './read-source.js';
import { TOOL_VERSION } from './version.js';

export interface ScanOptions extends DiscoverOptions {
  weights?: WeightOverrides;
  limits?: ReadLimits;
}

async function readManifests(root: string, list: { path: string; kind: ManifestFacts['kind'] }[], warnings: Warning[]): Promise<ManifestFacts[]> {
  const out: ManifestFacts[] = [];
  for (const m of list) {
    const src = await readSource(join(root, m.path));
    if ('error' in src) {
      warnings.push({ path: m.path, message: src.error });
      continue;
    }
    const facts = readManifest(m.kind, m.path, src.text);
    for (const w of facts.warnings) warnings.push({ path: m.path, message: w });
    out.push(facts);
  }
  return out;
}

function summarise(modules: ModuleReport[]): Record<string, number> {
  const summary: Record<string, number> = { 'keep-python': 0, 'pyo3-extension': 0, 'move-to-rust': 0 };
  for (const m of modules) summary[m.verdict] = (summary[m.verdict] ?? 0) + 1;
  return summary;
}

const FAMILY: Record<ModuleReport['language'], ComponentKind[]> = {
  python: ['python-package'],
  rust: ['cargo-crate'],
  typescript: ['npm-package'],
  javascript: ['npm-package'],
};

function componentReports(components: Component[], modules: ModuleReport[]): ComponentReport[] {
  return components.map((c) => {
    const own = modules.filter((m) => componentOf(m.path, components, FAMILY[m.language]) === c);
    const summary: Partial<Record<Verdict, number>> = {};
    for (const m of own) summary[m.verdict] = (summary[m.verdict] ?? 0) + 1;
    const deps = [...new Set(c.manifests.flatMap((m) => m.dependencies))].sort();
    const native = [...new Set(c.manifests.flatMap((m) => m.nativeBuild))];
    let verdict: Verdict | null = null;
    if (c.kind === 'cargo-crate') verdict = 'keep-rust';
    else if (own.length) verdict = own.some((m) => m.verdict === 'move-to-rust') ? 'move-to-rust' : own.some((m) => m.verdict === 'pyo3-extension') ? 'pyo3-extension' : 'keep-python';
    const facts: Record<string, string | number | boolean> = {};
    if (native.length) facts.nativeBuild = native.join(',');
    const exported = c.manifests.find((m) => m.exportsModule)?.exportsModule;
    if (exported) facts.exportsPythonModule = exported;
    if (c.manifests.some((m) => m.pyo3)) facts.pyo3 = true;
    return {
      name: c.name, kind: c.kind, path: c.dir || '.', manifests: c.manifests.map((m) => m.path), dependencies: deps,
      modules: own.length, loc: own.reduce((n, m) => n + m.loc, 0), verdict, summary, facts,
    };
  });
}

/** Python modules backed by a repo's own PyO3 crate: they import its module or mirror its functions. */
function nativeBacked(profile: FileProfile, exportedModules: Set<string>, exportedFunctions: Set<string>): string | null {
  for (const imp of profile.imports) {
    const names = [imp.module.split('.').pop() ?? '', ...imp.names];
    const hit = names.find((n) => exportedModules.has(n));
    if (hit) return `imports the repo's PyO3 extension module \`${hit}\` (line ${imp.line})`;
  }
  const mirrored = profile.functions.filter((f) => exportedFunctions.has(f.name));
  if (mirrored.length && exportedModules.size) return `mirrors ${mirrored.length} function(s) the repo's PyO3 crate exports (${mirrored.map((f) => f.name).slice(0, 3).join(', ')})`;
  return null;
}

export async function scan(rootArg: string, options: ScanOptions = {}): Promise<Report> {
  const root = resolve(rootArg);
  const found = discover(root, options);
  const warnings: Warning[] = [...found.warnings];
  const manifests = await readManifests(root, found.manifests, warnings);
  const components = findComponents(manifests, found.packageDirs, posix.basename(root.split('\\').join('/')));

  const results = await analyseFiles(root, found.files.filter((f) => f.language === 'python' || f.language === 'rust'), options.limits ?? DEFAULT_READ_LIMITS);
  const profiles: FileProfile[] = [];
  const rustFiles: RustFileProfile[] = [];
  for (const r of results) {
    warnings.push(...r.warnings);
    if (r.python) profiles.push(r.python);
    if (r.rust) rustFiles.push(r.rust);
  }

  const graph = buildImportGraph(profiles, found.packageDirs);
  const exportedModules = new Set(manifests.filter((m) => m.pyo3 && m.exportsModule).map((m) => m.exportsModule!));
  for (const r of rustFiles) for (const m of r.exports.modules) if (exportedModules.size) exportedModules.add(m.name);
  const exportedFunctions = new Set(rustFiles.flatMap((r) => [...r.exports.functions, ...r.exports.classes].map((f) => f.name)));

  const modules: ModuleReport[] = profiles.map((p) => {
    const importedBy = [...(graph.importedBy.get(p.path) ?? [])].sort();
    const c = classifyModule(p, { fanIn: importedBy.length, fanOut: graph.imports.get(p.path)?.size ?? 0 }, options.weights);
    const backed = nativeBacked(p, exportedModules, exportedFunctions);
    let verdict: Verdict = c.verdict;
    const reasons = c.reasons;
    if (backed && verdict !== 'keep-python') {
      verdict = 'keep-python';
      reasons.unshift({ detector: 'native-bridge', signal: 'native-backed', value: 1, line: 1, message: `already native-backed: ${backed}`, weight: 0, contribution: 0 });
    }
    return {
      path: p.path, language: 'python', component: componentOf(p.path, components, FAMILY.python)?.name ?? null,
      verdict, score: c.score, confidence: c.confidence, loc: p.loc, reasons, functions: c.functions, features: c.features,
      evidence: p.evidence, imports: { fanIn: importedBy.length, fanOut: graph.imports.get(p.path)?.size ?? 0, importedBy },
    };
  });
  for (const r of rustFiles) {
    const exported = [...r.exports.functions, ...r.exports.classes, ...r.exports.modules];
    modules.push({
      path: r.path, language: 'rust', component: componentOf(r.path, components, FAMILY.rust)?.name ?? null,
      verdict: 'keep-rust', score: 0, confidence: 0.9, loc: r.exports.loc,
      reasons: exported.length ? [{ detector: 'native-bridge', signal: 'pyo3-export', value: exported.length, line: exported[0].line, message: `exports ${exported.length} item(s) to Python through PyO3`, weight: 0, contribution: 0 }] : [],
      functions: [], features: {}, evidence: [], imports: { fanIn: 0, fanOut: 0, importedBy: [] },
    });
  }
  modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    schemaVersion: 1, tool: { name: 'rustscout', version: TOOL_VERSION }, root: posix.normalize(root.split('\\').join('/')),
    summary: summarise(modules), components: componentReports(components, modules), modules, warnings,
  };
}
