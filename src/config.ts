/**
 * Configuration: `rustscout.toml` (keys at top level) or `[tool.rustscout]` in pyproject.toml,
 * the nearest one to the scanned root (the root, then each parent up to the git work tree's top).
 * Paths and patterns in a config are relative to the directory holding it. Unknown keys and bad
 * values are errors naming the file and the key (exit 2); nothing is silently ignored.
 */
import ignore from 'ignore';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { FEATURES } from './classify/weights.js';
import { CiUsageError } from './ci/errors.js';
import { parseMinScore, parseVerdictList } from './ci/fail-on.js';
import type { Verdict } from './model.js';

export interface PathOverride {
  paths: string[];
  failOn?: Verdict[];
  minScore?: number;
  /** Records the modules' findings as suppressed with this reason. */
  suppress?: string;
}

export interface RustscoutConfig {
  /** Absolute path of the file read. */
  file: string;
  /** Exclude globs, rebased onto the scanned root. */
  exclude: string[];
  gitignore?: boolean;
  failOn?: Verdict[];
  minScore?: number;
  /** Absolute path of the baseline file. */
  baseline?: string;
  reportUnusedSuppressions?: boolean;
  weights: Record<string, number>;
  overrides: PathOverride[];
  /** Tells whether a module path (relative to the scanned root) matches an override's patterns. */
  overrideMatches: (override: PathOverride, rootRelativePath: string) => boolean;
}

export const CONFIG_KEYS = ['exclude', 'gitignore', 'fail-on', 'min-score', 'baseline', 'report-unused-suppressions', 'weights', 'overrides'] as const;
export const OVERRIDE_KEYS = ['paths', 'fail-on', 'min-score', 'suppress'] as const;

const TOOL_SECTION = /^\s*\[\s*tool\s*\.\s*rustscout\s*[\].]/m;

/** The nearest config file for a root, or null. */
export function findConfig(rootArg: string): string | null {
  let dir = resolve(rootArg);
  for (;;) {
    const own = join(dir, 'rustscout.toml');
    if (isFile(own)) return own;
    const pyproject = join(dir, 'pyproject.toml');
    if (isFile(pyproject) && TOOL_SECTION.test(readFileSync(pyproject, 'utf8'))) return pyproject;
    const parent = dirname(dir);
    if (parent === dir || existsSync(join(dir, '.git'))) return null;
    dir = parent;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const isTable = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Date);

class ConfigReader {
  constructor(private readonly file: string, private readonly prefix: string) {}

  fail(key: string, message: string): never {
    throw new CiUsageError(`${this.file}: ${this.prefix}${key}: ${message}`);
  }

  checkKeys(table: Record<string, unknown>, known: readonly string[], where: string): void {
    for (const key of Object.keys(table)) {
      if (!known.includes(key)) {
        const hint = known.find((k) => k.replace(/-/g, '_') === key || k === key.replace(/_/g, '-'));
        throw new CiUsageError(`${this.file}: unknown key "${this.prefix}${where}${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; known keys: ${known.join(', ')}`);
      }
    }
  }

  strings(value: unknown, key: string, nonEmpty = false): string[] {
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && x.trim() !== '')) this.fail(key, 'expected a list of non-empty strings');
    if (nonEmpty && list.length === 0) this.fail(key, 'expected at least one pattern');
    return list as string[];
  }

  bool(value: unknown, key: string): boolean {
    if (typeof value !== 'boolean') this.fail(key, `expected true or false, got ${JSON.stringify(value)}`);
    return value;
  }

  text(value: unknown, key: string): string {
    if (typeof value !== 'string' || !value.trim()) this.fail(key, `expected a non-empty string, got ${JSON.stringify(value)}`);
    return value;
  }

  verdicts(value: unknown, key: string): Verdict[] {
    if (typeof value !== 'string' && !(Array.isArray(value) && value.every((x) => typeof x === 'string'))) this.fail(key, 'expected a list of verdicts, e.g. ["pyo3-extension", "move-to-rust"]');
    return parseVerdictList(value as string | string[], `${this.file}: ${this.prefix}${key}`);
  }

  minScore(value: unknown, key: string): number {
    return parseMinScore(value, `${this.file}: ${this.prefix}${key}`);
  }

  weights(value: unknown, key: string): Record<string, number> {
    if (!isTable(value)) this.fail(key, 'expected a table of feature = weight');
    const known = ['bias', ...Object.keys(FEATURES)];
    const out: Record<string, number> = {};
    for (const [name, w] of Object.entries(value)) {
      if (!known.includes(name)) throw new CiUsageError(`${this.file}: unknown key "${this.prefix}${key}.${name}": not a classifier feature; known features: ${known.join(', ')}`);
      if (typeof w !== 'number' || !Number.isFinite(w)) this.fail(`${key}.${name}`, `expected a number, got ${JSON.stringify(w)}`);
      out[name] = w;
    }
    return out;
  }
}

