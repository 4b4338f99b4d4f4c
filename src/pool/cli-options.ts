/** The speed flags of `scan`: --jobs, --cache-dir, --no-cache. */
import { InvalidArgumentError } from 'commander';
import type { ScanCacheOption } from '../cache.js';

export function parseJobs(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of analysing threads ≥ 1, got '${value}'`);
  return n;
}

/** commander gives `cache: false` for --no-cache and `cacheDir` for --cache-dir. */
export function speedOptions(opts: { jobs?: number; cache?: boolean; cacheDir?: string }): { jobs?: number; cache: ScanCacheOption } {
  return { jobs: opts.jobs, cache: opts.cache === false ? false : { dir: opts.cacheDir } };
}
