/**
 * Worker-thread entry: receives AnalysisTasks one message at a time, answers with the plain
 * FileResult (profiles only; trees and source text never leave the thread).
 */
import { parentPort } from 'node:worker_threads';
import { runTask, type AnalysisTask } from './task.js';

export interface TaskMessage {
  id: number;
  task: AnalysisTask;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (msg: TaskMessage) => {
    runTask(msg.task).then(
      (result) => port.postMessage({ id: msg.id, result }),
      (err: unknown) => port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
