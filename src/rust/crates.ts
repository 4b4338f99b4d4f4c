/**
 * Crate and workspace discovery: every Cargo.toml read (as TOML, never built) for its name,
 * library name and crate types, dependencies, features, the features it enables on pyo3, and
 * workspace members; then the Python build wiring that turns a crate into an extension module —
 * maturin (`[tool.maturin]` in a pyproject.toml, `manifest-path`, `module-name`) and
 * setuptools-rust (`RustExtension("pkg._native", path=…)` in setup.py, or
 * `[[tool.setuptools-rust.ext-modules]]`) — and the Python module name the crate exports.
 */
import { join, posix } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { Warning } from '../model.js';
import { readSource, type ReadLimits } from '../read-source.js';
import type { RustFileProfile } from './profile.js';

export interface CrateInfo {
  /** Cargo package name (the directory's name for a virtual workspace root). */
  name: string;
  /** Directory relative to the root ('' for the root). */
  dir: string;
  manifest: string;
  libName?: string;
  crateTypes: string[];
  dependencies: string[];
  /** Names declared under [features]. */
  features: string[];
  pyo3: boolean;
  /** Features enabled on the pyo3 dependency (extension-module, abi3-py38, …). */
  pyo3Features: string[];
  napi: boolean;
  wasmBindgen: boolean;
  /** A [workspace] table: this manifest is a workspace root. */
  workspaceMembers: string[];
  /** A [package] table: false for a virtual workspace root (nothing to build by itself). */
  hasPackage: boolean;
  /** Directory of the workspace root this crate is a member of. */
  workspace?: string;
  /** The Python build that compiles it, and the file that says so. */
  build?: { tool: 'maturin' | 'setuptools-rust'; config: string };
  /** Dotted Python module the crate builds (`geostats._geokernel`), or its last segment when no package is known. */
  pythonModule?: string;
  /** Rust sources of this crate (not of a nested crate). */
  sources: string[];
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const dirOf = (p: string): string => (posix.dirname(p) === '.' ? '' : posix.dirname(p));
const joinDir = (dir: string, rel: string): string => {
  const j = posix.normalize(dir ? `${dir}/${rel}` : rel);
  return j === '.' ? '' : j.replace(/\/$/, '');
};

function readCargo(path: string, text: string, warnings: Warning[]): CrateInfo {
  const dir = dirOf(path);
  const crate: CrateInfo = {
    name: dir ? posix.basename(dir) : '(root)', dir, manifest: path, crateTypes: [], dependencies: [], features: [],
    pyo3: false, pyo3Features: [], napi: false, wasmBindgen: false, workspaceMembers: [], hasPackage: /^\s*\[package\]/m.test(text), sources: [],
  };
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    warnings.push({ path, message: `malformed TOML, crate read partly: ${(err as Error).message.split('\n')[0]}`, code: 'manifest' });
    crate.pyo3 = /^\s*pyo3\s*=/m.test(text);
    return crate;
  }
  const pkg = obj(doc.package);
  crate.hasPackage = 'package' in doc;
  if (typeof pkg.name === 'string') crate.name = pkg.name;
  const lib = obj(doc.lib);
  if (typeof lib.name === 'string') crate.libName = lib.name;
  crate.crateTypes = strings(lib['crate-type']);
  const deps: Record<string, unknown> = { ...obj(doc.dependencies) };
  for (const target of Object.values(obj(doc.target))) Object.assign(deps, obj(obj(target).dependencies));
  crate.dependencies = Object.keys(deps).sort();
  crate.features = Object.keys(obj(doc.features)).sort();
  crate.pyo3 = 'pyo3' in deps;
  crate.napi = 'napi' in deps || 'napi-derive' in deps;
  crate.wasmBindgen = 'wasm-bindgen' in deps;
  if (crate.pyo3) crate.pyo3Features = strings(obj(deps.pyo3).features);
  crate.workspaceMembers = strings(obj(doc.workspace).members);
  const maturinName = obj(obj(pkg.metadata).maturin).name;
  if (typeof maturinName === 'string') crate.pythonModule = maturinName;
  return crate;
}

