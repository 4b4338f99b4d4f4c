import { describe, expect, it } from 'vitest';
import { claimNext, claimOrder, LARGE, LARGE_FILE_BYTES, listOf, newBoard, OTHER, runningTask, SCRIPTS, unclaimed, type Claim, type ThreadRole } from '../../src/pool/task-board.js';

/** Drains a board with the given threads taking turns; returns what each took, as list:index. */
function drain(known: number[], roles: ThreadRole[]): string[][] {
  const board = newBoard(roles.length);
  const taken: string[][] = roles.map(() => []);
  let idle = 0;
  for (let turn = 0; idle < roles.length; turn++) {
    const thread = turn % roles.length;
    const c: Claim | null = claimNext(board, thread, claimOrder(roles[thread]), known);
    if (c) {
      taken[thread].push(`${c.list}:${c.index}`);
      idle = 0;
    } else idle++;
  }
  return taken;
}

describe('the shared task board', () => {
  it('sorts files into lists by language and size', () => {
    expect(listOf('python', 10)).toBe(OTHER);
    expect(listOf('rust', LARGE_FILE_BYTES - 1)).toBe(OTHER);
    expect(listOf('python', LARGE_FILE_BYTES)).toBe(LARGE);
    expect(listOf('javascript', 10)).toBe(SCRIPTS);
    expect(listOf('typescript', 10 * LARGE_FILE_BYTES)).toBe(SCRIPTS);
  });

  it('hands every task out exactly once, whichever thread asks', () => {
    const taken = drain([50, 7, 3], ['main', 'script-worker', 'worker', 'worker']).flat();
    expect(taken.length).toBe(60);
    expect(new Set(taken).size).toBe(60);
  });

  it('gives large files to workers and scripts to the script worker while other work remains', () => {
    const [main, script, other] = drain([40, 4, 2], ['main', 'script-worker', 'worker']);
    expect(main.some((t) => t.startsWith(`${LARGE}:`))).toBe(false);
    expect(main.some((t) => t.startsWith(`${SCRIPTS}:`))).toBe(false);
    expect(script.slice(0, 4)).toEqual(['1:0', '1:1', '1:2', '1:3']);
    expect(other.slice(0, 2)).toEqual(['2:0', '2:1']);
  });

  it('the main thread leaves scripts to the workers, and says how many wait', () => {
    const board = newBoard(2);
    expect(claimNext(board, 0, claimOrder('main'), [1, 3, 0])).toEqual({ list: OTHER, index: 0 });
    expect(claimNext(board, 0, claimOrder('main'), [1, 3, 0])).toBeNull();
    expect(unclaimed(board, SCRIPTS, 3)).toBe(3);
    expect(claimNext(board, 1, claimOrder('worker'), [1, 3, 0])).toEqual({ list: SCRIPTS, index: 0 });
    expect(unclaimed(board, SCRIPTS, 3)).toBe(2);
  });

  it('the main thread alone takes everything, large files first', () => {
    const [main] = drain([2, 1, 1], ['main-alone']);
    expect(main).toEqual(['2:0', '0:0', '0:1', '1:0']);
  });

  it('never claims past the tasks a thread has received', () => {
    const board = newBoard(2);
    expect(claimNext(board, 1, claimOrder('worker'), [1, 0, 0])).toEqual({ list: OTHER, index: 0 });
    expect(claimNext(board, 1, claimOrder('worker'), [1, 0, 0])).toBeNull();
    // the main thread has published more: it takes the next one, and the worker does once it knows of it
    expect(claimNext(board, 0, claimOrder('main'), [3, 0, 0])).toEqual({ list: OTHER, index: 1 });
    expect(claimNext(board, 1, claimOrder('worker'), [3, 0, 0])).toEqual({ list: OTHER, index: 2 });
  });

  it('remembers the task each thread runs until its next claim', () => {
    const board = newBoard(3);
    expect(runningTask(board, 2)).toBeNull();
    claimNext(board, 2, claimOrder('worker'), [0, 0, 5]);
    claimNext(board, 2, claimOrder('worker'), [0, 0, 5]);
    expect(runningTask(board, 2)).toEqual({ list: LARGE, index: 1 });
    expect(runningTask(board, 1)).toBeNull();
    claimNext(board, 2, claimOrder('worker'), [0, 0, 2]);
    expect(runningTask(board, 2)).toBeNull();
  });
});
