import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { precisionAtRecall, precisionRecall, rocAuc } from '../../scripts/metrics.js';
import { stripCommentsAndDocstrings, type HoldoutProject } from '../../scripts/holdout.js';
import { py } from '../helpers.js';

describe('held-out check: statistics', () => {
  it('ROC AUC counts ties half and is 1 / 0 for perfect orderings', () => {
    expect(rocAuc([1, 2, 3, 4], [false, false, true, true])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [false, false, true, true])).toBe(0);
    expect(rocAuc([1, 1, 1, 1], [false, true, false, true])).toBe(0.5);
    // one positive above two negatives, one between: (2 + 1) / 4
    expect(rocAuc([5, 2, 3, 1], [true, true, false, false])).toBe(0.75);
    expect(rocAuc([1, 2], [true, true])).toBeNaN();
  });

  it('precision / recall of flagged modules and precision at a recall target', () => {
    expect(precisionRecall([true, true, false, false], [true, false, true, false])).toEqual({ precision: 0.5, recall: 0.5, flagged: 2, hits: 1 });
    // ranking: p(9) n(8) p(7) n(1): recall 1 first reached at k = 3
    expect(precisionAtRecall([9, 8, 7, 1], [true, false, true, false], 1)).toBeCloseTo(2 / 3);
  });
});

describe('held-out check: stripping comments and docstrings', () => {
  it('blanks comments and bare-string statements, keeps code, strings in code and every line', async () => {
    const src = py`
      # module comment
      """Module docstring
      over two lines."""
      def scan(buf):  # trailing
          'one-line docstring'
          marker = "#not-a-comment"
          i = 0
          while i < len(buf) and buf[i] != marker:
              i += 1
          return i
    `;
    const out = await stripCommentsAndDocstrings(src);
    expect(out.split('\n')).toHaveLength(src.split('\n').length);
    expect(out).not.toMatch(/module comment|docstring|trailing|over two lines/);
    expect(out).toContain('marker = "#not-a-comment"');
    expect(out).toContain('while i < len(buf) and buf[i] != marker:');
    expect(out.split('\n').find((l) => l.startsWith('def scan'))).toMatch(/^def scan\(buf\): +$/);
  });
});

describe('held-out labels file', () => {
  const file = fileURLToPath(new URL('../../scripts/holdout/labels-holdout.json', import.meta.url));
  const { projects } = JSON.parse(readFileSync(file, 'utf8')) as { projects: HoldoutProject[] };

  it('pins every project to a commit and gives every native module a twin kind and evidence', () => {
    for (const p of projects) {
      expect(p.commit).toMatch(/^[0-9a-f]{40}$/);
      for (const m of p.modules) {
        expect(['native', 'python']).toContain(m.label);
        if (m.label === 'native') {
          expect(['whole', 'core', 'partial', 'compiled-same-source']).toContain(m.twin_kind);
          expect(m.evidence.length).toBeGreaterThan(20);
        }
      }
    }
  });

  it('holds no project of the dev corpus', () => {
    // The dev corpus's packages, as ../shared/corpus/fetch.sh names them (the labels file itself is
    // read by the eval script only).
    const dev = new Set(['aiohttp', 'astropy', 'biopython', 'bitstruct', 'bottleneck', 'btrees', 'cassandra', 'cbor', 'coverage', 'crcmod',
      'falcon', 'fonttools', 'frozenlist', 'genshi', 'ijson', 'lxml', 'markupsafe', 'multidict', 'pendulum', 'persistent', 'psycopg',
      'pyrsistent', 'rcssmin', 'rjsmin', 'simplejson', 'tornado', 'websockets', 'wrapt', 'zodbpickle', 'django', 'sympy', 'pandas', 'sklearn']);
    for (const p of projects) expect(dev.has(p.project.toLowerCase()), p.project).toBe(false);
  });
});
