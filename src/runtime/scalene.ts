/**
 * Scalene `--json`: `files` maps each profiled file to its `lines`, each line with
 * `n_cpu_percent_python` (time interpreting Python), `n_cpu_percent_c` (native code: C extensions,
 * NumPy, the interpreter's built-ins), `n_sys_percent` (system time), `n_malloc_mb` and
 * `n_copy_mb_s`. All CPU figures are percent of the whole run, so they add across files.
 */
import { ProfileError, type LineCost, type RuntimeProfile } from './types.js';

type Json = Record<string, unknown>;

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);

export function looksLikeScalene(doc: unknown): boolean {
  return isObject(doc) && isObject(doc.files) && ('elapsed_time_sec' in doc || Object.values(doc.files).some((f) => isObject(f) && Array.isArray(f.lines)));
}

export function readScalene(doc: unknown, source: string): RuntimeProfile {
  if (!looksLikeScalene(doc)) throw new ProfileError('not Scalene JSON (no files → lines)');
  const root = doc as Json & { files: Json };
  const lines: LineCost[] = [];
  for (const [file, entry] of Object.entries(root.files)) {
    if (!isObject(entry) || !Array.isArray(entry.lines)) throw new ProfileError(`file ${JSON.stringify(file)} has no lines array`);
    for (const l of entry.lines) {
      if (!isObject(l) || typeof l.lineno !== 'number' || l.lineno < 1) throw new ProfileError(`file ${JSON.stringify(file)}: a line record has no lineno`);
      lines.push({
        file, line: Math.floor(l.lineno), python: num(l.n_cpu_percent_python), native: num(l.n_cpu_percent_c), system: num(l.n_sys_percent),
        mallocMb: num(l.n_malloc_mb), copyMbPerSec: num(l.n_copy_mb_s),
      });
    }
  }
  return {
    source, format: 'scalene', elapsedSeconds: num(root.elapsed_time_sec) || undefined, separatesNative: true, stacks: [], lines,
  };
}
