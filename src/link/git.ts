/**
 * Git history per file, read with one `git log` over the scanned root (simple-git): commits in the
 * last 12 months, age, distinct authors. Stable code is a better rewrite target than code that
 * changes weekly. Never fatal: no git, no repository or no commits yields a warning and no history.
 */
import { safeGit, type SafeGit } from '../safe-git.js';
import type { Evidence } from '../model.js';

export interface FileHistory {
  /** Commits touching the file in the 365 days before the scan. */
  commits12m: number;
  /** Commits touching the file in the history read (all of it unless the clone is shallow). */
  commits: number;
  /** Days since the oldest commit touching the file (a lower bound in a shallow clone). */
  ageDays: number;
  /** Days since the newest commit touching the file. */
  lastChangeDays: number;
  /** Distinct author e-mail addresses over the history read. */
  authors: number;
}

export interface GitHistory {
  /** Keyed by path relative to the scanned root, POSIX separators. */
  files: Map<string, FileHistory>;
  /** The clone is shallow: ages and counts cover only the history present. */
  shallow: boolean;
  commitsRead: number;
  warnings: string[];
}

export interface GitHistoryOptions {
  /** The moment the history is measured from (tests pin it); defaults to now. */
  now?: Date;
  /** Give up after this many milliseconds without output from git. */
  timeoutMs?: number;
  /** Read at most this many commits, newest first (a huge history is cut short, with a warning). */
  maxCommits?: number;
}

/** Enough for years of history in most repositories; bounds the time a monorepo's log takes. */
export const DEFAULT_MAX_COMMITS = 20_000;

const DAY_MS = 86_400_000;
const RECORD = '\x1e';
const FIELD = '\x1f';

interface Accumulator {
  commits: number;
  commits12m: number;
  oldest: number;
  newest: number;
  authors: Set<string>;
}

/** Parses `git log --format=<RS>%at<US>%aE --name-only` output into per-file accumulators. */
export function parseGitLog(output: string, nowMs: number): { files: Map<string, FileHistory>; commits: number } {
  const acc = new Map<string, Accumulator>();
  const since = nowMs - 365 * DAY_MS;
  let commits = 0;
  for (const record of output.split(RECORD)) {
    if (!record.trim()) continue;
    const newline = record.indexOf('\n');
    const header = newline < 0 ? record : record.slice(0, newline);
    const [at, email = ''] = header.split(FIELD);
    const when = Number(at) * 1000;
    if (!Number.isFinite(when)) continue;
    commits++;
    const author = email.trim().toLowerCase();
    const paths = newline < 0 ? [] : record.slice(newline + 1).split('\n');
    for (const raw of paths) {
      const path = raw.trim();
      if (!path) continue;
      let a = acc.get(path);
      if (!a) acc.set(path, (a = { commits: 0, commits12m: 0, oldest: when, newest: when, authors: new Set() }));
      a.commits++;
      if (when >= since) a.commits12m++;
      if (when < a.oldest) a.oldest = when;
      if (when > a.newest) a.newest = when;
      if (author) a.authors.add(author);
    }
  }
  const files = new Map<string, FileHistory>();
  for (const [path, a] of acc) {
    files.set(path, {
      commits12m: a.commits12m, commits: a.commits,
      ageDays: Math.max(0, Math.floor((nowMs - a.oldest) / DAY_MS)),
      lastChangeDays: Math.max(0, Math.floor((nowMs - a.newest) / DAY_MS)),
      authors: a.authors.size,
    });
  }
  return { files, commits };
}

/**
 * Reads the history of every file under `root`. Returns `{ skipped }` with the reason when there is
 * nothing to read (git missing, not a repository, no commits yet).
 */
export async function readGitHistory(root: string, options: GitHistoryOptions = {}): Promise<GitHistory | { skipped: string }> {
  const nowMs = (options.now ?? new Date()).getTime();
  const maxCommits = options.maxCommits ?? DEFAULT_MAX_COMMITS;
  let git: SafeGit;
  try {
    git = await safeGit(root, options.timeoutMs ?? 120_000);
  } catch (err) {
    return { skipped: `git history skipped: ${(err as Error).message.split('\n')[0]}` };
  }
  try {
    const inside = (await git.raw(['rev-parse', '--is-inside-work-tree'])).trim();
    if (inside !== 'true') return { skipped: 'git history skipped: the root is not inside a git work tree' };
  } catch (err) {
    const message = (err as Error).message;
    if (/ENOENT|spawn git/i.test(message)) return { skipped: 'git history skipped: git is not installed' };
    if (/not a git repository/i.test(message)) return { skipped: 'git history skipped: the root is not inside a git repository' };
    return { skipped: `git history skipped: ${message.replace(/^fatal:\s*/m, '').split('\n').find((l) => l.trim())?.trim().slice(0, 160) ?? 'git failed'}` };
  }
  const warnings: string[] = [];
  let shallow = false;
  try {
    shallow = (await git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  } catch {
    // very old git: no --is-shallow-repository; treat as complete
  }
  if (shallow) warnings.push('git history: shallow clone, so file ages and commit counts cover only the fetched history (lower bounds)');
  let output: string;
  try {
    // --relative: paths relative to the scanned root, and only files under it.
    output = await git.raw(['-c', 'core.quotepath=off', 'log', '--no-merges', '--no-renames', '--relative', `--max-count=${maxCommits}`, `--format=${RECORD}%at${FIELD}%aE`, '--name-only', '--', '.']);
  } catch (err) {
    const message = (err as Error).message;
    if (/does not have any commits|bad default revision|unknown revision/i.test(message)) return { skipped: 'git history skipped: the repository has no commits yet' };
    return { skipped: `git history skipped: git log failed (${message.split('\n')[0].slice(0, 160)})` };
  }
  const { files, commits } = parseGitLog(output, nowMs);
  if (commits >= maxCommits) warnings.push(`git history: read the newest ${maxCommits} commits only, so older files' ages and counts are lower bounds`);
  return { files, shallow, commitsRead: commits, warnings };
}

/** History evidence for a module (line 1: it is about the whole file). */
export function historyEvidence(h: FileHistory): Evidence[] {
  return [
    { detector: 'git-history', signal: 'churn-12m', value: h.commits12m, line: 1, message: `${h.commits12m} commit(s) in the last 12 months` },
    { detector: 'git-history', signal: 'age-days', value: h.ageDays, line: 1, message: `first committed ${h.ageDays} day(s) ago` },
    { detector: 'git-history', signal: 'authors', value: h.authors, line: 1, message: `${h.authors} distinct author(s)` },
  ];
}
