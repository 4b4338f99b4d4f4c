import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDirective, placeDirectives } from '../../src/ci/suppressions.js';
import type { Report } from '../../src/model.js';
import { profileOf, py } from '../helpers.js';
import { cli, edit, tempCopy } from './helpers.js';

async function placed(src: string) {
  const p = await profileOf(src);
  return placeDirectives(src, p.directives, p.functions);
}

describe('parseDirective', () => {
  it('reads keep-python with and without a reason, flags near misses, ignores other directives', () => {
    expect(parseDirective('keep-python -- parity with the C version is not worth it')).toEqual({ ok: true, reason: 'parity with the C version is not worth it' });
    expect(parseDirective('keep-python')).toEqual({ ok: true, reason: '' });
    expect(parseDirective('keep-pyhton -- typo')).toEqual({ ok: false, reason: '' });
    expect(parseDirective('hot-path')).toBeNull();
  });
});

describe('placeDirectives', () => {
  it('attaches a directive in the first lines to the module', async () => {
    const r = await placed(py`
      # rustscout: keep-python -- reviewed in 2025, I/O dominates in production
      import os

      def f(xs):
          return sum(xs)
    `);
    expect(r.directives).toEqual([{ line: 1, scope: 'module', reason: 'reviewed in 2025, I/O dominates in production' }]);
  });

  it('attaches a directive on a def line, above it (through decorators), or inside its body to that function', async () => {
    const r = await placed(py`
      import functools

      def a(x):  # rustscout: keep-python -- on the def line
          return x

      # rustscout: keep-python -- above, through decorators
      @functools.lru_cache(
          maxsize=None,
      )
      def b(x):
          return x

      class K:
          # rustscout: keep-python -- a method
          def c(self, x):
              # rustscout: keep-python -- inside the body
              return x
    `);
    expect(r.directives.map((d) => [d.line, d.scope, d.function])).toEqual([
      [3, 'function', 'a'], [6, 'function', 'b'], [14, 'function', 'K.c'], [16, 'function', 'K.c'],
    ]);
  });

  it('keeps a directive separated from the def by code at module level, and reports malformed ones', async () => {
    const r = await placed(py`
      X = 1
      # rustscout: keep-python -- module decision
      Y = 2

      def f():
          pass
      # rustscout: keep-pyton -- typo
    `);
    expect(r.directives).toEqual([{ line: 2, scope: 'module', reason: 'module decision' }]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].line).toBe(7);
  });
});

