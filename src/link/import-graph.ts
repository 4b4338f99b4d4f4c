/** Resolves each module's imports to modules of the scanned repo: fan-in, fan-out, importers. */
import { posix } from 'node:path';
import type { Evidence } from '../model.js';
import type { ImportFact } from '../python/facts.js';

export interface ImportGraph {
  moduleName: Map<string, string>;
  /** path → paths it imports (internal only). */
  imports: Map<string, Set<string>>;
  /** path → paths that import it. */
  importedBy: Map<string, Set<string>>;
  /**
   * path → imports of a module of this repository (relative, or under one of its top-level
   * packages) that no scanned Python file provides: a compiled extension (.so/.pyd built from C,
   * Cython or Rust), generated code, or a module that is gone.
   */
  missing: Map<string, { module: string; line: number }[]>;
  /** path → local names bound by its import statements that resolve to modules of the scanned repo. */
  repoNames: Map<string, Set<string>>;
}

/** A file's module path parts (`a/b/__init__.py` → a, b) and where it sits among the package directories above it. */
interface PackagePath {
  parts: string[];
  isInit: boolean;
  /** Its innermost directories that are packages (hold __init__.py), counted. */
  depth: number;
  /** That chain of packages reaches the scanned root. */
  toRoot: boolean;
}

function packagePath(path: string, packageDirs: Set<string>): PackagePath {
  const parts = path.replace(/\.pyw?$/, '').split('/');
  const isInit = parts[parts.length - 1] === '__init__';
  if (isInit) parts.pop();
  let depth = 0;
  let dir = posix.dirname(path);
  for (; dir !== '.' && dir !== '' && packageDirs.has(dir); dir = posix.dirname(dir)) depth++;
  return { parts, isInit, depth, toRoot: dir === '.' || dir === '' };
}

/**
 * The module name of a file at `at`: counting only the package directories above it. When the
 * scanned root is itself a package, `rootPackage` is its name, and a file whose every directory up
 * to the root is a package is named under it, as the code's own absolute imports name it.
 */
function nameAt(at: PackagePath, packageDirs: Set<string>, rootPackage: string | undefined): string {
  const { parts, isInit, depth, toRoot } = at;
  const keep = depth + (isInit ? 0 : 1);
  const name = parts.slice(Math.max(0, parts.length - keep)).join('.') || parts.join('.');
  return rootPackage && toRoot && packageDirs.has('') ? (name ? `${rootPackage}.${name}` : rootPackage) : name;
}

/**
 * Dotted module name of a file, counting only the package directories (with __init__.py) above it;
 * under `rootPackage` when the scanned root is that package (`rustscout scan src/mypkg` →
 * `mypkg.core.add`).
 */
export function dottedName(path: string, packageDirs: Set<string>, rootPackage?: string): string {
  return nameAt(packagePath(path, packageDirs), packageDirs, rootPackage);
}

/** The scanned root's package name when the root is a package (it holds __init__.py) and its name is an identifier. */
export function rootPackageName(root: string, packageDirs: Set<string>): string | undefined {
  const name = posix.basename(root.split('\\').join('/'));
  return packageDirs.has('') && IDENTIFIER.test(name) ? name : undefined;
}

/**
 * A file's dotted path from the scanned root (`app/utils.py` → `app.utils`) when a directory above
 * it has no __init__.py and every part is an identifier: the name an absolute import gives it from
 * the root when `app` is a namespace package (PEP 420: Python imports from such directories too).
 */
