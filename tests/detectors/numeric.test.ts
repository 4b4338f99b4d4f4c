import { describe, expect, it } from 'vitest';
import { numeric } from '../../detectors/numeric.js';
import { py, run, signals } from '../helpers.js';

describe('numeric detector', () => {
  it('counts whole-array NumPy/pandas calls as vectorised, not as loops', async () => {
    const ev = await run(numeric, py`
      import numpy as np
      import pandas as pd

      def normalise(frame: pd.DataFrame):
          values = frame.to_numpy()
          norms = np.linalg.norm(values, axis=1)
          return pd.DataFrame(values / norms[:, None])
    `);
    expect(signals(ev)).toEqual(['vectorised-call']);
    expect(ev[0].value).toBe(2);
    expect(ev[0].line).toBe(6);
  });

  it('flags element-by-element array indexing in a Python loop', async () => {
    const ev = await run(numeric, py`
      import numpy as np

      def smooth(a):
          out = np.empty_like(a)
          for i in range(1, len(a) - 1):
              out[i] = (a[i - 1] + a[i] + a[i + 1]) / 3.0
          return out
    `);
    expect(signals(ev)).toEqual(['array-element-loop', 'scalar-math', 'vectorised-call']);
    expect(ev.find((e) => e.signal === 'array-element-loop')!.line).toBe(5);
  });

  it('sees scalar math.* calls in loops without NumPy', async () => {
    const ev = await run(numeric, py`
      import math

      def haversine_all(points):
          total = 0.0
          for (a, b), (c, d) in zip(points, points[1:]):
              total += math.sin(a - c) ** 2 + math.cos(a) * math.cos(c) * math.sin(b - d) ** 2
          return total
    `);
    expect(signals(ev)).toEqual(['scalar-math']);
  });

  it('does not resolve a local name that merely looks like np', async () => {
    const ev = await run(numeric, py`
      def f(np):
          return np.sum()
    `);
    expect(ev).toEqual([]);
  });
});
