/**
 * Runs an AnalysisTask in this thread. The analysis modules (parsers, facts, detectors) are loaded
 * on the first such task: a scan whose files all come from the cache or go to workers never loads
 * them in the main thread.
 */
import type { FileResult } from '../analyse-file.js';
import type { AnalysisTask } from './task.js';

export type { AnalysisTask };

export async function runTaskHere(task: AnalysisTask): Promise<FileResult> {
  const { runTask } = await import('./task.js');
  return runTask(task);
}
