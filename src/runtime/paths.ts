/**
 * Maps the file names a profiler recorded to the scanned modules. Profiles come from other
 * machines and layouts: py-spy writes absolute paths (speedscope) or paths shortened against
 * sys.path (raw), Scalene absolute paths. A recorded file matches the module whose path shares the
 * longest run of trailing path segments with it, as long as one of the two is a whole suffix of
 * the other; two equally good candidates make it ambiguous (and unmatched).
 */

export type PathMatch = { module: string } | { ambiguous: string[] } | null;

const LIBRARY = [
  /[\\/](site|dist)-packages[\\/]/,
  /[\\/]lib(64)?[\\/](python|pypy)\d/i,
  /[\\/]Lib[\\/]/,
  /[\\/]\.pyenv[\\/]/,
  /^<.*>$/, // <frozen importlib._bootstrap>, <string>, <built-in>
];

/** Whether a recorded path is evidently the interpreter's or an installed package's, not project code. */
export function isLibraryPath(file: string): boolean {
  return LIBRARY.some((re) => re.test(file));
}

export function isAbsolutePath(file: string): boolean {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\\\');
}

function segments(file: string): string[] {
  return file.split(/[\\/]+/).filter((s) => s && s !== '.');
}

export class ModulePathIndex {
  private readonly byBase = new Map<string, string[][]>();
  private readonly exact = new Set<string>();
  private readonly cache = new Map<string, PathMatch>();
  private readonly rootSegments: string[];

  constructor(modulePaths: string[], root: string) {
    this.rootSegments = segments(root);
    for (const path of modulePaths) {
      this.exact.add(path);
      const segs = segments(path);
      const base = segs[segs.length - 1];
      if (!base) continue;
      const list = this.byBase.get(base) ?? [];
      list.push(segs);
      this.byBase.set(base, list);
    }
  }

  match(file: string): PathMatch {
    const hit = this.cache.get(file);
    if (hit !== undefined) return hit;
    const result = this.compute(file);
    this.cache.set(file, result);
    return result;
  }

  private compute(file: string): PathMatch {
    if (!file) return null;
    let segs = segments(file);
    const r = this.rootSegments;
    if (isAbsolutePath(file) && r.length && segs.length > r.length && r.every((s, i) => s === segs[i])) segs = segs.slice(r.length);
    const rel = segs.join('/');
    if (this.exact.has(rel)) return { module: rel };
    const candidates = this.byBase.get(segs[segs.length - 1] ?? '') ?? [];
    let best = 0;
    let winners: string[] = [];
    for (const cand of candidates) {
      let common = 0;
      while (common < cand.length && common < segs.length && cand[cand.length - 1 - common] === segs[segs.length - 1 - common]) common++;
      const whole = common === cand.length || common === segs.length;
      if (!whole) continue;
      if (common > best) {
        best = common;
        winners = [cand.join('/')];
      } else if (common === best) winners.push(cand.join('/'));
    }
    if (winners.length === 1) return { module: winners[0] };
    if (winners.length > 1) return { ambiguous: winners.sort() };
    return null;
  }
}
