/**
 * Worker threads plus this thread, all analysing: every thread takes its next file from the shared
 * task board (src/pool/task-board.ts), so none waits on a round trip and all finish together. Each
 * worker's answer is one FileResult as JSON text, parsed here; this thread analyses between
 * taking answers. If a worker dies, the file it was on is analysed here and the others go on
 * without it, so a crash costs time, never results.
 *
 * This thread also holds every result until the report is built. On a repository so large that
 * they fill more than HERE_HEAP_BUDGET of its heap, it stops analysing and a fresh worker takes
 * its place, so its own garbage never adds to that peak. It does not analyse scripts while a
 * worker lives (task-board.ts says why): when nothing else is left for it and at least
 * SCRIPTS_FOR_A_HELPER scripts wait, a fresh worker takes its place the same way.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileResult } from '../analyse-file.js';
import { runTaskHere, type AnalysisTask } from './run-here.js';
import { nextTurn } from './next-turn.js';
import { claimNext, claimOrder, listOf, newBoard, runningTask, SCRIPTS, unclaimed, type Claim, type ListId } from './task-board.js';
import type { Answer, TaskBatch, WorkerSetup } from './worker.js';

/** One file's result, with the JSON text it arrived as (absent when analysed in this thread). */
export interface Analysed {
  result: FileResult;
  json?: string;
}

interface Pending {
  task: AnalysisTask;
  /** Null once settled: a kept resolver would keep its promise, and the result in it, alive. */
  resolve: ((a: Analysed) => void) | null;
}

interface Slot {
  worker: Worker;
  thread: number;
  alive: boolean;
}

/**
 * A worker holds one file's facts at a time, so a small old generation is plenty; it makes V8
 * collect early instead of letting every thread's heap grow (on a large repo the threads'
 * uncollected garbage, not live data, was most of the peak RSS). A worker that still runs out of
 * memory dies, and its file is analysed in the main thread.
 */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 192 };
/** This thread analyses while its heap holds less than this many bytes (results included). */
export const HERE_HEAP_BUDGET = 256 * 1024 * 1024;

/** Unclaimed scripts worth starting a worker (and a TypeScript compiler load, ≈ 0.7 CPU s) for. */
const SCRIPTS_FOR_A_HELPER = 32;

export interface PoolOptions {
  /** Overrides HERE_HEAP_BUDGET (tests). */
  hereHeapBudget?: number;
}

function parseResult(json: string): FileResult | null {
  try {
    return JSON.parse(json) as FileResult;
  } catch {
    return null;
  }
}

