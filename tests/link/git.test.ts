import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGitLog, readGitHistory, type GitHistory } from '../../src/link/git.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const daysAgo = (n: number): string => new Date(NOW.getTime() - n * 86_400_000).toISOString();

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd, ...env }, encoding: 'utf8' });
}

function commit(repo: string, file: string, text: string, author: string, ageDays: number): void {
  mkdirSync(join(repo, file, '..'), { recursive: true });
  writeFileSync(join(repo, file), text);
  git(repo, ['add', file]);
  const date = daysAgo(ageDays);
  git(repo, ['commit', '-q', '-m', `edit ${file}`], {
    GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: `${author}@example.org`, GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: `${author}@example.org`, GIT_COMMITTER_DATE: date,
  });
}

describe('git history (a temporary repository made here)', () => {
  let dir: string;
  let repo: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rustscout-git-'));
    repo = join(dir, 'repo');
    mkdirSync(repo);
    git(repo, ['init', '-q', '-b', 'main']);
    commit(repo, 'pkg/stable.py', 'x = 1\n', 'ada', 900);
    commit(repo, 'pkg/busy.py', 'y = 1\n', 'ada', 700);
    commit(repo, 'pkg/busy.py', 'y = 2\n', 'bob', 200);
    commit(repo, 'pkg/busy.py', 'y = 3\n', 'cy', 30);
    commit(repo, 'pkg/busy.py', 'y = 4\n', 'bob', 2);
    commit(repo, 'other/elsewhere.py', 'z = 1\n', 'dee', 10);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts commits in the last 12 months, age and distinct authors per file', async () => {
    const h = (await readGitHistory(repo, { now: NOW })) as GitHistory;
    expect(h.shallow).toBe(false);
    expect(h.commitsRead).toBe(6);
    expect(h.files.get('pkg/busy.py')).toEqual({ commits12m: 3, commits: 4, ageDays: 700, lastChangeDays: 2, authors: 3 });
    expect(h.files.get('pkg/stable.py')).toEqual({ commits12m: 0, commits: 1, ageDays: 900, lastChangeDays: 900, authors: 1 });
  });

  it('keys paths relative to a scanned subdirectory and leaves out the rest of the repo', async () => {
    const h = (await readGitHistory(join(repo, 'pkg'), { now: NOW })) as GitHistory;
    expect([...h.files.keys()].sort()).toEqual(['busy.py', 'stable.py']);
  });

  it('handles a shallow clone: only the fetched history, with a warning', async () => {
    const clone = join(dir, 'shallow');
    git(dir, ['clone', '-q', '--depth', '1', `file://${repo}`, clone]);
    const h = (await readGitHistory(clone, { now: NOW })) as GitHistory;
    expect(h.shallow).toBe(true);
    expect(h.commitsRead).toBe(1);
    expect(h.warnings.join(' ')).toMatch(/shallow/);
    expect(h.files.get('other/elsewhere.py')).toMatchObject({ commits: 1, ageDays: 10 });
  });

  it('skips with a reason outside a repository and in a repository without commits', async () => {
    const plain = join(dir, 'plain');
    mkdirSync(plain);
    expect(await readGitHistory(plain, { now: NOW })).toEqual({ skipped: expect.stringMatching(/not inside a git/) });
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    git(empty, ['init', '-q']);
    expect(await readGitHistory(empty, { now: NOW })).toEqual({ skipped: expect.stringMatching(/no commits/) });
  });
});

describe('parseGitLog', () => {
  it('reads records of timestamp, author and paths', () => {
    const now = Date.UTC(2026, 0, 31);
    const at = (days: number): number => Math.floor((now - days * 86_400_000) / 1000);
    const out = `\x1e${at(1)}\x1fA@x.org\n\na.py\nb.py\n\x1e${at(400)}\x1fa@x.org\n\na.py\n`;
    const { files, commits } = parseGitLog(out, now);
    expect(commits).toBe(2);
    expect(files.get('a.py')).toEqual({ commits12m: 1, commits: 2, ageDays: 400, lastChangeDays: 1, authors: 1 });
    expect(files.get('b.py')).toMatchObject({ commits: 1, authors: 1 });
  });
});

describe('git history: a long history is cut short', () => {
  it('reads at most maxCommits, newest first, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rustscout-gitcap-'));
    try {
      git(dir, ['init', '-q']);
      for (let i = 0; i < 3; i++) commit(dir, 'a.py', `x = ${i}\n`, 'ada', 30 - i * 10);
      const h = (await readGitHistory(dir, { now: NOW, maxCommits: 2 })) as GitHistory;
      expect(h.commitsRead).toBe(2);
      expect(h.files.get('a.py')).toMatchObject({ commits: 2, ageDays: 20, lastChangeDays: 10 });
      expect(h.warnings.join(' ')).toMatch(/newest 2 commits/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
