/**
 * The shared board every analysing thread takes its next file from: lists of tasks published by the
 * main thread, and one counter per list in shared memory. A thread claims the next index of a list
 * with a compare-and-swap, so no thread waits on a message round trip for work and the threads
 * stay evenly loaded to the last file.
 *
 * Which lists a thread takes from, in its order of preference (claimOrder):
 * - large files go to worker threads first: they are the long poles (taken early, the threads still
 *   finish together), and parsing one grows a thread's WebAssembly memory for good, which the main
 *   thread, holding every result, should not pay;
 * - scripts (TypeScript/JavaScript) go to one worker, the script thread, while other work remains:
 *   loading the TypeScript compiler costs a thread ≈ 0.5 s, so a mostly Python repo with a few .js
 *   files (django: 86) pays it once. Other workers take scripts only once nothing else is left; the
 *   main thread never does while a worker lives: the TypeScript parser recurses, and the main
 *   thread's stack (≈ 1 MB) is a quarter of a worker's, so a deeply nested script could fail there
 *   and not in a worker — the report would depend on which thread took it.
 *
 * Each thread also records the task it is running, so the main thread can finish the task of a
 * worker that dies.
 */

/** Languages whose analysis loads the TypeScript compiler. */
export const USES_TYPESCRIPT: ReadonlySet<string> = new Set(['typescript', 'javascript']);

/** Files at least this large go to the LARGE list (sympy: 9 of 1,472 files, a sixth of its nodes). */
export const LARGE_FILE_BYTES = 256 * 1024;

export const OTHER = 0;
export const SCRIPTS = 1;
export const LARGE = 2;
export type ListId = typeof OTHER | typeof SCRIPTS | typeof LARGE;
const LISTS = 3;

export const listOf = (language: string, bytes: number): ListId => (USES_TYPESCRIPT.has(language) ? SCRIPTS : bytes >= LARGE_FILE_BYTES ? LARGE : OTHER);

export type ThreadRole = 'script-worker' | 'worker' | 'main' | 'main-alone';

/** The lists a thread takes from, most preferred first (`main-alone`: the main thread with no live worker). */
export function claimOrder(role: ThreadRole): readonly ListId[] {
  switch (role) {
    case 'script-worker':
      return [SCRIPTS, LARGE, OTHER];
    case 'worker':
      return [LARGE, OTHER, SCRIPTS];
    case 'main':
      return [OTHER];
    case 'main-alone':
      return [LARGE, OTHER, SCRIPTS];
  }
}

export interface Claim {
  list: ListId;
  index: number;
}

/** A board for `threads` threads (the main thread is thread 0): the lists' next indices, then one "running" word per thread. */
export function newBoard(threads: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * (LISTS + threads)));
}

/**
 * The next task for a thread that has received `known[list]` tasks of each list, taken from the
 * lists in `order`, and recorded as the thread's running task — before it is taken, so that a
 * thread stopped between the two leaves a task to run again, never one lost. Null when there is
 * nothing to take.
 */
export function claimNext(board: Int32Array, thread: number, order: readonly ListId[], known: readonly number[]): Claim | null {
  for (const list of order) {
    for (;;) {
      const next = Atomics.load(board, list);
      if (next >= (known[list] ?? 0)) break;
      Atomics.store(board, LISTS + thread, 1 + next * LISTS + list);
      if (Atomics.compareExchange(board, list, next, next + 1) === next) return { list, index: next };
    }
  }
  Atomics.store(board, LISTS + thread, 0);
  return null;
}

/**
 * The task a thread claimed last, if it has not claimed (or failed to claim) since; else null.
 * It may be one another thread took instead, when the thread stopped mid-claim.
 */
export function runningTask(board: Int32Array, thread: number): Claim | null {
  const word = Atomics.load(board, LISTS + thread);
  if (word === 0) return null;
  return { list: ((word - 1) % LISTS) as ListId, index: Math.floor((word - 1) / LISTS) };
}

/** Tasks of `list` published (`known`) and not yet claimed by any thread. */
export function unclaimed(board: Int32Array, list: ListId, known: number): number {
  return Math.max(0, known - Atomics.load(board, list));
}