/** The compiled worker entry beside this module (absent when running the TypeScript sources). */
export function workerEntry(): URL | null {
  const url = new URL('./worker.js', import.meta.url);
  try {
    return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
  } catch {
    return null;
  }
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly board: Int32Array;
  /** Every task published, per board list, in claim order. */
  private readonly lists: Pending[][] = [[], [], []];
  /** Tasks published here and not yet sent to the workers. */
  private readonly unsent: AnalysisTask[][] = [[], [], []];
  /** Tasks of dead workers (or whose answer did not parse), analysed here first. */
  private readonly orphans: Claim[] = [];
  private sendScheduled = false;
  private workingHere = false;
  /** Whether this thread has handed its share to a fresh worker (its heap budget, or scripts waiting), or could not. */
  private retirement: 'no' | 'retired' | 'failed' = 'no';
  private closed = false;

  private constructor(private readonly entry: URL, workers: number, private readonly hereHeapBudget: number) {
    // one spare thread number: the worker that takes over when this thread retires
    this.board = newBoard(workers + 2);
    try {
      for (let thread = 1; thread <= workers; thread++) this.startWorker(thread);
    } catch (err) {
      for (const slot of this.slots) void slot.worker.terminate();
      throw err;
    }
  }

  private startWorker(thread: number): void {
    const workerData: WorkerSetup = { board: this.board, thread, role: thread === 1 ? 'script-worker' : 'worker' };
    const slot: Slot = { worker: new Worker(this.entry, { workerData, resourceLimits: RESOURCE_LIMITS }), thread, alive: true };
    slot.worker.on('message', (m: Answer) => this.answered(m));
    slot.worker.on('error', () => this.failed(slot));
    slot.worker.on('exit', () => this.failed(slot));
    this.slots.push(slot);
  }

  /**
   * Hands this thread's share to a fresh worker, which first receives every task published so far.
   * If no worker can be started, this thread goes on analysing.
   */
  private retire(): void {
    try {
      this.startWorker(this.slots.length + 1);
    } catch {
      this.retirement = 'failed';
      return;
    }
    this.retirement = 'retired';
    const slot = this.slots[this.slots.length - 1];
    this.lists.forEach((list, id) => {
      const sent = list.length - this.unsent[id].length;
      if (sent > 0) slot.worker.postMessage({ list: id, tasks: list.slice(0, sent).map((p) => p.task) } as TaskBatch);
    });
  }

  /** `workers` worker threads beside this one, or null when workers cannot be used here (then run in-thread). */
  static create(workers: number, options: PoolOptions = {}): WorkerPool | null {
    const entry = workerEntry();
    if (!entry || workers < 1) return null;
    try {
      return new WorkerPool(entry, workers, options.hereHeapBudget ?? HERE_HEAP_BUDGET);
    } catch {
      return null;
    }
  }

  /** Worker threads (this thread, which analyses too, not counted). */
  get size(): number {
    return this.slots.length;
  }

  run(task: AnalysisTask): Promise<Analysed> {
    return new Promise((resolve) => {
      const list = listOf(task.language, fileBytes(task));
      this.lists[list].push({ task, resolve });
      this.unsent[list].push(task);
      if (!this.sendScheduled) {
        this.sendScheduled = true;
        queueMicrotask(() => this.send());
      }
    });
  }

  /** Sends the tasks published since the last batch to every worker, then makes sure this thread works too. */
  private send(): void {
    this.sendScheduled = false;
    for (let list = 0; list < this.unsent.length; list++) {
      if (!this.unsent[list].length) continue;
      const batch: TaskBatch = { list: list as ListId, tasks: this.unsent[list].splice(0) };
      for (const slot of this.slots) if (slot.alive) slot.worker.postMessage(batch);
    }
    this.workHere();
  }

  /**
   * Analyses tasks in this thread until none is left to claim, one per turn of the event loop so
   * that workers' answers (and the caller's cache lookups) are taken in between.
   */
  private workHere(): void {
    if (this.workingHere || this.closed) return;
    this.workingHere = true;
    void (async () => {
      try {
        for (;;) {
          await nextTurn();
          const alone = !this.slots.some((s) => s.alive);
          if (!alone && this.retirement === 'no' && !this.orphans.length && getHeapStatistics().used_heap_size > this.hereHeapBudget) this.retire();
          const claim = this.orphans.shift() ?? (this.retirement === 'retired' && !alone ? null : claimNext(this.board, 0, claimOrder(alone ? 'main-alone' : 'main'), this.lists.map((l) => l.length)));
          if (!claim) {
            if (!alone && this.retirement === 'no' && unclaimed(this.board, SCRIPTS, this.lists[SCRIPTS].length) >= SCRIPTS_FOR_A_HELPER) this.retire();
            break;
          }
          const p = this.lists[claim.list][claim.index];
          if (p.resolve) this.settle(p, await analyseHere(p.task));
        }
      } finally {
        this.workingHere = false;
      }
    })();
  }

  private settle(p: Pending, a: Analysed): void {
    const resolve = p.resolve;
    p.resolve = null;
    resolve?.(a);
  }

  private answered(m: Answer): void {
    const p = this.lists[m.list]?.[m.index];
    if (!p?.resolve) return;
    const result = 'json' in m ? parseResult(m.json) : null;
    if (result) this.settle(p, { result, json: (m as { json: string }).json });
    else {
      this.orphans.push({ list: m.list, index: m.index });
      this.workHere();
    }
  }

  private failed(slot: Slot): void {
    if (!slot.alive) return;
    slot.alive = false;
    if (this.closed) return;
    const running = runningTask(this.board, slot.thread);
    if (running && this.lists[running.list][running.index]?.resolve) this.orphans.push(running);
    this.workHere();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => 0)));
  }
}

/** The file's size in bytes (0 when it cannot be read: the task reports that itself). */
function fileBytes(task: AnalysisTask): number {
  try {
    return statSync(join(task.root, task.path), { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    return 0;
  }
}

/**
 * Runs a task in this thread. The result goes through JSON text and back, like a worker's answer:
 * the text is what the cache stores, and the parsed copy holds no substrings of the file's source
 * (those would keep every source text this thread analysed alive until the report is built). An
 * unexpected failure becomes the file's warning, never a rejection.
 */
async function analyseHere(task: AnalysisTask): Promise<Analysed> {
  try {
    const json = JSON.stringify(await runTaskHere(task));
    return { result: JSON.parse(json) as FileResult, json };
  } catch (err) {
    return { result: { path: task.path, warnings: [{ path: task.path, message: `could not be analysed (internal error: ${String(err).slice(0, 200)}), skipped`, code: 'analysis-failed' }] } };
  }
}
