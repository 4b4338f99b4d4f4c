/**
 * rustscout reads scanned code as text and nothing else: it never imports, executes or builds it,
 * and it writes nothing inside the scanned repository except its cache and the named output file.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
import { cli, tempDir, tempRepo } from './helpers.js';

/** Files that would create `marker` if anything ran, imported, built or installed them. */
function boobyTrappedRepo(marker: string): string {
  const py = (who: string) => `import pathlib\npathlib.Path(${JSON.stringify(marker)}).write_text(${JSON.stringify(who)})\n`;
  const sh = (who: string) => `echo ${who} > '${marker}'`;
  const root = tempRepo({
    'setup.py': `${py('setup.py')}from setuptools import setup\nsetup(name="trap", ext_modules=[])\n`,
    'conftest.py': py('conftest.py'),
    'sitecustomize.py': py('sitecustomize.py'),
    'trap/__init__.py': py('package import'),
    'trap/__main__.py': py('python -m'),
    'trap/core.py': `${py('module import')}def kernel(data):\n    total = 0\n    for b in data:\n        total = (total * 31 + b) & 0xFFFFFFFF\n    return total\n`,
    'trap.pth': `import os; os.system(${JSON.stringify(sh('pth'))})\n`,
    'pyproject.toml': '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n\n[project]\nname = "trap"\n',
    'backend.py': py('build backend'),
    'noxfile.py': py('nox'),
    'Cargo.toml': '[package]\nname = "trapcrate"\nversion = "0.1.0"\nbuild = "build.rs"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\npyo3 = "0.22"\n',
    'build.rs': `fn main() { std::fs::write(${JSON.stringify(marker)}, "build.rs").unwrap(); }\n`,
    'src/lib.rs': 'use pyo3::prelude::*;\n#[pyfunction]\nfn kernel(x: u64) -> u64 { x }\n',
    'package.json': JSON.stringify({ name: 'trap', scripts: { preinstall: sh('preinstall'), postinstall: sh('postinstall'), prepare: sh('prepare') } }),
    'web/index.js': `require('child_process').execSync(${JSON.stringify(sh('node'))});\n`,
    'Makefile': `all:\n\t${sh('make')}\n`,
    '.gitattributes': '* filter=trap diff=trap\n',
  });
  // A git repository with history (the default scan reads it for churn) whose config would run a
  // command if git refreshed the index, filtered or diffed a file, or paged; the work tree is dirty.
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'initial');
  for (const [key, value] of [['core.fsmonitor', sh('fsmonitor')], ['filter.trap.clean', sh('filter')], ['filter.trap.smudge', sh('smudge')], ['diff.trap.textconv', sh('textconv')], ['diff.external', sh('external-diff')], ['core.pager', sh('pager')], ['core.hooksPath', root]]) {
    execFileSync('git', ['config', key, value], { cwd: root });
  }
  writeFileSync(join(root, 'post-checkout'), `#!/bin/sh\n${sh('hook')}\n`, { mode: 0o755 });
  writeFileSync(join(root, 'trap', 'core.py'), `${readFileSync(join(root, 'trap', 'core.py'), 'utf8')}\n# edited\n`);
  return root;
}

interface Entry {
  type: string;
  size: number;
  mode: number;
  mtimeMs: number;
  hash?: string;
}

/** Every entry under `root` (dot files included, symlinks not followed) with its content hash. */
function snapshot(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir))) {
      const rel = dir ? `${dir}/${name}` : name;
      const st = lstatSync(join(root, rel));
      const type = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : st.isSymbolicLink() ? 'link' : 'other';
      const entry: Entry = { type, size: st.size, mode: st.mode, mtimeMs: type === 'dir' ? 0 : st.mtimeMs };
      if (type === 'file') entry.hash = createHash('sha256').update(readFileSync(join(root, rel))).digest('hex');
      out.set(rel, entry);
      if (type === 'dir') walk(rel);
    }
  };
  walk('');
  return out;
}

