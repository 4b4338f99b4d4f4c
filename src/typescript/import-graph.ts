/**
 * The TypeScript/JavaScript import graph: relative specifiers (`./kernel`, `../lib/index.js`)
 * resolved against the scanned files only — no node_modules, no tsconfig paths, no package
 * exports maps. Bare specifiers (packages) are external and counted as fan-out elsewhere.
 */
import { posix } from 'node:path';
import type { TsImportFact } from './facts.js';

export interface ScriptImportGraph {
  imports: Map<string, Set<string>>;
  importedBy: Map<string, Set<string>>;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Candidate repo paths for a relative specifier, in resolution order (`./a.js` may name `a.ts`). */
export function candidatesFor(from: string, specifier: string): string[] {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = base.replace(/\.(m|c)?jsx?$/, '');
  const out = [base];
  for (const ext of EXTENSIONS) out.push(stem + ext);
  for (const ext of EXTENSIONS) out.push(`${base}/index${ext}`);
  return out;
}

export function buildScriptImportGraph(modules: { path: string; imports: TsImportFact[] }[]): ScriptImportGraph {
  const known = new Set(modules.map((m) => m.path));
  const imports = new Map<string, Set<string>>();
  const importedBy = new Map<string, Set<string>>();
  for (const m of modules) {
    const targets = new Set<string>();
    for (const imp of m.imports) {
      if (imp.typeOnly || !imp.module.startsWith('.')) continue;
      const hit = candidatesFor(m.path, imp.module).find((c) => known.has(c));
      if (hit && hit !== m.path) targets.add(hit);
    }
    imports.set(m.path, targets);
    for (const t of targets) {
      if (!importedBy.has(t)) importedBy.set(t, new Set());
      importedBy.get(t)!.add(m.path);
    }
  }
  return { imports, importedBy };
}