describe('suppressions end to end', () => {
  const FILTERS = 'shopfront/imaging/filters.py';

  async function scanJson(dir: string, extra: string[] = []): Promise<{ code: number; report: Report; stderr: string }> {
    const r = await cli(['scan', dir, '--format', 'json', ...extra]);
    return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
  }

  /** filters.py plus a second copy of its strongest kernel, so the module has at least two kernels. */
  function twoKernels(): string {
    const dir = tempCopy('webapp-with-kernel');
    edit(dir, FILTERS, (t) => t + '\n\n' + t.slice(t.indexOf('def box_blur('), t.indexOf('def sharpen(')).replace('def box_blur(', 'def box_blur_wide(').replace('radius: int = 1', 'radius: int = 3'));
    return dir;
  }

  it('a module-level comment suppresses the module and its kernels; they stay in the report, marked', async () => {
    const dir = twoKernels();
    edit(dir, FILTERS, (t) => '# rustscout: keep-python -- the service calls these twice a day\n' + t);
    const { code, report } = await scanJson(dir, ['--fail-on', 'pyo3-extension']);
    expect(code).toBe(0);
    const m = report.modules.find((x) => x.path === FILTERS)!;
    expect(m.verdict).toBe('pyo3-extension');
    expect(m.suppressed).toEqual({ kind: 'module', reason: 'the service calls these twice a day', line: 1 });
    expect(m.suppressions).toEqual([{ line: 1, scope: 'module', reason: 'the service calls these twice a day', used: true }]);
    const findings = report.findings!.filter((f) => f.path === FILTERS);
    expect(findings.filter((f) => f.ruleId === 'RS001')).toHaveLength(1);
    expect(findings.filter((f) => f.ruleId === 'RS003').map((f) => f.function)).toEqual(expect.arrayContaining(['box_blur', 'box_blur_wide']));
    for (const f of findings) expect(f.suppressed?.reason).toBe('the service calls these twice a day');
  });

  it('function-level comments suppress kernels one by one; all kernels suppressed suppresses the module', async () => {
    const dir = twoKernels();
    const before = await scanJson(dir, ['--fail-on', 'pyo3-extension']);
    expect(before.code).toBe(1);
    const kernels = before.report.findings!.filter((f) => f.ruleId === 'RS003' && f.path === FILTERS).map((f) => f.function!);
    expect(kernels.length).toBeGreaterThanOrEqual(2);

    edit(dir, FILTERS, (t) => t.replace('def box_blur(', '# rustscout: keep-python -- blur moves to the GPU\ndef box_blur('));
    let { code, report } = await scanJson(dir, ['--fail-on', 'pyo3-extension']);
    expect(code).toBe(1);
    let m = report.modules.find((x) => x.path === FILTERS)!;
    expect(m.suppressed).toBeUndefined();
    expect(m.functions.find((f) => f.name === 'box_blur')!.suppressed?.reason).toBe('blur moves to the GPU');
    expect(m.functions.find((f) => f.name === 'box_blur_wide')!.suppressed).toBeUndefined();
    expect(report.findings!.find((f) => f.function === 'box_blur')!.suppressed?.kind).toBe('function');

    for (const name of kernels.filter((k) => k !== 'box_blur')) edit(dir, FILTERS, (t) => t.replace(`def ${name}(`, `# rustscout: keep-python -- tiny images\ndef ${name}(`));
    ({ code, report } = await scanJson(dir, ['--fail-on', 'pyo3-extension']));
    expect(code).toBe(0);
    m = report.modules.find((x) => x.path === FILTERS)!;
    expect(m.suppressed?.kind).toBe('function');
    expect(m.suppressed?.reason).toBe('blur moves to the GPU; tiny images');
  });

  it('--report-unused-suppressions reports comments that suppress nothing (RS004), as findings and warnings', async () => {
    const dir = tempCopy('webapp-with-kernel');
    edit(dir, 'shopfront/models.py', (t) => '# rustscout: keep-python -- stale decision\n' + t);
    edit(dir, FILTERS, (t) => t.replace('def histogram(', '# rustscout: keep-python -- not a kernel\ndef histogram('));
    const without = await scanJson(dir);
    expect(without.report.findings!.filter((f) => f.ruleId === 'RS004')).toHaveLength(0);
    expect(without.report.modules.find((x) => x.path === 'shopfront/models.py')!.suppressions![0].used).toBe(false);
    const { report } = await scanJson(dir, ['--report-unused-suppressions']);
    const unused = report.findings!.filter((f) => f.ruleId === 'RS004');
    expect(unused.map((f) => [f.path, f.line])).toEqual([[FILTERS, 44], ['shopfront/models.py', 1]].sort());
    expect(report.warnings.some((w) => w.path === 'shopfront/models.py' && /Unused suppression/.test(w.message))).toBe(true);
  });

  it('warns about a malformed directive instead of ignoring it silently', async () => {
    const dir = tempCopy('webapp-with-kernel');
    writeFileSync(join(dir, 'shopfront', 'odd.py'), '# rustscout: keep-pyhton -- typo\nx = 1\n');
    const { report } = await scanJson(dir);
    expect(report.warnings.find((w) => w.path === 'shopfront/odd.py')?.message).toMatch(/line 1: unrecognised rustscout directive/);
  });
});
