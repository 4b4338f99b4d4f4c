import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover.js';
import { tempRepo } from './helpers.js';

const paths = (root: string) => discover(root).files.map((f) => f.path);

describe('discover: hostile file systems', () => {
  it('ends on symlink loops and never descends through directory symlinks', () => {
    const root = tempRepo({ 'pkg/__init__.py': '', 'pkg/mod.py': 'x = 1\n' });
    symlinkSync('..', join(root, 'pkg', 'up'));
    symlinkSync('../pkg', join(root, 'pkg', 'self'));
    symlinkSync('b', join(root, 'a'));
    symlinkSync('a', join(root, 'b'));
    symlinkSync('loop.py', join(root, 'loop.py'));
    const found = discover(root);
    expect(found.files.map((f) => f.path)).toEqual(['pkg/__init__.py', 'pkg/mod.py']);
    expect(found.warnings).toEqual([{ path: 'loop.py', code: 'symlink', message: 'symlink loop, skipped' }]);
  });

  it('reports symlinks that point outside the root and does not follow them', () => {
    const outside = tempRepo({ 'lib/secret.py': 'TOKEN = 1\n', 'lib/other.py': 'y = 2\n' });
    const root = tempRepo({ 'main.py': 'import secret\n' });
    symlinkSync(join(outside, 'lib', 'secret.py'), join(root, 'secret.py'));
    symlinkSync(join(outside, 'lib'), join(root, 'vendored'));
    symlinkSync('/etc/passwd', join(root, 'requirements.txt'));
    const found = discover(root);
    expect(found.files.map((f) => f.path)).toEqual(['main.py']);
    expect(found.manifests).toEqual([]);
    expect(found.warnings.map((w) => [w.path, w.code])).toEqual([
      ['requirements.txt', 'outside-root'], ['secret.py', 'outside-root'], ['vendored', 'outside-root'],
    ]);
    expect(found.warnings[1].message).toMatch(/points outside the scanned root .*not followed/);
  });

  it('keeps a symlinked module that stays inside the root, and reports a dangling one', () => {
    const root = tempRepo({ 'impl/real.py': 'x = 1\n' });
    symlinkSync('impl/real.py', join(root, 'compat.py'));
    symlinkSync('missing.py', join(root, 'dangling.py'));
    const found = discover(root);
    expect(found.files.map((f) => f.path)).toEqual(['compat.py', 'impl/real.py']);
    expect(found.warnings).toEqual([{ path: 'dangling.py', code: 'symlink', message: expect.stringMatching(/broken symlink/) }]);
  });

  it('reports FIFOs and sockets with source names and never opens them', async () => {
    const root = tempRepo({ 'ok.py': 'x = 1\n' });
    execFileSync('mkfifo', [join(root, 'pipe.py'), join(root, 'requirements.txt')]);
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(root, 'sock.py'), done));
    try {
      const found = discover(root);
      expect(found.files.map((f) => f.path)).toEqual(['ok.py']);
      expect(found.warnings.map((w) => [w.path, w.code, w.message])).toEqual([
        ['pipe.py', 'not-a-file', 'a FIFO, not a regular file; skipped'],
        ['requirements.txt', 'not-a-file', 'a FIFO, not a regular file; skipped'],
        ['sock.py', 'not-a-file', 'a socket, not a regular file; skipped'],
      ]);
    } finally {
      server.close();
    }
  });

  it('finds files whose names hold spaces, quotes, newlines, escapes and non-ASCII letters', () => {
    const names = ['with space.py', `quo'te".py`, 'new\nline.py', 'esc\x1b[31mred.py', 'ñandú/Ünïcode.py', 'dir\nwith newline/m.py', '日本/模块.py'];
    const root = tempRepo(Object.fromEntries(names.map((n) => [n, 'x = 1\n'])));
    expect(paths(root).sort()).toEqual([...names].sort());
  });

  it('prunes excluded and git-ignored directories whole, and honours nested .gitignore files', () => {
    const root = tempRepo({
      '.gitignore': 'generated/\n*.gen.py\n',
      'app.py': 'x = 1\n',
      'generated/out.py': 'x = 1\n',
      'sub/.gitignore': 'local_*.py\n',
      'sub/keep.py': 'x = 1\n',
      'sub/local_tmp.py': 'x = 1\n',
      'sub/table.gen.py': 'x = 1\n',
      'node_modules/pkg/index.js': '1;\n',
      'vendor/lib.py': 'x = 1\n',
      '.hidden/secret.py': 'x = 1\n',
    });
    expect(discover(root, { exclude: ['vendor/**'] }).files.map((f) => f.path)).toEqual(['app.py', 'sub/keep.py']);
    expect(discover(root, { gitignore: false }).files.map((f) => f.path)).toEqual(['app.py', 'generated/out.py', 'sub/keep.py', 'sub/local_tmp.py', 'sub/table.gen.py', 'vendor/lib.py']);
  });

  it('skips a virtualenv whatever its name, recognised by its pyvenv.cfg', () => {
    const root = tempRepo({ 'app.py': 'x = 1\n', 'py311/pyvenv.cfg': 'home = /usr/bin\n', 'py311/lib/python3.11/site.py': 'x = 1\n', 'py311/bin/tool.py': 'x = 1\n' });
    expect(paths(root)).toEqual(['app.py']);
  });

  it('scans through a symlinked root as if it were the real directory', async () => {
    const real = tempRepo({ 'pkg/__init__.py': '', 'pkg/mod.py': 'x = 1\n', 'requirements.txt': 'six\n' });
    const link = `${real}-link`;
    symlinkSync(real, link);
    expect(discover(link).files.map((f) => f.path)).toEqual(['pkg/__init__.py', 'pkg/mod.py']);
    const { scan } = await import('../../src/pipeline.js');
    const report = await scan(link);
    expect(report.modules.map((m) => m.path)).toEqual(['pkg/__init__.py', 'pkg/mod.py']);
    expect(report.warnings.filter((w) => w.code === 'outside-root' || w.code === 'unreadable')).toEqual([]);
  });

  it('ignores a directory named like a source file', () => {
    const root = tempRepo({ 'odd.py/inner.py': 'x = 1\n' });
    expect(paths(root)).toEqual(['odd.py/inner.py']);
  });
});

