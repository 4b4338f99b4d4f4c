/** Rust profiles and crates → module reports (`keep-rust`) and the facts of each crate's component row. */
import type { ComponentReport, Evidence, FunctionSummary, ModuleReport } from '../model.js';
import type { CrateInfo } from './crates.js';
import type { NativeLinks } from './link.js';
import { pyo3ExportCount } from './pyo3-exports.js';
import type { RustFileProfile } from './profile.js';

function evidenceOf(r: RustFileProfile): Evidence[] {
  const out: Evidence[] = [];
  for (const m of r.exports.modules) {
    const reg = m.registers;
    out.push({
      detector: 'native-link', signal: 'pyo3-module', value: 1, line: m.line, function: m.rustName,
      message: `#[pymodule] \`${m.name}\`${reg.functions.length + reg.classes.length ? ` registers ${[...reg.functions, ...reg.classes].slice(0, 5).join(', ')}` : ''}`,
    });
  }
  for (const f of r.exports.functions) out.push({ detector: 'native-link', signal: 'pyo3-function', value: 1, line: f.line, function: f.rustName, message: `#[pyfunction] exposed to Python as \`${f.name}\`` });
  for (const c of r.exports.classes) {
    const methods = r.exports.methods.filter((m) => m.name.startsWith(`${c.name}.`)).length;
    out.push({ detector: 'native-link', signal: 'pyo3-class', value: 1, line: c.line, message: `#[pyclass] exposed to Python as \`${c.name}\`${methods ? ` with ${methods} #[pymethods] method(s)` : ''}` });
  }
  for (const k of r.kernels) {
    out.push({
      detector: 'rust-kernels', signal: 'rust-kernel', value: k.loc, line: k.line, function: k.name,
      message: `compiled kernel: ${k.loops} loop(s), ${k.iteratorClosures} iterator closure(s), ${k.scalarOps} scalar operation(s) over ${k.loc} lines`,
    });
  }
  for (const b of r.bridges) out.push({ detector: 'native-link', signal: b.kind, value: 1, line: b.line, message: `#[${b.kind === 'napi' ? 'napi' : 'wasm_bindgen'}] export to JavaScript` });
  return out;
}

export function rustModuleReports(rustFiles: RustFileProfile[], crates: CrateInfo[], links: NativeLinks, componentOf: (path: string) => string | null): ModuleReport[] {
  return rustFiles.map((r): ModuleReport => {
    const crate = crates.find((c) => c.sources.includes(r.path));
    const importedBy = r.exports.modules.length && crate ? links.importers.get(crate.dir) ?? [] : [];
    const evidence = evidenceOf(r);
    const functions: FunctionSummary[] = r.kernels.map((k) => ({
      name: k.name, line: k.line, endLine: k.endLine, loc: k.loc, score: 0,
      signals: { loops: k.loops, 'iterator-closures': k.iteratorClosures, 'scalar-ops': k.scalarOps },
    }));
    return {
      path: r.path, language: 'rust', component: componentOf(r.path), verdict: 'keep-rust', score: 0, confidence: 0.9, loc: r.loc,
      reasons: evidence.filter((e) => e.detector === 'native-link').map((e) => ({ ...e, weight: 0, contribution: 0 })),
      functions,
      features: { pyo3_exports: pyo3ExportCount(r.exports), pyo3_methods: r.exports.methods.length, kernels: r.kernels.length, functions: r.functions },
      evidence, imports: { fanIn: importedBy.length, fanOut: 0, importedBy }, lines: r.totalLines,
    };
  });
}

/** Adds what crate discovery found to the cargo-crate component rows (facts stay flat: string | number | boolean). */
export function annotateCrateComponents(components: ComponentReport[], crates: CrateInfo[], links: NativeLinks): void {
  for (const c of components) {
    if (c.kind !== 'cargo-crate') continue;
    const crate = crates.find((k) => (k.dir || '.') === c.path);
    if (!crate) continue;
    const f = c.facts;
    if (crate.pyo3) f.pyo3 = true;
    if (crate.pyo3Features.length) f.pyo3Features = crate.pyo3Features.join(',');
    if (crate.features.length) f.features = crate.features.join(',');
    if (crate.crateTypes.length) f.crateTypes = crate.crateTypes.join(',');
    if (crate.build) {
      f.pythonBuild = crate.build.tool;
      f.pythonBuildConfig = crate.build.config;
    }
    if (crate.pyo3 && crate.pythonModule) f.exportsPythonModule = crate.pythonModule;
    if (crate.workspace) f.workspace = crate.workspace;
    if (crate.workspaceMembers.length) f.workspaceMembers = crate.workspaceMembers.join(',');
    if (!crate.hasPackage) f.virtualWorkspace = true;
    if (crate.napi) f.napi = true;
    if (crate.wasmBindgen) f.wasmBindgen = true;
    const importers = links.importers.get(crate.dir);
    if (importers) f.pythonImporters = importers.length;
    let twins = 0;
    for (const link of links.byModule.values()) twins += link.twins.filter((t) => t.rust.crate === crate.name).length;
    if (twins) f.pythonTwins = twins;
    if (crate.dependencies.length && !c.dependencies.length) c.dependencies = crate.dependencies;
  }
}
