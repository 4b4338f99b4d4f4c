import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedFiles } from '../../src/ci/changed-files.js';
import type { Report } from '../../src/model.js';
import { cli, edit, git, gitRepo, tempCopy } from './helpers.js';

const FILTERS = 'shopfront/imaging/filters.py';

/** webapp fixture as a repo: `main` at the fixture, branch `feature` with one committed change. */
function featureBranch(): string {
  const dir = gitRepo(tempCopy('webapp-with-kernel'));
  git(dir, 'checkout', '-q', '-b', 'feature');
  edit(dir, FILTERS, (t) => t + '\n\ndef invert(pixels: list) -> list:\n    return [255 - p for p in pixels]\n');
  git(dir, 'commit', '-q', '-am', 'add invert');
  return dir;
}

describe('changedFiles', () => {
  it('lists files changed since the merge base, plus staged, unstaged and untracked changes', async () => {
    const dir = featureBranch();
    // main moves on after the branch point: its changes are not the branch's
    git(dir, 'checkout', '-q', 'main');
    edit(dir, 'shopfront/settings.py', (t) => t + '\nDEBUG = False\n');
    git(dir, 'commit', '-q', '-am', 'main moves on');
    git(dir, 'checkout', '-q', 'feature');
    edit(dir, 'shopfront/models.py', (t) => t + '\n# unstaged\n');
    edit(dir, 'shopfront/views/products.py', (t) => t + '\n# staged\n');
    git(dir, 'add', 'shopfront/views/products.py');
    writeFileSync(join(dir, 'shopfront', 'new_module.py'), 'x = 1\n');
    writeFileSync(join(dir, '.gitignore'), 'ignored_*.py\n');
    writeFileSync(join(dir, 'shopfront', 'ignored_tmp.py'), 'x = 1\n');
    const changed = await changedFiles(dir, 'main');
    expect([...changed.files].sort()).toEqual(['.gitignore', FILTERS, 'shopfront/models.py', 'shopfront/new_module.py', 'shopfront/views/products.py']);
    expect(changed.base).toMatch(/^[0-9a-f]{40}$/);
  });

  it('gives paths relative to a scanned subdirectory and drops files outside it', async () => {
    const dir = tempCopy();
    mkdirSync(join(dir, 'services'));
    const app = join(dir, 'services', 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'a.py'), 'x = 1\n');
    writeFileSync(join(dir, 'top.py'), 'y = 1\n');
    gitRepo(dir);
    writeFileSync(join(app, 'a.py'), 'x = 2\n');
    writeFileSync(join(dir, 'top.py'), 'y = 2\n');
    writeFileSync(join(app, 'untracked.py'), 'z = 1\n');
    writeFileSync(join(dir, 'untracked_top.py'), 'z = 1\n');
    expect([...(await changedFiles(app, 'HEAD')).files].sort()).toEqual(['a.py', 'untracked.py']);
  });
});

describe('--changed-since', () => {
  it('limits findings to changed modules while the import graph still sees the whole repo', async () => {
    const dir = featureBranch();
    const full = JSON.parse((await cli(['scan', dir, '--format', 'json'])).stdout) as Report;
    const r = await cli(['scan', dir, '--format', 'json', '--changed-since', 'main', '--fail-on', 'pyo3-extension']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.modules.map((m) => m.path)).toEqual([FILTERS]);
    expect(report.ci?.changedSince).toMatchObject({ ref: 'main', changedModules: 1 });
    expect(report.summary['pyo3-extension']).toBe(1);
    expect(report.summary['keep-python']).toBe(0);
    const before = full.modules.find((m) => m.path === FILTERS)!;
    const after = report.modules.find((m) => m.path === FILTERS)!;
    expect(after.imports.importedBy).toEqual(before.imports.importedBy);
    expect(after.imports.fanIn).toBeGreaterThan(0);
    expect(report.components.length).toBe(full.components.length);
  });

  it('an unrelated change leaves the gate green', async () => {
    const dir = gitRepo(tempCopy('webapp-with-kernel'));
    edit(dir, 'shopfront/views/products.py', (t) => t + '\n# tweak\n');
    const r = await cli(['scan', dir, '--format', 'json', '--changed-since', 'HEAD', '--fail-on', 'pyo3-extension']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Report).modules.map((m) => m.path)).toEqual(['shopfront/views/products.py']);
  });

  it('exits 2 for an unknown revision or outside a git repository', async () => {
    const repo = gitRepo(tempCopy('webapp-with-kernel'));
    let r = await cli(['scan', repo, '--changed-since', 'no-such-branch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown git revision "no-such-branch"/);
    r = await cli(['scan', tempCopy('webapp-with-kernel'), '--changed-since', 'main']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a git repository/);
  });
});
