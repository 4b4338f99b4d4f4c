/**
 * A fixed set of worker threads running AnalysisTasks. Files are streamed to the workers as they
 * free up (a couple in flight per worker to hide the message round trip); each answer is one
 * FileResult as JSON text, parsed here. If a worker dies, its unfinished tasks run in the main
 * thread instead, so a crash costs time, never results.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileResult } from '../analyse-file.js';
import { runTaskHere, type AnalysisTask } from './run-here.js';
import type { Answer, TaskMessage } from './worker.js';
import { nextTaskIndex, USES_TYPESCRIPT } from './next-task.js';

/** Tasks in flight per worker: one running, one waiting, so a worker never idles on a round trip. */
const IN_FLIGHT_PER_WORKER = 2;

/** One file's result, with the JSON text it arrived as (absent when analysed in this thread). */
export interface Analysed {
  result: FileResult;
  json?: string;
}

interface Pending {
  id: number;
  task: AnalysisTask;
  resolve: (a: Analysed) => void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Pending>;
  alive: boolean;
}

/**
 * A worker holds one or two files' facts at a time, so a small old generation is plenty; it
 * makes V8 collect early instead of letting every thread's heap grow (on a large repo the threads'
 * uncollected garbage, not live data, was most of the peak RSS). A worker that still runs out of
 * memory dies, and its files are analysed in the main thread.
 */
const WORKER_OPTIONS = { resourceLimits: { maxOldGenerationSizeMb: 192 } };

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
  private readonly queue: Pending[] = [];
  /** Queued tasks that do not load the TypeScript compiler. */
  private otherQueued = 0;
  private nextId = 0;
  private closed = false;

  private constructor(entry: URL, size: number) {
    for (let i = 0; i < size; i++) {
      const slot: Slot = { worker: new Worker(entry, WORKER_OPTIONS), inFlight: new Map(), alive: true };
      slot.worker.on('message', (m: Answer) => this.answered(slot, m));
      slot.worker.on('error', () => this.failed(slot));
      slot.worker.on('exit', () => this.failed(slot));
      this.slots.push(slot);
    }
  }

  /** A pool of `size` workers, or null when workers cannot be used here (then run in-thread). */
  static create(size: number): WorkerPool | null {
    const entry = workerEntry();
    if (!entry || size < 1) return null;
    try {
      return new WorkerPool(entry, size);
    } catch {
      return null;
    }
  }

  get size(): number {
    return this.slots.length;
  }

  run(task: AnalysisTask): Promise<Analysed> {
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, task, resolve });
      if (!USES_TYPESCRIPT.has(task.language)) this.otherQueued++;
      this.pump();
    });
  }

  /** The next task for a slot (src/pool/next-task.ts: TypeScript/JavaScript files to one worker). */
  private nextFor(slot: Slot): Pending | undefined {
    const i = nextTaskIndex(this.queue, slot === this.slots.find((s) => s.alive), this.otherQueued);
    const next = i === 0 ? this.queue.shift() : this.queue.splice(i, 1)[0];
    if (next && !USES_TYPESCRIPT.has(next.task.language)) this.otherQueued--;
    return next;
  }

  private pump(): void {
    for (const slot of this.slots) {
      while (slot.alive && slot.inFlight.size < IN_FLIGHT_PER_WORKER && this.queue.length) {
        const p = this.nextFor(slot)!;
        slot.inFlight.set(p.id, p);
        const msg: TaskMessage = { id: p.id, task: p.task };
        slot.worker.postMessage(msg);
      }
    }
    if (this.queue.length && !this.slots.some((s) => s.alive)) {
      this.otherQueued = 0;
      for (const p of this.queue.splice(0)) this.inThread(p);
    }
  }

  private answered(slot: Slot, m: Answer): void {
    const p = slot.inFlight.get(m.id);
    if (!p) return;
    slot.inFlight.delete(m.id);
    const json = 'json' in m ? m.json : null;
    const result = json === null ? null : parseResult(json);
    if (json !== null && result) p.resolve({ result, json });
    else this.inThread(p);
    this.pump();
  }

  private failed(slot: Slot): void {
    if (!slot.alive) return;
    slot.alive = false;
    if (this.closed) return;
    const orphans = [...slot.inFlight.values()];
    slot.inFlight.clear();
    for (const p of orphans) this.inThread(p);
    this.pump();
  }

  private inThread(p: Pending): void {
    void runTaskHere(p.task).then((result) => p.resolve({ result }), (err: unknown) => p.resolve({ result: {
      path: p.task.path,
      warnings: [{ path: p.task.path, message: `could not be analysed (internal error: ${String(err).slice(0, 200)}), skipped`, code: 'analysis-failed' }],
    } }));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => 0)));
  }
}
