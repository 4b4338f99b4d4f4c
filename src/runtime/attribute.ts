/**
 * Attributes a profile's time to scanned modules, lines and functions.
 * Stacks: a sample belongs to the innermost frame that lies in a scanned module (time in library
 * code it called counts for it); it is that module's own Python time when that frame is also the
 * innermost frame of the whole stack. Scalene lines map one to one and keep Python, native and
 * system time apart. All figures are fractions of the whole run.
 */
import { isAbsolutePath, isLibraryPath, type ModulePathIndex } from './paths.js';
import type { RuntimeProfile } from './types.js';

export interface ModuleCost {
  total: number;
  python: number;
  native: number;
  system: number;
  mallocMb: number;
  copyMbPerSec: number;
  /** line → [total, python] */
  lines: Map<number, [number, number]>;
  /** function names seen on frames without a line (py-spy --nolineno): name → [total, python] */
  namedOnly: Map<string, [number, number]>;
}

export interface Attribution {
  modules: Map<string, ModuleCost>;
  matchedShare: number;
  /** Absolute, non-library paths that match no scanned module: path → fraction of the run. */
  foreign: Map<string, number>;
  /** Fraction of the run in stacks that touch such a file (each stack counted once). */
  foreignShare: number;
  /** Paths that match several scanned modules equally well: path → candidates. */
  ambiguous: Map<string, string[]>;
}

function emptyCost(): ModuleCost {
  return { total: 0, python: 0, native: 0, system: 0, mallocMb: 0, copyMbPerSec: 0, lines: new Map(), namedOnly: new Map() };
}

function add<K>(map: Map<K, [number, number]>, key: K, total: number, python: number): void {
  const cur = map.get(key) ?? [0, 0];
  cur[0] += total;
  cur[1] += python;
  map.set(key, cur);
}

export function attribute(profile: RuntimeProfile, index: ModulePathIndex): Attribution {
  const modules = new Map<string, ModuleCost>();
  const foreign = new Map<string, number>();
  const ambiguous = new Map<string, string[]>();
  const costOf = (path: string): ModuleCost => {
    let c = modules.get(path);
    if (!c) modules.set(path, (c = emptyCost()));
    return c;
  };
  const resolve = (file: string): string | null => {
    const m = index.match(file);
    if (m && 'module' in m) return m.module;
    if (m && 'ambiguous' in m) ambiguous.set(file, m.ambiguous);
    return null;
  };
  let matched = 0;
  let foreignShare = 0;

  if (profile.stacks.length) {
    const total = profile.stacks.reduce((n, s) => n + s.weight, 0) || 1;
    for (const stack of profile.stacks) {
      const share = stack.weight / total;
      let hit = -1;
      let path: string | null = null;
      for (let i = stack.frames.length - 1; i >= 0; i--) {
        path = resolve(stack.frames[i].file);
        if (path) {
          hit = i;
          break;
        }
      }
      if (!path) {
        const seen = new Set<string>();
        for (const f of stack.frames) {
          if (!f.file || seen.has(f.file) || !isAbsolutePath(f.file) || isLibraryPath(f.file) || ambiguous.has(f.file)) continue;
          seen.add(f.file);
          foreign.set(f.file, (foreign.get(f.file) ?? 0) + share);
        }
        if (seen.size) foreignShare += share;
        continue;
      }
      matched += share;
      const frame = stack.frames[hit];
      const own = hit === stack.frames.length - 1 ? share : 0;
      const cost = costOf(path);
      cost.total += share;
      cost.python += own;
      if (frame.line > 0) add(cost.lines, frame.line, share, own);
      else add(cost.namedOnly, frame.name, share, own);
    }
  } else {
    for (const l of profile.lines) {
      const path = resolve(l.file);
      const total = (l.python + l.native + l.system) / 100;
      if (!path) {
        if (isAbsolutePath(l.file) && !isLibraryPath(l.file)) {
          foreign.set(l.file, (foreign.get(l.file) ?? 0) + total);
          foreignShare += total;
        }
        continue;
      }
      matched += total;
      const cost = costOf(path);
      cost.total += total;
      cost.python += l.python / 100;
      cost.native += l.native / 100;
      cost.system += l.system / 100;
      cost.mallocMb += l.mallocMb;
      cost.copyMbPerSec += l.copyMbPerSec;
      add(cost.lines, l.line, total, l.python / 100);
    }
  }
  return { modules, matchedShare: Math.min(1, matched), foreign, foreignShare: Math.min(1, foreignShare), ambiguous };
}
