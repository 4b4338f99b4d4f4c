/**
 * Reads one manifest (requirements*.txt, pyproject.toml, setup.cfg, Pipfile, Cargo.toml,
 * package.json) as text — never executing anything — into the facts the link stage needs.
 * Malformed input yields warnings and whatever could still be read.
 */
import { parse as parseToml } from 'smol-toml';

export type ManifestKind = 'requirements' | 'pyproject' | 'setup-cfg' | 'pipfile' | 'cargo' | 'package-json' | 'setup-py';

export interface ManifestFacts {
  kind: ManifestKind;
  path: string;
  name?: string;
  dependencies: string[];
  /** Requirement files this one includes with -r / -c (paths as written, relative to it). */
  includes: string[];
  buildBackend?: string;
  /** Builds a native extension: maturin, setuptools-rust, a pyo3 crate, a cdylib, ext_modules. */
  nativeBuild: string[];
  pyo3: boolean;
  crateTypes: string[];
  workspaceMembers: string[];
  /** Python module name a PyO3 crate exports (from [lib] name or maturin module-name). */
  exportsModule?: string;
  scripts: string[];
  warnings: string[];
}

export function manifestKind(fileName: string): ManifestKind | null {
  if (/^requirements.*\.(txt|in)$/i.test(fileName) || /\.requirements\.txt$/i.test(fileName)) return 'requirements';
  switch (fileName) {
    case 'pyproject.toml': return 'pyproject';
    case 'setup.cfg': return 'setup-cfg';
    case 'Pipfile': return 'pipfile';
    case 'Cargo.toml': return 'cargo';
    case 'package.json': return 'package-json';
    case 'setup.py': return 'setup-py';
    default: return null;
  }
}

function empty(kind: ManifestKind, path: string): ManifestFacts {
  return { kind, path, dependencies: [], includes: [], nativeBuild: [], pyo3: false, crateTypes: [], workspaceMembers: [], scripts: [], warnings: [] };
}

/** `requests[socks]>=2.0 ; python_version<"3.8"` → `requests`. */
export function requirementName(spec: string): string | null {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
  return m ? m[1].toLowerCase().replace(/_/g, '-') : null;
}

function parseRequirements(path: string, text: string): ManifestFacts {
  const facts = empty('requirements', path);
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const include = /^(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (include) {
      facts.includes.push(include[2]);
      return;
    }
    const editable = /^(-e|--editable)\s+/.test(line);
    if (line.startsWith('-') && !editable) return; // --index-url, --hash and other options
    if (editable || /^(git\+|https?:|file:|\.{0,2}\/)/.test(line)) {
      const egg = /#egg=([A-Za-z0-9._-]+)/.exec(raw);
      if (egg) facts.dependencies.push(egg[1].toLowerCase());
      return;
    }
    const name = requirementName(line);
    if (name && /^[A-Za-z0-9._-]+\s*(\[[^\]]*\])?\s*(([<>=!~]=?|===)\s*[^\s,;]+\s*(,\s*([<>=!~]=?|===)\s*[^\s,;]+\s*)*)?(;.*)?(@.*)?$/.test(line)) {
      facts.dependencies.push(name);
    } else {
      facts.warnings.push(`line ${i + 1}: not a requirement, skipped: ${line.slice(0, 60)}`);
    }
  });
  return facts;
}

