/**
 * Analyses every file: cache lookups first (in order, a bounded window at a time), then the
 * misses go to a worker pool sized to the cores — or run in this thread when the scan is small,
 * `--jobs 1` was asked for, or no compiled worker exists. Results come back in the input order,
 * so the report is identical whichever way each file was analysed.
 *
 * Memory stays bounded: no source text is held here (lookups hash and drop the bytes; workers read
 * their own files), only the queue of small task records and the finished FileResults.
 */
import { availableParallelism } from 'node:os';
import type { AnalysisLimits, FileResult } from '../analyse-file.js';
import type { ResultCache } from '../cache.js';
import { runTask, type AnalysisTask } from './task.js';
import { WorkerPool } from './worker-pool.js';
import { ResultCompactor } from './compact.js';

export interface AnalyseAllOptions {
  limits: AnalysisLimits;
  /** Worker threads (default: the number of cores); 1 analyses in this thread. */
  jobs?: number;
  cache?: ResultCache | null;
  onProgress?: (done: number, total: number) => void;
}

/** Below this many files to analyse, starting workers costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 16;
/** Cache lookups in flight at once. */
const LOOKUP_WINDOW = 32;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export async function analyseAll(root: string, files: readonly { path: string; language: string }[], options: AnalyseAllOptions): Promise<FileResult[]> {
  const jobs = Math.max(1, Math.floor(options.jobs ?? defaultJobs()));
  const results: FileResult[] = new Array(files.length);
  let done = 0;
  const compactor = new ResultCompactor();
  const finish = (i: number, r: FileResult): void => {
    results[i] = compactor.compact(r);
    options.onProgress?.(++done, files.length);
  };

  let pool: WorkerPool | null = null;
  let poolTried = jobs === 1;
  let held: { i: number; task: AnalysisTask }[] = [];
  let serial: Promise<void> = Promise.resolve();
  const running: Promise<void>[] = [];

  const run = (i: number, task: AnalysisTask): void => {
    if (pool) running.push(pool.run(task).then((r) => finish(i, r)));
    else serial = serial.then(async () => finish(i, await runTask(task)));
  };
  const dispatch = (i: number, task: AnalysisTask): void => {
    if (poolTried) return run(i, task);
    // Hold misses until there are enough of them to be worth starting workers.
    held.push({ i, task });
    if (held.length < MIN_FILES_FOR_WORKERS) return;
    poolTried = true;
    pool = WorkerPool.create(jobs);
    for (const h of held.splice(0)) run(h.i, h.task);
  };

  try {
    const cache = options.cache ?? null;
    for (let start = 0; start < files.length; start += LOOKUP_WINDOW) {
      const window = files.slice(start, start + LOOKUP_WINDOW);
      const found = await Promise.all(window.map((f) => (cache ? cache.lookup(root, f.path, f.language) : null)));
      window.forEach((f, k) => {
        const i = start + k;
        const hit = found[k];
        if (hit?.kind === 'hit') return finish(i, hit.result);
        dispatch(i, { root, path: f.path, language: f.language, limits: options.limits, store: hit?.kind === 'miss' ? hit.target : undefined });
      });
    }
    for (const h of held.splice(0)) run(h.i, h.task);
    await Promise.all(running);
    await serial;
  } finally {
    await (pool as WorkerPool | null)?.close();
  }
  return results;
}
