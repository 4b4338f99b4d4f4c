/**
 * Worker-thread entry: receives AnalysisTasks one message at a time, answers with the FileResult
 * as JSON text (profiles only; trees and source text never leave the thread). One string crosses
 * far cheaper than a structured clone of the object graph (about 2× less CPU on each side), and
 * it is the very text the cache stores.
 */
import { parentPort } from 'node:worker_threads';
import { runTask, type AnalysisTask } from './task.js';

export interface TaskMessage {
  id: number;
  task: AnalysisTask;
}

export type Answer = { id: number; json: string } | { id: number; error: string };

if (parentPort) {
  const port = parentPort;
  port.on('message', (msg: TaskMessage) => {
    runTask(msg.task)
      .then((result) => JSON.stringify(result))
      .then(
        (json) => port.postMessage({ id: msg.id, json } satisfies Answer),
        (err: unknown) => port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) } satisfies Answer),
      );
  });
}