function readToml(facts: ManifestFacts, text: string): Record<string, unknown> | null {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (err) {
    facts.warnings.push(`malformed TOML: ${(err as Error).message.split('\n')[0]}`);
    return null;
  }
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function parsePyproject(path: string, text: string): ManifestFacts {
  const facts = empty('pyproject', path);
  const doc = readToml(facts, text);
  if (!doc) return fallbackDependencyScan(facts, text);
  const project = obj(doc.project);
  if (typeof project.name === 'string') facts.name = project.name;
  for (const dep of strings(project.dependencies)) pushRequirement(facts, dep);
  for (const group of Object.values(obj(project['optional-dependencies']))) for (const dep of strings(group)) pushRequirement(facts, dep);
  facts.scripts.push(...Object.keys(obj(project.scripts)));
  const poetry = obj(obj(doc.tool).poetry);
  if (typeof poetry.name === 'string') facts.name ??= poetry.name;
  for (const dep of Object.keys(obj(poetry.dependencies))) if (dep !== 'python') facts.dependencies.push(dep.toLowerCase());
  facts.scripts.push(...Object.keys(obj(poetry.scripts)));
  const build = obj(doc['build-system']);
  if (typeof build['build-backend'] === 'string') facts.buildBackend = build['build-backend'];
  const requires = strings(build.requires).map((r) => requirementName(r) ?? r);
  if (facts.buildBackend?.startsWith('maturin') || requires.includes('maturin')) facts.nativeBuild.push('maturin');
  if (requires.includes('setuptools-rust')) facts.nativeBuild.push('setuptools-rust');
  if (requires.includes('cython')) facts.nativeBuild.push('cython');
  if (requires.includes('cffi')) facts.nativeBuild.push('cffi');
  const maturin = obj(obj(doc.tool).maturin);
  if (typeof maturin['module-name'] === 'string') facts.exportsModule = maturin['module-name'];
  return facts;
}

function pushRequirement(facts: ManifestFacts, spec: string): void {
  const name = requirementName(spec);
  if (name) facts.dependencies.push(name);
}

function fallbackDependencyScan(facts: ManifestFacts, text: string): ManifestFacts {
  // Still use what can be read from a broken file: quoted requirement strings.
  for (const m of text.matchAll(/["']([A-Za-z][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([<>=!~]=?[^"']*)?["']/g)) {
    const name = requirementName(m[1]);
    if (name && m[0].length < 120) facts.dependencies.push(name);
  }
  return facts;
}

function parseSetupCfg(path: string, text: string): ManifestFacts {
  const facts = empty('setup-cfg', path);
  let section = '';
  let key = '';
  text.split(/\r?\n/).forEach((raw) => {
    if (/^\s*[#;]/.test(raw)) return;
    const sec = /^\[([^\]]+)\]/.exec(raw);
    if (sec) {
      section = sec[1].trim();
      key = '';
      return;
    }
    const kv = /^([A-Za-z_][\w.-]*)\s*[=:]\s*(.*)$/.exec(raw);
    let value: string;
    if (kv) {
      key = kv[1];
      value = kv[2];
    } else if (/^\s+\S/.test(raw)) value = raw.trim();
    else return;
    if (section === 'metadata' && key === 'name' && kv) facts.name = value.trim();
    if (section === 'options' && (key === 'install_requires' || key === 'setup_requires')) {
      for (const part of value.split(/[;\n]/)) if (part.trim()) pushRequirement(facts, part.trim());
    }
    if (section === 'options.extras_require' && value.trim()) pushRequirement(facts, value.trim());
  });
  return facts;
}

function parsePipfile(path: string, text: string): ManifestFacts {
  const facts = empty('pipfile', path);
  const doc = readToml(facts, text);
  if (!doc) return fallbackDependencyScan(facts, text);
  for (const dep of Object.keys(obj(doc.packages))) facts.dependencies.push(dep.toLowerCase());
  for (const dep of Object.keys(obj(doc['dev-packages']))) facts.dependencies.push(dep.toLowerCase());
  return facts;
}

function parseCargo(path: string, text: string): ManifestFacts {
  const facts = empty('cargo', path);
  const doc = readToml(facts, text);
  if (!doc) {
    facts.pyo3 = /^\s*pyo3\s*=/m.test(text);
    return facts;
  }
  const pkg = obj(doc.package);
  if (typeof pkg.name === 'string') facts.name = pkg.name;
  const deps = { ...obj(doc.dependencies), ...obj(doc['build-dependencies']) };
  for (const [table, value] of Object.entries(obj(doc.target))) {
    void table;
    Object.assign(deps, obj(obj(value).dependencies));
  }
  facts.dependencies.push(...Object.keys(deps));
  facts.pyo3 = 'pyo3' in deps;
  const lib = obj(doc.lib);
  facts.crateTypes = strings(lib['crate-type']);
  if (facts.pyo3) facts.nativeBuild.push('pyo3');
  if (facts.crateTypes.includes('cdylib')) facts.nativeBuild.push('cdylib');
  if (typeof lib.name === 'string') facts.exportsModule = lib.name;
  else if (facts.pyo3 && facts.name) facts.exportsModule = facts.name.replace(/-/g, '_');
  const maturin = obj(obj(obj(pkg.metadata).maturin));
  if (typeof maturin.name === 'string') facts.exportsModule = maturin.name.split('.').pop();
  facts.workspaceMembers = strings(obj(doc.workspace).members);
  const known = new Set(['package', 'dependencies', 'dev-dependencies', 'build-dependencies', 'lib', 'bin', 'workspace', 'features', 'target', 'profile', 'patch', 'replace', 'badges', 'example', 'test', 'bench', 'lints']);
  for (const section of Object.keys(doc)) if (!known.has(section)) facts.warnings.push(`unknown section [${section}] ignored`);
  return facts;
}

function parsePackageJson(path: string, text: string): ManifestFacts {
  const facts = empty('package-json', path);
  try {
    const doc = obj(JSON.parse(text));
    if (typeof doc.name === 'string') facts.name = doc.name;
    facts.dependencies.push(...Object.keys(obj(doc.dependencies)));
    facts.scripts.push(...Object.keys(obj(doc.bin)));
  } catch (err) {
    facts.warnings.push(`malformed JSON: ${(err as Error).message}`);
  }
  return facts;
}

function parseSetupPy(path: string, text: string): ManifestFacts {
  // Read as text only: setup.py is never run.
  const facts = empty('setup-py', path);
  const name = /\bname\s*=\s*['"]([^'"]+)['"]/.exec(text);
  if (name) facts.name = name[1];
  if (/\bext_modules\s*=/.test(text) || /\bExtension\s*\(/.test(text)) facts.nativeBuild.push('c-extension');
  if (/\bRustExtension\s*\(/.test(text)) facts.nativeBuild.push('setuptools-rust');
  if (/\bcythonize\s*\(/.test(text)) facts.nativeBuild.push('cython');
  if (/\bcffi_modules\s*=/.test(text)) facts.nativeBuild.push('cffi');
  const install = /install_requires\s*=\s*\[([^\]]*)\]/s.exec(text);
  if (install) for (const m of install[1].matchAll(/['"]([^'"]+)['"]/g)) pushRequirement(facts, m[1]);
  return facts;
}

/** Parses one manifest. Never throws: problems become `warnings`. */
export function readManifest(kind: ManifestKind, path: string, text: string): ManifestFacts {
  switch (kind) {
    case 'requirements': return parseRequirements(path, text);
    case 'pyproject': return parsePyproject(path, text);
    case 'setup-cfg': return parseSetupCfg(path, text);
    case 'pipfile': return parsePipfile(path, text);
    case 'cargo': return parseCargo(path, text);
    case 'package-json': return parsePackageJson(path, text);
    case 'setup-py': return parseSetupPy(path, text);
  }
}

export const manifestsDocs = {
  what: 'requirements*.txt (with -r/-c includes, markers, extras), pyproject.toml (PEP 621, Poetry, build backend incl. maturin and setuptools-rust), setup.cfg, Pipfile, setup.py (as text), Cargo.toml (name, pyo3, crate-type cdylib, workspace members), package.json.',
  why: 'Dependencies say what a component stands on (and whether Rust has counterparts); build backends and crates say where native code already exists, so it is not flagged twice.',
  example: '[build-system]\nrequires = ["maturin>=1.0"]\nbuild-backend = "maturin"',
};