function rootPathName(at: PackagePath): string | undefined {
  if (at.toRoot) return undefined; // its package name already says it
  return at.parts.length > 0 && at.parts.every((p) => IDENTIFIER.test(p)) ? at.parts.join('.') : undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function buildImportGraph(modules: { path: string; imports: ImportFact[] }[], packageDirs: Set<string>, rootPackage?: string): ImportGraph {
  const moduleName = new Map<string, string>();
  const byName = new Map<string, string>();
  const aliases: [string, string][] = [];
  for (const m of modules) {
    const at = packagePath(m.path, packageDirs);
    const name = nameAt(at, packageDirs, rootPackage);
    moduleName.set(m.path, name);
    if (!byName.has(name)) byName.set(name, m.path);
    const alias = rootPathName(at);
    if (alias && alias !== name) aliases.push([alias, m.path]);
  }
  // The repo's own packages: top-level names that have submodules here (a lone top-level script does not count).
  const internalTops = new Set([...byName.keys()].filter((n) => n.includes('.')).map((n) => n.split('.')[0]));
  // Files below a directory without __init__.py also answer to their path from the root (namespace
  // packages), after every package name: a package's own name always wins.
  for (const [alias, path] of aliases) if (!byName.has(alias)) byName.set(alias, path);
  const imports = new Map<string, Set<string>>();
  const importedBy = new Map<string, Set<string>>();
  const missing = new Map<string, { module: string; line: number }[]>();
  const repoNames = new Map<string, Set<string>>();
  /** Every dotted prefix of a module name (`a` and `a.b` for `a.b.c`): the names that have submodules here. */
  const parents = new Set<string>();
  for (const name of byName.keys()) for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) parents.add(name.slice(0, dot));
  for (const m of modules) {
    const self = moduleName.get(m.path)!;
    const isPackage = /(^|\/)__init__\.pyw?$/.test(m.path);
    const targets = new Set<string>();
    for (const imp of m.imports) {
      let base = imp.module;
      if (imp.level > 0) {
        const parts = self.split('.');
        const drop = isPackage ? imp.level - 1 : imp.level;
        const anchor = parts.slice(0, Math.max(0, parts.length - drop));
        base = [...anchor, ...(imp.module ? [imp.module] : [])].join('.');
      }
      let hit = false;
      // `${base}.${n}` can only be a module when base is the dotted prefix of one
      if (!base || parents.has(base)) for (const n of imp.names) {
        if (n === '*') continue;
        const p = byName.get(base ? `${base}.${n}` : n);
        if (p) {
          targets.add(p);
          hit = true;
        }
      }
      const firstDot = base.indexOf('.');
      const internal = imp.level > 0 || internalTops.has(firstDot < 0 ? base : base.slice(0, firstDot));
      if (internal && base && !byName.has(base) && !hit && (imp.level === 0 || imp.module)) {
        // `from ._speedups import f` / `import pkg._native`: the module itself has no source here.
        const list = missing.get(m.path) ?? [];
        list.push({ module: base, line: imp.line });
        missing.set(m.path, list);
      }
      if (!hit) {
        // `import a.b.c` or `from a.b import attr`: the longest prefix that is a module.
        // base, then base cut at each dot from the right (what joining fewer and fewer of its parts gives)
        for (let end = base.length; ;) {
          const p = byName.get(end === base.length ? base : base.slice(0, end));
          if (p) {
            if (p !== m.path) hit = true;
            targets.add(p);
            break;
          }
          if (end <= 0) break;
          end = base.lastIndexOf('.', end - 1);
          if (end < 0) break;
        }
      }
      if (hit) {
        const names = repoNames.get(m.path) ?? new Set<string>();
        for (const b of imp.bound) names.add(b);
        repoNames.set(m.path, names);
      }
    }
    targets.delete(m.path);
    imports.set(m.path, targets);
    for (const t of targets) {
      if (!importedBy.has(t)) importedBy.set(t, new Set());
      importedBy.get(t)!.add(m.path);
    }
  }
  return { moduleName, imports, importedBy, missing, repoNames };
}

/** One evidence record for a module's imports of repo modules that have no Python source (line: the first). */
export function missingSourceEvidence(missing: { module: string; line: number }[] | undefined): Evidence[] {
  if (!missing?.length) return [];
  const names = [...new Set(missing.map((m) => m.module))];
  return [{
    detector: 'imports', signal: 'missing-source-import', value: names.length, line: Math.min(...missing.map((m) => m.line)),
    message: `imports ${names.slice(0, 3).join(', ')} from this repository, which has no Python source for ${names.length === 1 ? 'it' : 'them'}: a compiled extension (C, Cython or Rust) or generated code`,
  }];
}

/**
 * Which components call into which: for each component, the other components whose modules its
 * modules import (from the module-level graph). Sets `imports` on the component rows, sorted.
 */
export function annotateComponentImports(rows: { name: string; imports?: string[] }[], graph: ImportGraph, componentOfPath: (path: string) => string | null): void {
  const edges = new Map<string, Set<string>>();
  for (const [from, targets] of graph.imports) {
    const a = componentOfPath(from);
    if (a === null) continue;
    for (const to of targets) {
      const b = componentOfPath(to);
      if (b === null || b === a) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)!.add(b);
    }
  }
  for (const row of rows) {
    const out = edges.get(row.name);
    if (out) row.imports = [...out].sort();
  }
}
