import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { cli, edit, tempCopy } from './helpers.js';

const FILTERS = 'shopfront/imaging/filters.py';

async function withBaseline(dir: string, extra: string[] = []): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await cli(['scan', dir, '--format', 'json', '--baseline', join(dir, 'baseline.json'), '--fail-on', 'pyo3-extension,move-to-rust', ...extra]);
  return { code: r.code, report: JSON.parse(r.stdout || '{}') as Report, stderr: r.stderr };
}

async function prepared(): Promise<string> {
  const dir = tempCopy('webapp-with-kernel');
  const r = await cli(['scan', dir, '--format', 'json', '--write-baseline', join(dir, 'baseline.json'), '--fail-on', 'pyo3-extension']);
  expect(r.code).toBe(1);
  return dir;
}

describe('--write-baseline', () => {
  it('records every Python module with verdict, score, content fingerprint and kernel fingerprints, sorted by path', async () => {
    const dir = await prepared();
    const b = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8'));
    expect(b.format).toBe('rustscout-baseline');
    expect(b.version).toBe(1);
    const paths = b.modules.map((m: { path: string }) => m.path);
    expect(paths).toEqual([...paths].sort());
    const filters = b.modules.find((m: { path: string }) => m.path === FILTERS);
    expect(filters.verdict).toBe('pyo3-extension');
    expect(filters.fingerprint).toMatch(/^[0-9a-f]{20}$/);
    expect(filters.kernels.length).toBeGreaterThan(0);
    for (const k of filters.kernels) expect(k.fingerprint).toMatch(/^[0-9a-f]{20}/);
    expect(JSON.stringify(b)).not.toContain('"line"');
  });
});

describe('--baseline', () => {
  it('an unchanged repo has nothing new: exit 0 with --fail-on, every finding unchanged', async () => {
    const dir = await prepared();
    const { code, report } = await withBaseline(dir);
    expect(code).toBe(0);
    expect(report.ci?.baseline).toMatchObject({ new: 0, worse: 0 });
    expect(report.ci!.baseline!.unchanged).toBeGreaterThan(0);
    for (const f of report.findings!) expect(f.baseline).toBe('unchanged');
    expect(report.modules.find((m) => m.path === FILTERS)!.baseline).toBe('unchanged');
  });

  it('survives moved lines, new comments and an edit elsewhere in the module', async () => {
    const dir = await prepared();
    edit(dir, FILTERS, (t) => '"""Image filters."""\n# moved down by a header\n\n\n' + t.replace('MOD_ADLER = 65521', 'MOD_ADLER = 65521  # the largest prime below 2**16\nUNUSED = 1'));
    const { code, report } = await withBaseline(dir);
    expect(code).toBe(0);
    expect(report.modules.find((m) => m.path === FILTERS)!.baseline).toBe('unchanged');
    for (const f of report.findings!.filter((x) => x.ruleId === 'RS003')) expect(f.baseline, f.function).toBe('unchanged');
  });

  it('matches a renamed file with the same code', async () => {
    const dir = await prepared();
    renameSync(join(dir, FILTERS), join(dir, 'shopfront/imaging/kernels.py'));
    const { code, report } = await withBaseline(dir);
    expect(code).toBe(0);
    expect(report.modules.find((m) => m.path === 'shopfront/imaging/kernels.py')!.baseline).toBe('unchanged');
  });

  it('reports a new candidate module as new and fails the gate on it alone', async () => {
    const dir = await prepared();
    const kernel = readFileSync(join(dir, FILTERS), 'utf8').replace(/def (\w+)\(/g, 'def $1_v2(').replace('MOD_ADLER = 65521', 'MOD_ADLER = 65521\nVERSION = 2');
    writeFileSync(join(dir, 'shopfront/imaging/filters_v2.py'), kernel);
    const { code, report } = await withBaseline(dir);
    expect(code).toBe(1);
    expect(report.ci!.failOn!.failing).toEqual(['shopfront/imaging/filters_v2.py']);
    expect(report.modules.find((m) => m.path === 'shopfront/imaging/filters_v2.py')!.baseline).toBe('new');
    expect(report.modules.find((m) => m.path === FILTERS)!.baseline).toBe('unchanged');
    expect(report.ci!.baseline!.new).toBeGreaterThan(0);
  });

  it('reports a module whose verdict got stronger as worse', async () => {
    const dir = await prepared();
    const kernel = readFileSync(join(dir, FILTERS), 'utf8');
    // a keep-python module in the baseline turns into a kernel module in place
    edit(dir, 'shopfront/models.py', (t) => t + '\n\n' + kernel.replace(/def (\w+)\(/g, 'def models_$1('));
    const { code, report } = await withBaseline(dir);
    const models = report.modules.find((m) => m.path === 'shopfront/models.py')!;
    expect(models.verdict).not.toBe('keep-python');
    expect(models.baseline).toBe('worse');
    expect(code).toBe(1);
  });

  it('rejects a missing or foreign baseline file with exit 2', async () => {
    const dir = tempCopy('webapp-with-kernel');
    let r = await cli(['scan', dir, '--baseline', join(dir, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--baseline: cannot read .*nope\.json/);
    writeFileSync(join(dir, 'other.json'), '{"version": 2.1}');
    r = await cli(['scan', dir, '--baseline', join(dir, 'other.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a rustscout baseline/);
  });
});
