/**
 * Which queued task a worker takes next. TypeScript/JavaScript files go to one worker (the first
 * live one) while the others have other work: loading the TypeScript compiler costs a worker
 * ≈ 0.5 s, so a mostly Python repo with a few .js files (django: 86) pays it once, not per worker.
 */

/** Languages whose analysis loads the TypeScript compiler. */
export const USES_TYPESCRIPT: ReadonlySet<string> = new Set(['typescript', 'javascript']);

/**
 * Index in `queue` of the next task for a worker: the head for the script worker, or when no
 * other work is queued (`otherQueued`, the count of queued tasks that do not load TypeScript);
 * else the first task that does not load TypeScript.
 */
export function nextTaskIndex(queue: readonly { task: { language: string } }[], scriptWorker: boolean, otherQueued: number): number {
  if (scriptWorker || otherQueued === 0) return 0;
  const i = queue.findIndex((p) => !USES_TYPESCRIPT.has(p.task.language));
  return i < 0 ? 0 : i;
}
