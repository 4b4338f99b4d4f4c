/**
 * git, hardened for hostile repositories: a scanned repo's own .git/config must not be able to run
 * commands. Filter drivers (clean/smudge/process), fsmonitor hooks, external diff drivers and
 * textconv are all switched off for every command rustscout runs.
 */
import type { SimpleGit } from 'simple-git';

export interface SafeGit {
  git: SimpleGit;
  /** `git -c … <args>` with every command-running setting disabled. */
  raw(args: string[]): Promise<string>;
}

async function filterDrivers(git: SimpleGit): Promise<string[]> {
  let out = '';
  try {
    out = await git.raw(['-c', 'core.fsmonitor=false', 'config', '--name-only', '--get-regexp', '^filter\\.']);
  } catch {
    return []; // no filter keys at all: git config exits 1
  }
  const names = new Set<string>();
  for (const key of out.split('\n')) {
    const m = /^filter\.(.+)\.[^.]+$/.exec(key.trim());
    if (m) names.add(m[1]);
  }
  return [...names];
}

export async function safeGit(baseDir: string, timeoutMs = 120_000): Promise<SafeGit> {
  // simple-git refuses to pass these settings at all; we only ever pass their disabling values.
  const unsafe = { allowUnsafeFsMonitor: true, allowUnsafeHooksPath: true, allowUnsafeDiffExternal: true, allowUnsafeFilter: true };
  // loaded on first use: simple-git costs 50–100 ms to load, and --no-git scans never call git
  const { simpleGit } = await import('simple-git');
  const git = simpleGit({ baseDir, maxConcurrentProcesses: 2, timeout: { block: timeoutMs }, unsafe: unsafe as never });
  const overrides = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-c', 'diff.external='];
  for (const name of await filterDrivers(git)) {
    overrides.push('-c', `filter.${name}.clean=`, '-c', `filter.${name}.smudge=`, '-c', `filter.${name}.process=`, '-c', `filter.${name}.required=false`);
  }
  return { git, raw: (args) => git.raw([...overrides, ...args]) };
}
