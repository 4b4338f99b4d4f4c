/**
 * discover ─► parse+detect (per file) ─► link ─► classify ─► report.
 * Reads top to bottom like the diagram in the README.
 */
import { posix, resolve } from 'node:path';
import { classifyModule, type WeightOverrides } from './classify/classifier.js';
import { componentNorms } from './classify/relative.js';
import { componentOf, findComponents, type Component } from './components.js';
import { discover, type DiscoverOptions } from './discover.js';
import { annotateComponentImports, buildImportGraph, missingSourceEvidence, rootPackageName } from './link/import-graph.js';
import { moduleDependencies } from './link/dependencies.js';
import { historyEvidence, readGitHistory, type GitHistory } from './link/git.js';
import type { ComponentKind, ComponentReport, ModuleReport, Report, Verdict, Warning } from './model.js';
import type { FileProfile } from './profile.js';
import type { RustFileProfile, TsFileProfile } from './analyse-file.js';
import { analyseAll } from './pool/analyse-all.js';
import { openScanCache, type ScanCacheOption } from './cache.js';
import { discoverCrates } from './rust/crates.js';
import { applyNativeLink, linkNative, nativeSummary } from './rust/link.js';
import { annotateCrateComponents, rustModuleReports } from './rust/report.js';
import { scriptComponentVerdict, scriptModuleReports } from './typescript/report.js';
import { DEFAULT_ANALYSIS_LIMITS, type AnalysisLimits } from './analysis-limits.js';
import { readManifests } from './manifest-reader.js';
import { TOOL_VERSION } from './version.js';
import { withContentFacts } from './ci/content-facts.js';
import { applyRuntimeProfiles } from './runtime/apply.js';
import type { RuntimeProfile } from './runtime/types.js';
import { attachExcerpts } from './report/html/excerpts.js';
import { readStoredReport, replayKey, reportsStored, storedReportText, storeReport, type ReplayInputs } from './replay.js';

export interface ScanOptions extends DiscoverOptions {
  weights?: WeightOverrides;
  /** Per-file limits: bytes (--max-file-size) and parse time (--max-parse-ms). */
  limits?: AnalysisLimits;
  /** Called after each file is analysed (files done, files in total): the progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Runtime profiles (--profile): measured time replaces the static guess of hotness (src/runtime/). */
  profiles?: RuntimeProfile[];
  /** Quote the source lines behind each module's evidence (for --format html). */
  excerpts?: boolean;
  /** false (--no-git): do not read git history (churn, age, authors). */
  git?: boolean;
  /** Worker threads for the per-file stage (--jobs; default: the cores, 1 = in this thread). */
  jobs?: number;
  /** Per-file result cache (src/cache.ts): `{}` for the default folder, `{ dir }` for --cache-dir; absent or false: none. */
  cache?: ScanCacheOption;
}

