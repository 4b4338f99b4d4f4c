import { describe, expect, it } from 'vitest';
import { SiteTallies } from '../../detectors/util.js';
import { dynamic } from '../../detectors/dynamic.js';
import { ioGlue } from '../../detectors/io-glue.js';
import { py, run } from '../helpers.js';

describe('SiteTallies (the per-signal site accumulator of dynamic and io-glue)', () => {
  it('counts sites, keeps the earliest line with its function, and at most 3 distinct examples', () => {
    const t = new SiteTallies();
    t.add('eval-exec', 20, 'late', 'eval()');
    t.add('eval-exec', 7, 'early', 'exec()');
    t.add('eval-exec', 9, 'other', 'eval()');
    t.add('eval-exec', 30, undefined, 'compile()');
    t.add('eval-exec', 31, undefined, 'fourth()');
    t.add('reflection', 3, undefined, 'getattr(x, name)', 4);
    expect(t.byLine()).toEqual([
      ['reflection', { count: 4, line: 3, function: undefined, examples: ['getattr(x, name)'] }],
      ['eval-exec', { count: 5, line: 7, function: 'early', examples: ['eval()', 'exec()', 'compile()'] }],
    ]);
    expect(t.has('reflection')).toBe(true);
    expect(t.has('metaclass')).toBe(false);
  });

  it('gives dynamic and io-glue the same messages as before: distinct examples, first site', async () => {
    const src = py`
      import logging, subprocess
      log = logging.getLogger(__name__)

      def run(cmds, obj, name):
          for c in cmds:
              subprocess.run(c)
              subprocess.run(c)
              subprocess.call(c)
          setattr(obj, name, 1)
          return getattr(obj, name)
    `;
    const io = await run(ioGlue, src);
    expect(io.find((e) => e.signal === 'subprocess')).toMatchObject({ value: 3, line: 6, function: 'run', message: '3 subprocess and shell calls (subprocess.run, subprocess.call)' });
    const dyn = await run(dynamic, src);
    expect(dyn.find((e) => e.signal === 'reflection')).toMatchObject({ value: 2, line: 9, function: 'run', message: '2 × reflection: setattr(obj, name); getattr(obj, name)' });
  });
});
