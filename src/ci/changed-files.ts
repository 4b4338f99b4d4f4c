/**
 * Changed-files mode: which files under the scanned root changed since a git revision — committed
 * since the merge base of REF and HEAD, plus staged, unstaged and untracked (not ignored) changes.
 * Only reads the local repository (simple-git runs `git`); never fetches.
 */
import { realpathSync } from 'node:fs';
import { posix, relative, sep } from 'node:path';
import { safeGit, type SafeGit } from '../safe-git.js';
import { CiUsageError } from './errors.js';

export interface ChangedFiles {
  ref: string;
  /** The merge base the diff is taken against. */
  base: string;
  /** POSIX paths relative to the scanned root. */
  files: Set<string>;
}

export interface GitLocation {
  /** The work tree's top directory (real path). */
  top: string;
  /** The scanned root relative to the work tree top, POSIX, '' when they are the same. */
  prefix: string;
}

const toPosix = (p: string): string => p.split(sep).join('/');

async function gitAt(root: string): Promise<{ git: SafeGit; where: GitLocation } | null> {
  let git: SafeGit;
  let top: string;
  try {
    git = await safeGit(root);
    top = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
  } catch {
    return null;
  }
  const realRoot = realpathSync(root);
  const realTop = realpathSync(top);
  const prefix = toPosix(relative(realTop, realRoot));
  return { git, where: { top: realTop, prefix: prefix === '.' ? '' : prefix } };
}

/** Where the root sits in its git work tree, or null when it is not in one (or git is missing). */
export async function gitLocation(root: string): Promise<GitLocation | null> {
  return (await gitAt(root))?.where ?? null;
}

const splitZ = (out: string): string[] => out.split('\0').filter(Boolean);

export async function changedFiles(root: string, ref: string): Promise<ChangedFiles> {
  const at = await gitAt(root);
  if (!at) throw new CiUsageError(`--changed-since needs a git repository, and ${root} is not in one`);
  const { git, where } = at;
  if (ref.startsWith('-')) throw new CiUsageError(`--changed-since: "${ref}" is not a git revision`);
  let base: string;
  try {
    await git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    base = (await git.raw(['merge-base', ref, 'HEAD'])).trim();
  } catch {
    throw new CiUsageError(`--changed-since: unknown git revision "${ref}" (or no common history with HEAD)`);
  }
  if (!base) throw new CiUsageError(`--changed-since: "${ref}" has no common history with HEAD`);
  const diff = await git.raw(['-c', 'core.quotePath=false', 'diff', '--no-ext-diff', '--no-textconv', '--name-only', '--no-renames', '-z', base, '--']);
  const untracked = await git.raw(['ls-files', '--others', '--exclude-standard', '-z', '--full-name', '--', '.']);
  const files = new Set<string>();
  for (const path of [...splitZ(diff), ...splitZ(untracked)]) {
    const rel = where.prefix ? (path.startsWith(where.prefix + '/') ? path.slice(where.prefix.length + 1) : null) : path;
    if (rel !== null) files.add(posix.normalize(rel));
  }
  return { ref, base, files };
}
