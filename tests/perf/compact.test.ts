import { describe, expect, it } from 'vitest';
import { ResultCompactor } from '../../src/pool/compact.js';
import { profileOf, py } from '../helpers.js';

const SOURCE = py`
  def add(a, b):
      return a + b

  def sub(a, b):
      return a - b

  def typed(x: int) -> int:
      total = 0
      for i in range(x):
          total += i * i ^ 3
      return total
`;

describe('result compaction', () => {
  it('shares equal boundaries across files and leaves every value unchanged', async () => {
    const first = await profileOf(SOURCE, 'a.py');
    const second = await profileOf(SOURCE, 'b.py');
    const before = JSON.stringify([first, second]);
    const compactor = new ResultCompactor();
    compactor.compact({ path: 'a.py', python: first, warnings: [] });
    compactor.compact({ path: 'b.py', python: second, warnings: [] });
    expect(JSON.stringify([first, second])).toBe(before);
    const fn = (p: typeof first, name: string) => p.functions.find((f) => f.name === name)!;
    // (a, b) without hints: the same boundary within a file and across files.
    expect(fn(first, 'add').boundary).toBe(fn(first, 'sub').boundary);
    expect(fn(second, 'add').boundary).toBe(fn(first, 'add').boundary);
    // A different signature keeps its own boundary.
    expect(fn(first, 'typed').boundary).not.toBe(fn(first, 'add').boundary);
    expect(fn(second, 'typed').boundary).toBe(fn(first, 'typed').boundary);
  });

  it('passes results without a Python profile through untouched', () => {
    const result = { path: 'x.rs', warnings: [] };
    expect(new ResultCompactor().compact(result)).toBe(result);
  });
});
