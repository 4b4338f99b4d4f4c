/**
 * Analyses every file: cache lookups first (in order, in this thread), then the misses are
 * analysed by as many threads as cores, this one and `jobs - 1` workers (src/pool/worker-pool.ts)
 * — or by this thread alone when the scan is small, `--jobs 1` was asked for, or no compiled
 * worker exists. Results come back in the input order, so the report is
 * identical whichever way each file was analysed.
 *
 * Memory stays bounded: no source text is held here beyond the file this thread analyses (lookups
 * hash and drop the bytes; workers read their own files), only the small task records and the
 * finished FileResults. A result's
 * JSON text (as a worker sends it, or serialised here) goes straight to the cache's new pack.
 */
import { availableParallelism } from 'node:os';
import type { FileResult } from '../analyse-file.js';
import type { AnalysisLimits } from '../analysis-limits.js';
import { cacheable, type ResultCache } from '../cache.js';
import { runTaskHere, type AnalysisTask } from './run-here.js';
import { WorkerPool, type Analysed } from './worker-pool.js';
import { ResultCompactor } from './compact.js';
import { nextTurn } from './next-turn.js';

export interface AnalyseAllOptions {
  limits: AnalysisLimits;
  /** Analysing threads, this one included (default: the number of cores); 1 = no workers. */
  jobs?: number;
  cache?: ResultCache | null;
  onProgress?: (done: number, total: number) => void;
}

/** Below this many files to analyse, starting workers costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 16;
/** Lookups between two turns of the event loop (so workers' answers are taken while lookups go on). */
const LOOKUPS_PER_TURN = 64;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export async function analyseAll(root: string, files: readonly { path: string; language: string }[], options: AnalyseAllOptions): Promise<FileResult[]> {
  const jobs = Math.max(1, Math.floor(options.jobs ?? defaultJobs()));
  const cache = options.cache ?? null;
  const results: FileResult[] = new Array(files.length);
  let done = 0;
  const compactor = new ResultCompactor();
  const finish = (i: number, r: FileResult): void => {
    results[i] = compactor.compact(r);
    options.onProgress?.(++done, files.length);
  };
  /** A miss analysed: stored under its cache key (as the worker's JSON, or serialised now), then kept. */
  const analysed = (i: number, key: string | undefined, a: Analysed): void => {
    if (key !== undefined && cache && cacheable(a.result)) cache.store(key, a.json ?? JSON.stringify(a.result));
    finish(i, a.result);
  };

  let pool: WorkerPool | null = null;
  let poolTried = jobs === 1;
  const held: { i: number; task: AnalysisTask; key?: string }[] = [];
  let serial: Promise<void> = Promise.resolve();
  const running: Promise<void>[] = [];

  const run = (i: number, task: AnalysisTask, key: string | undefined): void => {
    if (pool) running.push(pool.run(task).then((a) => analysed(i, key, a)));
    else serial = serial.then(async () => analysed(i, key, { result: await runTaskHere(task) }));
  };
  const dispatch = (i: number, task: AnalysisTask, key: string | undefined): void => {
    if (poolTried) return run(i, task, key);
    // Hold misses until there are enough of them to be worth starting workers.
    held.push({ i, task, key });
    if (held.length < MIN_FILES_FOR_WORKERS) return;
    poolTried = true;
    pool = WorkerPool.create(jobs - 1);
    for (const h of held.splice(0)) run(h.i, h.task, h.key);
  };

  let ok = false;
  try {
    for (let i = 0; i < files.length; i++) {
      if (i && i % LOOKUPS_PER_TURN === 0) await nextTurn();
      const f = files[i];
      const found = cache ? cache.lookup(root, f.path, f.language) : null;
      if (found?.kind === 'hit') finish(i, found.result);
      else dispatch(i, { root, path: f.path, language: f.language, limits: options.limits }, found?.kind === 'miss' ? found.key : undefined);
    }
    for (const h of held.splice(0)) run(h.i, h.task, h.key);
    await Promise.all(running);
    await serial;
    ok = true;
  } finally {
    cache?.close(ok);
    // Not awaited: the workers wind down on their own threads while this one builds the report
    // (waiting cost the serial tail ~45 ms on sympy); close() never rejects.
    void (pool as WorkerPool | null)?.close();
  }
  return results;
}
