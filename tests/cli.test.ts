import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import type { Report } from '../src/model.js';
import { fixture, REPO, tempDir } from './helpers.js';

async function scanJson(name: string, extra: string[] = []): Promise<Report> {
  let out = '';
  const code = await runCli(['scan', fixture(name), '--format', 'json', ...extra], { stdout: (t) => (out += t), stderr: () => {} });
  expect(code).toBe(0);
  return JSON.parse(out) as Report;
}

const verdictOf = (r: Report, path: string): string | undefined => r.modules.find((m) => m.path === path)?.verdict;

describe('scan: fixtures end to end', () => {
  it('web app: the pixel kernel becomes a PyO3 extension, the views stay Python', async () => {
    const r = await scanJson('webapp-with-kernel');
    expect(verdictOf(r, 'shopfront/imaging/filters.py')).toBe('pyo3-extension');
    for (const m of r.modules.filter((x) => x.path !== 'shopfront/imaging/filters.py')) expect(m.verdict, m.path).toBe('keep-python');
    const filters = r.modules.find((m) => m.path === 'shopfront/imaging/filters.py')!;
    expect(filters.functions.slice(0, 2).map((f) => f.name).sort()).toEqual(['box_blur', 'sharpen']);
    expect(r.components.map((c) => [c.name, c.kind])).toEqual([['shopfront', 'python-package']]);
    expect(r.components[0].dependencies).toEqual(expect.arrayContaining(['flask', 'sqlalchemy', 'pillow', 'requests', 'pytest']));
  });

  it('threaded TCP protocol server moves to Rust', async () => {
    const r = await scanJson('tcp-protocol-server');
    expect(verdictOf(r, 'kvstored/server.py')).toBe('move-to-rust');
    expect(verdictOf(r, 'kvstored/store.py')).toBe('keep-python');
    expect(r.components.find((c) => c.name === 'kvstored')?.verdict).toBe('move-to-rust');
  });

  it('vectorised NumPy/pandas pipeline stays Python', async () => {
    const r = await scanJson('numpy-pipeline');
    expect(r.modules.length).toBe(4);
    for (const m of r.modules) expect(m.verdict, m.path).toBe('keep-python');
    const metrics = r.modules.find((m) => m.path === 'salesstats/metrics.py')!;
    const vectorised = metrics.reasons.slice(0, 3).find((r) => r.signal === 'vectorised-call');
    expect(vectorised?.contribution).toBeLessThan(0);
  });

  it('existing PyO3 crate: Rust component recognised, Python twin not re-flagged', async () => {
    const r = await scanJson('pyo3-crate');
    const crate = r.components.find((c) => c.kind === 'cargo-crate')!;
    expect(crate.verdict).toBe('keep-rust');
    expect(crate.facts.pyo3).toBe(true);
    expect(verdictOf(r, 'src/lib.rs')).toBe('keep-rust');
    const twin = r.modules.find((m) => m.path === 'textstats/_pure.py')!;
    expect(twin.verdict).toBe('keep-python');
    expect(twin.reasons[0].signal).toBe('native-backed');
  });
});

describe('JSON report shape (schema version 1)', () => {
  let r: Report;
  beforeAll(async () => {
    r = await scanJson('webapp-with-kernel');
  });
  it('has the documented top-level fields', () => {
    expect(r.schemaVersion).toBe(1);
    expect(r.tool.name).toBe('rustscout');
    expect(r.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(r.summary).sort()).toEqual(['keep-python', 'move-to-rust', 'pyo3-extension']);
    expect(r.summary['keep-python'] + r.summary['pyo3-extension'] + r.summary['move-to-rust']).toBe(r.modules.length);
    expect(Array.isArray(r.warnings)).toBe(true);
  });
  it('gives every module a POSIX relative path, a verdict, a score and located reasons', () => {
    for (const m of r.modules) {
      expect(m.path).not.toMatch(/^\/|\\/);
      expect(['keep-python', 'pyo3-extension', 'move-to-rust']).toContain(m.verdict);
      expect(m.score).toBeGreaterThanOrEqual(0);
      expect(m.score).toBeLessThanOrEqual(100);
      expect(m.confidence).toBeGreaterThan(0);
      expect(m.confidence).toBeLessThanOrEqual(1);
      for (const reason of m.reasons) {
        expect(Object.keys(reason)).toEqual(expect.arrayContaining(['detector', 'signal', 'weight', 'message', 'line', 'contribution']));
        expect(reason.line).toBeGreaterThan(0);
      }
      for (const f of m.functions) expect(Object.keys(f)).toEqual(expect.arrayContaining(['name', 'line', 'score', 'signals']));
    }
  });
  it('writes the report to --output', async () => {
    const dir = tempDir('rustscout-');
    const file = join(dir, 'out.json');
    const code = await runCli(['scan', fixture('numpy-pipeline'), '--format', 'json', '--output', file], { stdout: () => {}, stderr: () => {} });
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).modules).toHaveLength(4);
  });
});

describe('exit codes', () => {
  const quiet = { stdout: () => {}, stderr: () => {} };
  it('exits 2 on an unknown option, a bad format or a missing root', async () => {
    expect(await runCli(['scan', fixture('numpy-pipeline'), '--bogus'], quiet)).toBe(2);
    expect(await runCli(['scan', fixture('numpy-pipeline'), '--format', 'xml'], quiet)).toBe(2);
    let err = '';
    expect(await runCli(['scan', join(REPO, 'no-such-dir')], { stdout: () => {}, stderr: (t) => (err += t) })).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/no-such-dir/);
  });
  it('exits 2 when the root is a file', async () => {
    expect(await runCli(['scan', join(REPO, 'package.json')], quiet)).toBe(2);
  });
});

describe('the built CLI', () => {
  it('runs as a process and prints the terminal table', () => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'ignore' });
    const res = spawnSync(process.execPath, [join(REPO, 'dist/src/cli.js'), 'scan', fixture('webapp-with-kernel')], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/shopfront\/imaging\/filters\.py\s+pyo3-extension/);
    const bad = spawnSync(process.execPath, [join(REPO, 'dist/src/cli.js'), 'scan'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});