function changes(before: Map<string, Entry>, after: Map<string, Entry>): string[] {
  const out: string[] = [];
  for (const [path, entry] of after) {
    const old = before.get(path);
    if (!old) out.push(`+ ${path}`);
    else if (JSON.stringify(old) !== JSON.stringify(entry)) out.push(`~ ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) out.push(`- ${path}`);
  return out.sort();
}

const CACHE_DIR = '.rustscout-cache';
const outsideCache = (paths: string[]): string[] => paths.filter((p) => !p.slice(2).startsWith(CACHE_DIR));

describe('safety: scanned code is only ever read', () => {
  it('runs nothing from setup.py, conftest.py, build.rs, build backends, .pth files, npm scripts or git config', async () => {
    const markerDir = tempDir('rustscout-marker-');
    const marker = join(markerDir, 'ran');
    const root = boobyTrappedRepo(marker);
    for (const format of ['terminal', 'json', 'sarif', 'markdown', 'html']) {
      const run = await cli(['scan', root, '--format', format]);
      expect(run.code, format).toBe(0);
    }
    expect(existsSync(marker), existsSync(marker) ? readFileSync(marker, 'utf8') : '').toBe(false);
    expect(readdirSync(markerDir)).toEqual([]);
  });

  it('still analyses the trapped code as text (the scan is real, not vacuous)', async () => {
    const root = boobyTrappedRepo(join(tempDir('rustscout-marker-'), 'ran'));
    const run = await cli(['scan', root, '--format', 'json']);
    const report = JSON.parse(run.stdout) as { modules: { path: string; evidence: { detector: string }[] }[]; components: { name: string; kind: string }[] };
    expect(report.modules.map((m) => m.path)).toEqual(expect.arrayContaining(['conftest.py', 'trap/core.py', 'backend.py', 'src/lib.rs']));
    // git history was read (so the git traps above were really exercised), and still nothing ran.
    expect(report.modules.find((m) => m.path === 'trap/core.py')?.evidence.map((e) => e.detector)).toContain('git-history');
    expect(report.components.map((c) => c.kind)).toEqual(expect.arrayContaining(['python-package', 'cargo-crate']));
  });

  it('writes nothing inside the scanned repository but the cache and the named output file', async () => {
    const root = boobyTrappedRepo(join(tempDir('rustscout-marker-'), 'ran'));
    const before = snapshot(root);
    expect((await cli(['scan', root])).code).toBe(0);
    expect(outsideCache(changes(before, snapshot(root)))).toEqual([]);
    expect((await cli(['scan', root, '--format', 'json', '--output', join(root, 'report.json')])).code).toBe(0);
    expect(outsideCache(changes(before, snapshot(root)))).toEqual(['+ report.json']);
  });

  it('contains no code path that spawns processes, evaluates code or opens network connections', () => {
    const forbidden = /from ['"](node:)?(child_process|vm|http|https|http2|net|dgram|tls|dns|inspector)['"]|require\(\s*['"](node:)?(child_process|vm|http|https|net)['"]|\beval\(|new Function\(|\bfetch\(|\bimport\(\s*[^'"\s)]/;
    // simple-git (the opt-in --changed-since mode) is the one sanctioned process: it runs `git` on the repository's metadata.
    const offenders: string[] = [];
    const scanDir = (dir: string): void => {
      for (const name of readdirSync(join(REPO, dir))) {
        const rel = `${dir}/${name}`;
        if (lstatSync(join(REPO, rel)).isDirectory()) scanDir(rel);
        else if (/\.ts$/.test(name)) {
          readFileSync(join(REPO, rel), 'utf8').split('\n').forEach((line, i) => {
            const code = line.replace(/\/\/.*$/, '').replace(/'[^']*'|"[^"]*"|`[^`]*`/g, (s) => (/^['"](node:)?[a-z_]+['"]$/.test(s) ? s : "''"));
            if (forbidden.test(code) && !/^\s*\*/.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
          });
        }
      }
    };
    scanDir('src');
    scanDir('detectors');
    expect(offenders).toEqual([]);
  });
});
