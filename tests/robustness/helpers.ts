/** Builds hostile repositories in temporary directories at test time (nothing binary is committed). */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import type { Report } from '../../src/model.js';

const created: string[] = [];

export function tempDir(prefix = 'rustscout-hostile-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Every test file importing this module removes its temporary trees (one holds a 50 MB file) when done. */
afterAll(() => {
  for (const dir of created.splice(0)) {
    try {
      chmodSync(dir, 0o755);
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}-link`, { force: true });
      rmSync(`${dir}-driver.mjs`, { force: true });
    } catch {
      // best effort
    }
  }
});

/** Writes `files` (relative path → content) under a fresh temporary root and returns the root. */
export function tempRepo(files: Record<string, string | Buffer>): string {
  const root = tempDir();
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const { runCli } = await import('../../src/cli.js');
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

export async function scanJson(root: string, extra: string[] = []): Promise<{ code: number; report: Report }> {
  const run = await cli(['scan', root, '--format', 'json', ...extra]);
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

export const warningsFor = (report: Report, path: string): string[] => report.warnings.filter((w) => w.path === path).map((w) => w.message);
export const moduleFor = (report: Report, path: string) => report.modules.find((m) => m.path === path);
