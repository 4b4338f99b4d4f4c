/** Helpers for the CI tests: fixture copies in temp dirs, temporary git repos, CLI runs. */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli.js';
import { fixture, tempDir } from '../helpers.js';

/** A fresh copy of a fixture (or an empty dir) in a temp directory, removed after the test file. */
export function tempCopy(name?: string): string {
  const dir = tempDir('rustscout-ci-');
  if (name) cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir, encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_NOSYSTEM: '1', HOME: dir },
  });
}

/** Turns a directory into a git repo with everything committed on branch `main`. */
export function gitRepo(dir: string): string {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

export function edit(dir: string, path: string, change: (text: string) => string): void {
  const file = join(dir, path);
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], options: { tty?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), stderrIsTTY: options.tty ?? false });
  return { code, stdout, stderr };
}
