import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import type { Report } from '../../src/model.js';
import { py } from '../helpers.js';

const KERNEL = py`
  import numpy as np
  import requests
  from django.conf import settings
  from . import util

  def checksum(data: bytes) -> int:
      a, b = 1, 0
      for byte in data:
          a = (a + byte) % 65521
          b = (b + a) % 65521
      return (b << 16) | a
`;

async function scanJson(root: string, extra: string[] = []): Promise<Report> {
  let out = '';
  const code = await runCli(['scan', root, '--format', 'json', ...extra], { stdout: (t) => (out += t), stderr: () => {}, stderrIsTTY: false });
  expect(code).toBe(0);
  return JSON.parse(out) as Report;
}

describe('link stage: git history and Rust counterparts on each module', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rustscout-link-'));
    mkdirSync(join(dir, 'pkg'));
    writeFileSync(join(dir, 'pkg', '__init__.py'), '');
    writeFileSync(join(dir, 'pkg', 'util.py'), 'X = 1\n');
    writeFileSync(join(dir, 'pkg', 'kernel.py'), KERNEL);
    const env = { ...process.env, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@example.org', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@example.org' };
    execFileSync('git', ['init', '-q'], { cwd: dir, env });
    execFileSync('git', ['add', '.'], { cwd: dir, env });
    execFileSync('git', ['commit', '-q', '-m', 'initial'], { cwd: dir, env });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts history, dependencies and the module profile on the module, and both as located evidence', async () => {
    const r = await scanJson(dir);
    const m = r.modules.find((x) => x.path === 'pkg/kernel.py')!;
    expect(m.history).toEqual({ commits12m: 1, commits: 1, ageDays: 0, lastChangeDays: 0, authors: 1 });
    expect(m.dependencies).toMatchObject({ thirdParty: ['django', 'numpy', 'requests'], unknown: [], share: 0.67 });
    expect(m.profile).toMatchObject({ functions: 1, hotFunctions: ['checksum'], hottestKernel: { name: 'checksum', line: 6 } });
    const signal = (s: string) => m.evidence.find((e) => e.signal === s);
    expect(signal('rust-counterparts')).toMatchObject({ detector: 'dependencies', value: 0.67, line: 1 });
    expect(signal('no-rust-counterpart')).toMatchObject({ value: 1, line: 3 });
    expect(signal('churn-12m')).toMatchObject({ detector: 'git-history', value: 1, line: 1 });
    expect(signal('byte-iteration')).toMatchObject({ line: 8, function: 'checksum' });
    expect(r.warnings.filter((w) => w.code === 'git-history')).toEqual([]);
  });

  it('--no-git skips history with a warning and keeps everything else', async () => {
    const r = await scanJson(dir, ['--no-git']);
    const m = r.modules.find((x) => x.path === 'pkg/kernel.py')!;
    expect(m.history).toBeUndefined();
    expect(m.evidence.some((e) => e.detector === 'git-history')).toBe(false);
    expect(m.dependencies?.share).toBe(0.67);
    expect(r.warnings).toContainEqual({ path: '.', code: 'git-history', message: 'git history skipped: --no-git' });
  });

  it('outside a git repository the scan warns once and goes on', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'rustscout-nogit-'));
    try {
      writeFileSync(join(plain, 'tool.py'), 'import sys\nprint(sys.argv)\n');
      const r = await scanJson(plain);
      expect(r.modules.map((m) => m.path)).toEqual(['tool.py']);
      expect(r.warnings.filter((w) => w.code === 'git-history')).toEqual([{ path: '.', code: 'git-history', message: expect.stringMatching(/not inside a git/) }]);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