const DIST_CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
/** Needs root (to drop to `nobody`), setpriv, and the built CLI (`npm run build`, as CI does first). */
const canDropPrivileges = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0 && existsSync(DIST_CLI);

describe.skipIf(!canDropPrivileges)('discover: permission errors (run as an unprivileged user)', () => {
  it('turns an unlistable directory into a warning and an unreadable file into a warning, and exits 0', () => {
    const root = tempRepo({ 'ok.py': 'x = 1\n', 'locked/inner.py': 'x = 1\n', 'private.py': 'x = 1\n' });
    chmodSync(root, 0o755);
    chmodSync(join(root, 'locked'), 0o000);
    chmodSync(join(root, 'private.py'), 0o000);
    // A tiny driver run as `nobody`: tests run as root, which ignores file modes.
    const driver = join(root, '..', `${root.split('/').pop()}-driver.mjs`);
    writeFileSync(driver, `process.argv = [process.argv[0], ${JSON.stringify(DIST_CLI)}, 'scan', ${JSON.stringify(root)}, '--format', 'json'];\nawait import(${JSON.stringify(DIST_CLI)});\n`);
    chmodSync(driver, 0o644);
    const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, driver], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { modules: { path: string }[]; warnings: { path: string; code: string; message: string }[] };
    expect(report.modules.map((m) => m.path)).toEqual(['ok.py']);
    expect(report.warnings).toEqual(expect.arrayContaining([
      { path: 'locked', code: 'unreadable', message: 'directory could not be listed (EACCES); its files were not scanned' },
      { path: 'private.py', code: 'unreadable', message: 'permission denied (EACCES), skipped' },
    ]));
  });
});
