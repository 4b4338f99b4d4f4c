/**
 * Links the repo's own PyO3 crates to its Python code:
 * - importers: Python modules that import the crate's extension module (absolute or relative);
 * - twins: Python functions (and classes) with the name of a #[pyfunction] (#[pyclass]) the crate
 *   exports — a migration in progress — paired with the Rust item;
 * - parity tests: a test module (a test suite by the test-code detector, or it imports pytest/unittest/hypothesis/nose)
 *   that imports both the twin's module and the extension;
 * - the share of the repo's hot code (kernel functions) that is already compiled Rust.
 * All from syntax: names come from code (imports, defs, attributes), never from comments.
 */
import { isTestSuite } from '../../detectors/test-code.js';
import { THRESHOLDS } from '../classify/weights.js';
import type { ImportGraph } from '../link/import-graph.js';
import type { ModuleReport, NativeLink, NativeSummary, NativeTwin, Reason } from '../model.js';
import type { FileProfile } from '../profile.js';
import { TS_THRESHOLDS } from '../typescript/classify.js';
import type { CrateInfo } from './crates.js';
import type { RustFileProfile } from './profile.js';

export interface NativeLinks {
  /** Python module path → what of the repo's native code it imports or mirrors. */
  byModule: Map<string, NativeLink>;
  /** Crate dir → Python modules importing its extension. */
  importers: Map<string, string[]>;
}

const TEST_FRAMEWORKS = new Set(['pytest', 'unittest', 'hypothesis', 'nose']);
const last = (dotted: string): string => dotted.slice(dotted.lastIndexOf('.') + 1);

/** A test suite by what its functions do (the test-code detector), or a module importing a test framework. */
export function isTestModule(p: FileProfile): boolean {
  return isTestSuite(p.evidence) || p.imports.some((i) => i.level === 0 && TEST_FRAMEWORKS.has(i.module.split('.')[0]));
}

/** Absolute dotted names an import statement may refer to (`from . import x` in pkg.mod → pkg, pkg.x). */
function importTargets(imp: FileProfile['imports'][number], self: string, isPackage: boolean): string[] {
  let base = imp.module;
  if (imp.level > 0) {
    const parts = self.split('.');
    const drop = isPackage ? imp.level - 1 : imp.level;
    base = [...parts.slice(0, Math.max(0, parts.length - drop)), ...(imp.module ? [imp.module] : [])].join('.');
  }
  return [base, ...imp.names.filter((n) => n !== '*').map((n) => (base ? `${base}.${n}` : n))].filter(Boolean);
}

/** Line of the first import of `extension` in the module, or null. Exact dotted match, or the same last segment. */
function importLineOf(p: FileProfile, extension: string, graph: ImportGraph): number | null {
  const self = graph.moduleName.get(p.path) ?? '';
  const isPackage = /(^|\/)__init__\.pyw?$/.test(p.path);
  const leaf = last(extension);
  for (const imp of p.imports) {
    if (importTargets(imp, self, isPackage).some((t) => t === extension || last(t) === leaf)) return imp.line;
  }
  return null;
}

interface Exported {
  crate: CrateInfo;
  name: string;
  kind: 'function' | 'class';
  path: string;
  rustName: string;
  line: number;
}

export function linkNative(crates: CrateInfo[], rustFiles: RustFileProfile[], profiles: FileProfile[], graph: ImportGraph): NativeLinks {
  const byModule = new Map<string, NativeLink>();
  const importers = new Map<string, string[]>();
  const tests = profiles.filter(isTestModule);
  for (const crate of crates) {
    if (!crate.pyo3 || !crate.pythonModule) continue;
    const extension = crate.pythonModule;
    const exported: Exported[] = rustFiles.filter((r) => crate.sources.includes(r.path)).flatMap((r) => [
      ...r.exports.functions.map((f) => ({ crate, name: f.name, kind: 'function' as const, path: r.path, rustName: f.rustName, line: f.line })),
      ...r.exports.classes.map((c) => ({ crate, name: c.name, kind: 'class' as const, path: r.path, rustName: c.rustName, line: c.line })),
    ]);
    const importing = new Map<string, number>();
    for (const p of profiles) {
      const line = importLineOf(p, extension, graph);
      if (line !== null) importing.set(p.path, line);
    }
    importers.set(crate.dir, [...importing.keys()].sort());
    const parityFor = (twinPath: string): string[] => tests
      .filter((t) => t.path !== twinPath && importing.has(t.path) && graph.imports.get(t.path)?.has(twinPath))
      .map((t) => t.path).sort();
    for (const p of profiles) {
      if (tests.includes(p)) continue;
      const twins: NativeTwin[] = [];
      for (const e of exported) {
        const own = e.kind === 'function' ? p.functions.find((f) => f.name === e.name) : p.functions.find((f) => f.name.startsWith(`${e.name}.`));
        if (!own) continue;
        twins.push({
          function: e.name, line: e.kind === 'function' ? own.line : Math.max(1, own.line - 1),
          rust: { crate: crate.name, path: e.path, function: e.rustName, line: e.line }, parityTests: [],
        });
      }
      const importLine = importing.get(p.path);
      if (!twins.length && importLine === undefined) continue;
      if (twins.length) for (const t of twins) t.parityTests = parityFor(p.path);
      const link: NativeLink = { extension, crate: crate.name, twins, fullyBacked: false };
      if (importLine !== undefined) link.importLine = importLine;
      if (!byModule.has(p.path)) byModule.set(p.path, link);
      else byModule.get(p.path)!.twins.push(...twins);
    }
  }
  return { byModule, importers };
}