/** `crates/*` style member globs: `*` matches one path segment. */
function memberMatches(pattern: string, dir: string): boolean {
  const re = new RegExp('^' + pattern.split('/').map((seg) => seg.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('/') + '$');
  return re.test(dir);
}

interface Wiring {
  tool: 'maturin' | 'setuptools-rust';
  config: string;
  cargoDir: string;
  module?: string;
}

function maturinWiring(path: string, text: string): Wiring[] {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch {
    return []; // the manifest reader already warns about this file
  }
  const dir = dirOf(path);
  const out: Wiring[] = [];
  const build = obj(doc['build-system']);
  const backend = typeof build['build-backend'] === 'string' ? build['build-backend'] : '';
  const tool = obj(doc.tool);
  const maturin = obj(tool.maturin);
  if (backend.startsWith('maturin') || Object.keys(maturin).length) {
    const manifestPath = typeof maturin['manifest-path'] === 'string' ? maturin['manifest-path'] : 'Cargo.toml';
    out.push({
      tool: 'maturin', config: path, cargoDir: dirOf(joinDir(dir, manifestPath)),
      module: typeof maturin['module-name'] === 'string' ? maturin['module-name'] : undefined,
    });
  }
  for (const ext of Array.isArray(obj(tool['setuptools-rust'])['ext-modules']) ? (obj(tool['setuptools-rust'])['ext-modules'] as unknown[]) : []) {
    const e = obj(ext);
    const cargo = typeof e.path === 'string' ? e.path : 'Cargo.toml';
    out.push({ tool: 'setuptools-rust', config: path, cargoDir: dirOf(joinDir(dir, cargo)), module: typeof e.target === 'string' ? e.target : undefined });
  }
  return out;
}

/** `RustExtension("pkg._native", "rust/Cargo.toml")` or `RustExtension(target="…", path="…")`, read as text. */
function setuptoolsRustWiring(path: string, text: string): Wiring[] {
  const out: Wiring[] = [];
  for (const m of text.matchAll(/\bRustExtension\s*\(([^)]*)\)/g)) {
    const args = m[1];
    const positional = [...args.matchAll(/(?:^|,)\s*(['"])([^'"]+)\1/g)].map((p) => p[2]);
    const target = /\btarget\s*=\s*(['"])([^'"]+)\1/.exec(args)?.[2] ?? positional[0];
    const cargo = /\bpath\s*=\s*(['"])([^'"]+)\1/.exec(args)?.[2] ?? positional[1] ?? 'Cargo.toml';
    out.push({ tool: 'setuptools-rust', config: path, cargoDir: dirOf(joinDir(dirOf(path), cargo)), module: target });
  }
  return out;
}

/**
 * Reads every Cargo.toml and the Python build files that may point at one, and returns one
 * CrateInfo per manifest, deepest first (so the first crate containing a path is its own).
 */
export async function discoverCrates(
  root: string,
  manifests: { path: string; kind: string }[],
  rustFiles: RustFileProfile[],
  warnings: Warning[],
  limits?: ReadLimits,
  /** Manifest texts already read this scan (see readManifests); the rest are read here. */
  texts?: ReadonlyMap<string, string>,
): Promise<CrateInfo[]> {
  const crates: CrateInfo[] = [];
  const wiring: Wiring[] = [];
  for (const m of manifests) {
    if (m.kind !== 'cargo' && m.kind !== 'pyproject' && m.kind !== 'setup-py') continue;
    const known = texts?.get(m.path);
    const src = known !== undefined ? { text: known } : await readSource(join(root, m.path), limits, { root });
    if ('error' in src) continue; // the manifest reader reports unreadable manifests
    if (m.kind === 'cargo') crates.push(readCargo(m.path, src.text, warnings));
    else if (m.kind === 'pyproject') wiring.push(...maturinWiring(m.path, src.text));
    else wiring.push(...setuptoolsRustWiring(m.path, src.text));
  }
  crates.sort((a, b) => b.dir.length - a.dir.length || a.dir.localeCompare(b.dir));
  for (const ws of crates.filter((c) => c.workspaceMembers.length)) {
    for (const member of crates) {
      if (member !== ws && !member.workspace && ws.workspaceMembers.some((p) => memberMatches(joinDir(ws.dir, p), member.dir))) member.workspace = ws.dir || '.';
    }
  }
  for (const w of wiring) {
    const crate = crates.find((c) => c.dir === w.cargoDir);
    if (!crate) continue;
    crate.build ??= { tool: w.tool, config: w.config };
    if (w.module) crate.pythonModule = w.module;
  }
  for (const r of rustFiles) {
    const crate = crates.find((c) => c.dir === '' || r.path.startsWith(c.dir + '/'));
    if (crate) crate.sources.push(r.path);
  }
  for (const crate of crates) {
    if (!crate.pyo3) continue;
    const pymodule = rustFiles.filter((r) => crate.sources.includes(r.path)).flatMap((r) => r.exports.modules)[0];
    // Without a build file naming it, the module is what #[pymodule] declares, else [lib] name, else the package name.
    crate.pythonModule ??= pymodule?.name ?? crate.libName ?? crate.name.replace(/-/g, '_');
  }
  return crates;
}
