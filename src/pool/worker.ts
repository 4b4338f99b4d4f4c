/**
 * Worker-thread entry: takes tasks from the shared board (src/pool/task-board.ts) as long as it
 * holds any, and answers each with the FileResult as JSON text (profiles only; trees and source
 * text never leave the thread). One string crosses far cheaper than a structured clone of the
 * object graph (about 2× less CPU on each side), and it is the very text the cache stores. The
 * main thread sends the tasks in batches as it finds them; a worker that has run out waits for
 * the next batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type AnalysisTask } from './task.js';
import { claimNext, claimOrder, type Claim, type ListId } from './task-board.js';
import { nextTurn } from './next-turn.js';

export interface WorkerSetup {
  board: Int32Array;
  /** This worker's thread number on the board (the main thread is 0). */
  thread: number;
  role: 'script-worker' | 'worker';
}

/** Tasks appended to one of the board's lists, in order. */
export interface TaskBatch {
  list: ListId;
  tasks: AnalysisTask[];
}

export type Answer = (Claim & { json: string }) | (Claim & { error: string });

if (parentPort) {
  const port = parentPort;
  const { board, thread, role } = workerData as WorkerSetup;
  const order = claimOrder(role);
  const lists: AnalysisTask[][] = [[], [], []];
  let working = false;
  const work = async (): Promise<void> => {
    working = true;
    for (;;) {
      const claim = claimNext(board, thread, order, lists.map((l) => l.length));
      if (!claim) break;
      let answer: Answer;
      try {
        answer = { ...claim, json: JSON.stringify(await runTask(lists[claim.list][claim.index])) };
      } catch (err) {
        answer = { ...claim, error: err instanceof Error ? err.message : String(err) };
      }
      port.postMessage(answer);
      await nextTurn(); // V8 runs its posted GC tasks there
    }
    working = false;
  };
  port.on('message', (batch: TaskBatch) => {
    const list = lists[batch.list];
    for (const task of batch.tasks) list.push(task);
    if (!working) void work();
  });
}