const NOTE = { detector: 'native-link', value: 1, weight: 0, contribution: 0 } as const;
const twinNames = (link: NativeLink): string[] => link.twins.map((t) => t.function);
const mirrors = (link: NativeLink, fn: string): boolean => twinNames(link).some((t) => fn === t || fn.startsWith(`${t}.`));

/**
 * Marks a Python module native-backed: a `native-backed` reason first, a
 * `twin-without-parity-test` reason per untested twin, and — when every kernel function it has
 * is mirrored in Rust — its pyo3-extension verdict withdrawn (keep-python). A module with a
 * kernel the crate does not mirror keeps its verdict: that kernel is still a candidate.
 */
export function applyNativeLink(m: ModuleReport, link: NativeLink | undefined): ModuleReport {
  if (!link) return m;
  const kernels = m.functions.filter((f) => f.name !== '<module>' && f.score >= THRESHOLDS.kernel);
  const unmirrored = kernels.filter((f) => !mirrors(link, f.name));
  const parts: string[] = [];
  if (link.importLine !== undefined) parts.push(`imports the repo's PyO3 extension \`${link.extension}\` (line ${link.importLine})`);
  if (link.twins.length) {
    const shown = link.twins.slice(0, 3).map((t) => `${t.function} ↔ ${t.rust.path}:${t.rust.line}`).join(', ');
    parts.push(`pure-Python twin of ${link.twins.length} item(s) crate \`${link.crate}\` implements in Rust (${shown})`);
  }
  if (unmirrored.length) parts.push(`${unmirrored.length} kernel function(s) without a Rust twin remain (${unmirrored.slice(0, 3).map((f) => f.name).join(', ')})`);
  link.fullyBacked = unmirrored.length === 0;
  if (link.fullyBacked && m.verdict === 'pyo3-extension') {
    parts.push('its pyo3-extension verdict is withdrawn');
    m.verdict = 'keep-python';
  }
  const notes: Reason[] = [{ ...NOTE, signal: 'native-backed', line: link.importLine ?? link.twins[0]?.line ?? 1, message: `already native-backed: ${parts.join('; ')}` }];
  for (const t of link.twins) {
    if (t.parityTests.length) continue;
    notes.push({
      ...NOTE, signal: 'twin-without-parity-test', line: t.line, function: t.function,
      message: `\`${t.function}\` has a Rust twin (${t.rust.path}:${t.rust.line}) but no test module imports both this module and \`${link.extension}\`: the two implementations can drift apart`,
    });
  }
  m.reasons.unshift(...notes);
  m.native = link;
  return m;
}

/** The repo-level view: extensions and their importers, twin pairs, and the native share of hot code. */
export function nativeSummary(crates: CrateInfo[], links: NativeLinks, rustFiles: RustFileProfile[], modules: ModuleReport[]): NativeSummary {
  const pairs: NativeSummary['pairs'] = [];
  for (const [path, link] of links.byModule) for (const t of link.twins) pairs.push({ path, ...t });
  pairs.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  let nativeHotLoc = 0;
  let rust = 0;
  for (const r of rustFiles) for (const k of r.kernels) {
    nativeHotLoc += k.loc;
    rust++;
  }
  let interpretedHotLoc = 0;
  let python = 0;
  let pythonMirrored = 0;
  let script = 0;
  for (const m of modules) {
    if (m.language === 'rust') continue;
    const threshold = m.language === 'python' ? THRESHOLDS.kernel : TS_THRESHOLDS.kernel;
    for (const f of m.functions) {
      if (f.score < threshold) continue;
      if (m.native && mirrors(m.native, f.name)) {
        pythonMirrored++; // its work is done by the Rust twin, already counted
        continue;
      }
      interpretedHotLoc += f.loc;
      if (m.language === 'python') python++;
      else script++;
    }
  }
  const hotLoc = nativeHotLoc + interpretedHotLoc;
  return {
    extensions: crates.filter((c) => c.pyo3 && c.pythonModule).map((c) => ({
      crate: c.name, module: c.pythonModule!, ...(c.build ? { build: c.build.tool } : {}), importedBy: links.importers.get(c.dir) ?? [],
    })),
    pairs, untestedTwins: pairs.filter((p) => !p.parityTests.length).length,
    hotLoc, nativeHotLoc, share: hotLoc ? Math.round((nativeHotLoc / hotLoc) * 100) / 100 : 0,
    kernels: { rust, python, pythonMirrored, script },
  };
}