/** Rebases config-relative glob patterns onto the scanned root; patterns outside the root are dropped. */
function rebaseGlobs(patterns: string[], configDir: string, root: string): string[] {
  const prefix = relative(configDir, root).split(sep).join('/');
  if (!prefix) return patterns;
  const out: string[] = [];
  for (const p of patterns) {
    const clean = p.replace(/^\.\//, '');
    if (clean.startsWith('**/')) out.push(clean);
    else if (clean.startsWith(prefix + '/')) out.push(clean.slice(prefix.length + 1));
  }
  return out;
}

export function loadConfig(fileArg: string, rootArg: string): RustscoutConfig {
  const file = resolve(fileArg);
  const root = resolve(rootArg);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CiUsageError(`cannot read config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const where = err instanceof TomlError ? ` at line ${err.line}, column ${err.column}` : '';
    throw new CiUsageError(`${file}: invalid TOML${where}: ${(err as Error).message.split('\n')[0]}`);
  }
  const isPyproject = basename(file) === 'pyproject.toml';
  const prefix = isPyproject ? 'tool.rustscout.' : '';
  const r: ConfigReader = new ConfigReader(file, prefix);
  let table: unknown = doc;
  if (isPyproject) {
    const tool = doc.tool;
    table = isTable(tool) ? tool.rustscout : undefined;
    if (table === undefined) throw new CiUsageError(`${file}: has no [tool.rustscout] table`);
    if (!isTable(table)) r.fail('', 'expected a table');
  }
  const t = table as Record<string, unknown>;
  r.checkKeys(t, CONFIG_KEYS, '');
  const dir = dirname(file);
  const config: RustscoutConfig = {
    file, exclude: [], weights: {}, overrides: [],
    overrideMatches: (o, path) => matcherOf(o).check(path),
  };
  if (t.exclude !== undefined) config.exclude = rebaseGlobs(r.strings(t.exclude, 'exclude'), dir, root);
  if (t.gitignore !== undefined) config.gitignore = r.bool(t.gitignore, 'gitignore');
  if (t['fail-on'] !== undefined) config.failOn = r.verdicts(t['fail-on'], 'fail-on');
  if (t['min-score'] !== undefined) config.minScore = r.minScore(t['min-score'], 'min-score');
  if (t.baseline !== undefined) config.baseline = resolve(dir, r.text(t.baseline, 'baseline'));
  if (t['report-unused-suppressions'] !== undefined) config.reportUnusedSuppressions = r.bool(t['report-unused-suppressions'], 'report-unused-suppressions');
  if (t.weights !== undefined) config.weights = r.weights(t.weights, 'weights');
  if (t.overrides !== undefined) {
    if (!Array.isArray(t.overrides)) r.fail('overrides', 'expected an array of tables ([[tool.rustscout.overrides]] or overrides = [{ paths = [...] }])');
    config.overrides = (t.overrides as unknown[]).map((o, i) => {
      const key = `overrides[${i}]`;
      if (!isTable(o)) r.fail(key, 'expected a table');
      r.checkKeys(o, OVERRIDE_KEYS, `${key}.`);
      if (o.paths === undefined) r.fail(`${key}.paths`, 'missing: every override needs the paths it applies to');
      const ov: PathOverride = { paths: r.strings(o.paths, `${key}.paths`, true) };
      if (o['fail-on'] !== undefined) ov.failOn = o['fail-on'] === '' || (Array.isArray(o['fail-on']) && o['fail-on'].length === 0) ? [] : r.verdicts(o['fail-on'], `${key}.fail-on`);
      if (o['min-score'] !== undefined) ov.minScore = r.minScore(o['min-score'], `${key}.min-score`);
      if (o.suppress !== undefined) ov.suppress = r.text(o.suppress, `${key}.suppress`);
      return ov;
    });
  }
  const matchers = new Map<PathOverride, { check: (path: string) => boolean }>();
  const rootFromConfig = relative(dir, root).split(sep).join('/');
  function matcherOf(o: PathOverride): { check: (path: string) => boolean } {
    let m = matchers.get(o);
    if (!m) {
      const ig = ignore().add(o.paths);
      m = {
        check: (path: string) => {
          const rel = posix.normalize(rootFromConfig ? `${rootFromConfig}/${path}` : path);
          return !rel.startsWith('../') && rel !== '..' && ig.ignores(rel);
        },
      };
      matchers.set(o, m);
    }
    return m;
  }
  return config;
}
