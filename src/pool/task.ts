/**
 * One unit of work, the same in a worker thread and in the main thread: analyse one file with
 * analyseFile. Only plain data crosses threads.
 */
import { analyseFile, type FileResult } from '../analyse-file.js';
import type { AnalysisLimits } from '../analysis-limits.js';

export interface AnalysisTask {
  root: string;
  path: string;
  language: string;
  limits: AnalysisLimits;
}

export function runTask(task: AnalysisTask): Promise<FileResult> {
  return analyseFile(task.root, task.path, task.language, task.limits);
}
