import { describe, expect, it } from 'vitest';
import { hotLoops } from '../../detectors/hot-loops.js';
import { numeric } from '../../detectors/numeric.js';
import { py, run, signals } from '../helpers.js';

describe('numeric + hot-loops on array code', () => {
  it('a vectorised NumPy pipeline is not a hot loop', async () => {
    const src = py`
      import numpy as np

      def zscore(values: np.ndarray) -> np.ndarray:
          mean = values.mean(axis=0)
          std = values.std(axis=0)
          return (values - mean) / np.where(std == 0, 1, std)

      def clip_outliers(frame):
          z = zscore(frame.to_numpy())
          mask = np.abs(z) < 3
          return frame[mask.all(axis=1)]
    `;
    expect(await run(hotLoops, src)).toEqual([]);
    expect(signals(await run(numeric, src))).toEqual(['vectorised-call']);
  });

  it('element-by-element indexing of a NumPy array in a Python loop counts for Rust', async () => {
    const ev = await run(numeric, py`
      import numpy as np

      def laplacian(grid: np.ndarray):
          h, w = grid.shape
          out = np.zeros((h, w))
          for y in range(1, h - 1):
              for x in range(1, w - 1):
                  out[y, x] = grid[y - 1, x] + grid[y + 1, x] + grid[y, x - 1] + grid[y, x + 1] - 4 * grid[y, x]
          return out
    `);
    const el = ev.find((e) => e.signal === 'array-element-loop')!;
    expect(el).toMatchObject({ line: 6, function: 'laplacian' });
    expect(el.value).toBe(12); // 6 element accesses on arrays + 6 of them multi-dimensional
  });

  it('sees pandas row access with .iloc inside a loop', async () => {
    const ev = await run(numeric, py`
      import pandas as pd

      def running_total(df: pd.DataFrame):
          totals = []
          acc = 0
          for i in range(len(df)):
              acc += df.iloc[i]["amount"] * df.iloc[i]["qty"]
              totals.append(acc)
          return totals
    `);
    expect(ev.find((e) => e.signal === 'array-element-loop')?.value).toBeGreaterThanOrEqual(2);
  });

  it('dict and list lookups in a loop of a NumPy-using module are not array element access', async () => {
    const ev = await run(numeric, py`
      import numpy as np

      def label_counts(rows, names):
          counts = {}
          for row in rows:
              counts[names[row["label"]]] = counts.get(names[row["label"]], 0) + 1
          return np.array(list(counts.values()))
    `);
    expect(signals(ev)).toEqual(['vectorised-call']);
  });
});
