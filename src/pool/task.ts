/**
 * One unit of work, the same in a worker thread and in the main thread: analyse one file with
 * analyseFile and, on a cache miss, store the result. Only plain data crosses threads.
 */
import { analyseFile, type AnalysisLimits, type FileResult } from '../analyse-file.js';
import { writeEntry, type EntryTarget } from '../cache.js';

export interface AnalysisTask {
  root: string;
  path: string;
  language: string;
  limits: AnalysisLimits;
  /** Set on a cache miss: where to store the result. */
  store?: EntryTarget;
}

export async function runTask(task: AnalysisTask): Promise<FileResult> {
  const result = await analyseFile(task.root, task.path, task.language, task.limits);
  if (task.store) await writeEntry(task.store, result);
  return result;
}