/** Git history per file, or null with a warning when it cannot or must not be read. */
async function gitHistoryOf(root: string, options: ScanOptions, warnings: Warning[]): Promise<GitHistory | null> {
  if (options.git === false) {
    warnings.push({ path: '.', code: 'git-history', message: 'git history skipped: --no-git' });
    return null;
  }
  const history = await readGitHistory(root);
  if ('skipped' in history) {
    warnings.push({ path: '.', code: 'git-history', message: history.skipped });
    return null;
  }
  for (const w of history.warnings) warnings.push({ path: '.', code: 'git-history', message: w });
  return history;
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
    else if (c.kind === 'npm-package') verdict = scriptComponentVerdict(own);
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

export async function scan(rootArg: string, options: ScanOptions = {}): Promise<Report> {
  const root = resolve(rootArg);
  const found = discover(root, options);
  const warnings: Warning[] = [...found.warnings];
  const limits = options.limits ?? DEFAULT_ANALYSIS_LIMITS;
  const manifestTexts = new Map<string, string>();
  const manifests = await readManifests(root, found.manifests, warnings, limits, manifestTexts);
  const components = findComponents(manifests, found.packageDirs, posix.basename(root.split('\\').join('/')));

  // git log runs while the files are analysed; its warnings still come after the per-file ones.
  const gitWarnings: Warning[] = [];
  const historyRead = gitHistoryOf(root, options, gitWarnings);
  historyRead.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
  const warningsBefore = warnings.slice();
  const cache = openScanCache(root, options.cache, { limits, weights: options.weights }, warnings);
  // Unchanged-scan replay (src/replay.ts): never with runtime profiles or excerpts, nor when opening the cache warned.
  const replayable = cache !== null && !options.profiles?.length && !options.excerpts && warnings.length === warningsBefore.length
    && found.manifests.every((m) => manifestTexts.has(m.path));
  const replayInputs = (contentHashes: string[], history: GitHistory | null): ReplayInputs => ({
    reportFile: cache!.reportFile, root, found, manifests, manifestTexts, warningsBefore, contentHashes, history, gitWarnings, weights: options.weights,
  });
  const replayProblems: Warning[] = [];
  if (replayable) {
    await reportsStored(); // one this process is still writing
    const unchanged = cache.unchangedHashes(root, found.files);
    if (unchanged) {
      const key = replayKey(replayInputs(unchanged, await historyRead));
      const stored = readStoredReport(cache.reportFile, key, replayProblems);
      if (stored) {
        cache.close(false); // nothing changed: the pack stays as it is
        if (found.files.length) options.onProgress?.(found.files.length, found.files.length);
        return stored;
      }
    }
  }
  const results = await analyseAll(root, found.files, { limits, jobs: options.jobs, cache, onProgress: options.onProgress });
  const profiles: FileProfile[] = [];
  const rustFiles: RustFileProfile[] = [];
  const scripts: TsFileProfile[] = [];
  for (const r of results) {
    warnings.push(...r.warnings);
    if (r.python) profiles.push(r.python);
    if (r.rust) rustFiles.push(r.rust);
    if (r.script) scripts.push(r.script);
  }
  results.length = 0; // the profiles below are the only references left: each is dropped once its module report is built

  const graph = buildImportGraph(profiles, found.packageDirs, rootPackageName(root, found.packageDirs));
  const history = await historyRead;
  warnings.push(...gitWarnings);
  const internalPackages = new Set([...graph.moduleName.values()].map((name) => name.split('.')[0]));
  /** Link-stage facts of a module: its git history and the Rust counterparts of its dependencies, as evidence too. */
  const linkOf = (p: FileProfile) => {
    const fileHistory = history?.files.get(p.path);
    const { deps, evidence } = moduleDependencies(p.imports, internalPackages);
    const missing = missingSourceEvidence(graph.missing.get(p.path));
    return { history: fileHistory, dependencies: deps, evidence: p.evidence.concat(missing, evidence, fileHistory ? historyEvidence(fileHistory) : []) };
  };
  const crates = await discoverCrates(root, found.manifests, rustFiles, warnings, limits, manifestTexts);
  const native = linkNative(crates, rustFiles, profiles, graph);

  const pythonComponent = (path: string): string | null => componentOf(path, components, FAMILY.python)?.name ?? null;
  const componentSize = new Map<string | null, number>();
  for (const p of profiles) {
    const name = pythonComponent(p.path);
    componentSize.set(name, (componentSize.get(name) ?? 0) + 1);
  }
  // what a typical module of each component looks like: modules are judged against their own repo's norm
  const norms = componentNorms(profiles, (p) => pythonComponent(p.path));
  const modules: ModuleReport[] = profiles.map((p, i) => {
    (profiles as (FileProfile | undefined)[])[i] = undefined; // keep only what the report needs (bounded memory on a large repo)
    const importedBy = [...(graph.importedBy.get(p.path) ?? [])].sort();
    const componentName = pythonComponent(p.path);
    const componentModules = componentSize.get(componentName) ?? 1;
    const link = linkOf(p);
    const c = classifyModule({ ...p, evidence: link.evidence }, { fanIn: importedBy.length, fanOut: graph.imports.get(p.path)?.size ?? 0, componentModules, norm: norms.get(componentName), repoNames: graph.repoNames.get(p.path) }, options.weights);
    return withContentFacts(applyNativeLink({
      path: p.path, language: 'python', component: componentName,
      verdict: c.verdict, score: c.score, confidence: c.confidence, loc: p.loc, reasons: c.reasons, functions: c.functions, features: c.features,
      evidence: link.evidence, imports: { fanIn: importedBy.length, fanOut: graph.imports.get(p.path)?.size ?? 0, importedBy },
      profile: p.module, dependencies: link.dependencies, ...(link.history ? { history: link.history } : {}),
    }, native.byModule.get(p.path)), p.content);
  });
  modules.push(...rustModuleReports(rustFiles, crates, native, (path) => componentOf(path, components, FAMILY.rust)?.name ?? null));
  modules.push(...scriptModuleReports(scripts, (path) => componentOf(path, components, FAMILY.typescript)?.name ?? null, warnings));
  modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const runtime = options.profiles?.length ? applyRuntimeProfiles(modules, options.profiles, root, warnings) : undefined;
  if (options.excerpts) await attachExcerpts(root, modules);
  const withCrateFacts = (rows: ComponentReport[]): ComponentReport[] => {
    annotateCrateComponents(rows, crates, native);
    annotateComponentImports(rows, graph, pythonComponent);
    return rows;
  };
  const report: Report = {
    schemaVersion: 1, tool: { name: 'rustscout', version: TOOL_VERSION }, root: posix.normalize(root.split('\\').join('/')),
    summary: summarise(modules), components: withCrateFacts(componentReports(components, modules)), modules, warnings,
    native: nativeSummary(crates, native, rustFiles, modules),
    ...(runtime ? { runtime } : {}),
  };
  // Stored for the next unchanged scan: only when every file's result is in the pack and nothing warned about the cache
  // (a warning that the next scan would not repeat). Serialised now, before the caller's CI stage sees the report.
  const contentHashes = replayable ? cache.scanContentHashes(found.files) : null;
  if (contentHashes && !warnings.some((w) => w.code === 'cache')) {
    storeReport(cache!.reportFile, storedReportText(replayKey(replayInputs(contentHashes, history)), report));
  }
  warnings.push(...replayProblems);
  return report;
}
