/**
 * Worker threads need compiled JavaScript, so this file compiles the project once into a temp
 * folder and runs the real CLI and pool from there. The sources under vitest run in-thread.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileResult } from '../../src/analyse-file.js';
import { workerEntry } from '../../src/pool/worker-pool.js';
import { REPO } from '../helpers.js';
import { syntheticRepo } from './synthetic-repo.js';

let build: string;
let repo: string;
const cleanup: string[] = [];

beforeAll(() => {
  build = mkdtempSync(join(tmpdir(), 'rustscout-build-'));
  cleanup.push(build);
  // Compile into the temp folder (tsc still emits when unrelated files have type errors).
  spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.json'), '--outDir', join(build, 'dist')], { cwd: REPO, stdio: 'ignore' });
  symlinkSync(join(REPO, 'node_modules'), join(build, 'node_modules'), 'dir');
  cpSync(join(REPO, 'package.json'), join(build, 'package.json'));
  repo = syntheticRepo(40);
  cleanup.push(repo);
}, 240_000);

afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

const LIMITS = { maxBytes: 5 * 1024 * 1024, maxParseMs: 10_000 };

/**
 * The compiled pool (workers need the compiled build) and each file's result analysed in this
 * thread, to compare the pool's answers with.
 */
async function poolAndReference(root: string, files: string[], language: string) {
  const pool = await import(pathToFileURL(join(build, 'dist/src/pool/worker-pool.js')).href);
  const task = await import(pathToFileURL(join(build, 'dist/src/pool/task.js')).href);
  const inThread: FileResult[] = [];
  for (const path of files) inThread.push(await task.runTask({ root, path, language, limits: LIMITS }));
  return { WorkerPool: pool.WorkerPool, inThread };
}

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(build, 'dist/src/cli.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('worker pool', () => {
  it('the compiled build has a worker entry; the TypeScript sources do not, and run in-thread', () => {
    expect(existsSync(join(build, 'dist/src/pool/worker.js'))).toBe(true);
    expect(workerEntry()).toBeNull();
  });

  it('a scan prints the same report with 1, 2 and 3 jobs, with and without the cache', () => {
    const one = cli(['scan', repo, '--format', 'json', '--no-git', '--no-cache', '--jobs', '1']);
    expect(one.code).toBe(0);
    const report = JSON.parse(one.stdout) as { modules: { path: string; functions: { name: string }[] }[] };
    expect(report.modules.length).toBeGreaterThan(40);
    expect(report.modules.find((m) => m.path === 'alpha/kernel.py')?.functions.map((f) => f.name)).toContain('checksum');
    for (const jobs of ['2', '3']) expect(cli(['scan', repo, '--format', 'json', '--no-git', '--no-cache', '--jobs', jobs]).stdout, `--jobs ${jobs}`).toBe(one.stdout);

    const cacheDir = join(mkdtempSync(join(tmpdir(), 'rustscout-cache-')), 'c');
    cleanup.push(join(cacheDir, '..'));
    const cold = cli(['scan', repo, '--format', 'json', '--no-git', '--jobs', '2', '--cache-dir', cacheDir]);
    expect(readdirSync(join(cacheDir, 'v3')).filter((f) => f.endsWith('.pack')).length).toBe(1);
    const warm = cli(['scan', repo, '--format', 'json', '--no-git', '--jobs', '2', '--cache-dir', cacheDir]);
    expect(cold.stdout).toBe(one.stdout);
    expect(warm.stdout).toBe(one.stdout);
  });

  it('rejects a bad --jobs value as a usage error', () => {
    const bad = cli(['scan', repo, '--jobs', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/analysing threads/);
  });

  it('workers return the same plain results as the main thread, and a dead worker’s tasks still finish', async () => {
    const files = ['alpha/kernel.py', 'beta/broken.py', 'webapp/shopfront/imaging/filters.py', ...Array.from({ length: 12 }, (_, i) => `${i % 2 ? 'beta' : 'alpha'}/mod_${i}.py`)];
    const { WorkerPool, inThread } = await poolAndReference(repo, files, 'python');

    const p = WorkerPool.create(2);
    expect(p).not.toBeNull();
    expect(p.size).toBe(2);
    try {
      const pending: Promise<FileResult>[] = files.map((path) => p.run({ root: repo, path, language: 'python', limits: LIMITS }).then((a: { result: FileResult; json?: string }) => {
        // A worker's answer arrives as JSON text, and the result is exactly that text parsed.
        if (a.json !== undefined) expect(JSON.parse(a.json)).toEqual(a.result);
        return a.result;
      }));
      // Kill one worker while tasks are queued and in flight: its work must fall back, not vanish.
      await (p as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0].worker.terminate();
      const results = await Promise.all(pending);
      expect(results).toEqual(inThread);
      expect(results[0].python?.functions.map((f) => f.name)).toContain('checksum');
      // Plain data only: a structured-clone round trip changes nothing.
      expect(structuredClone(results)).toEqual(results);
    } finally {
      await p.close();
    }
  });

  it('scripts go to workers only, and many waiting ones get a worker of their own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rustscout-scripts-'));
    cleanup.push(dir);
    const files = Array.from({ length: 40 }, (_, i) => `m${i}.js`);
    files.forEach((f, i) => writeFileSync(join(dir, f), `export function f${i}(xs) {\n  let s = 0;\n  for (const x of xs) s += x * ${i};\n  return s;\n}\n`));
    const { WorkerPool, inThread } = await poolAndReference(dir, files, 'javascript');

    const p = WorkerPool.create(1);
    try {
      const answers = await Promise.all(files.map((path) => p.run({ root: dir, path, language: 'javascript', limits: LIMITS })));
      expect(answers.map((a: { result: FileResult }) => a.result)).toEqual(inThread);
      // every script was analysed in a worker (its answer arrived as JSON text) …
      expect(answers.every((a: { json?: string }) => a.json !== undefined)).toBe(true);
      // … and this thread, with nothing else to do, started a second worker for them
      expect(p.size).toBe(2);
    } finally {
      await p.close();
    }
  });

  it('this thread hands its share to a fresh worker when its heap passes the budget, and nothing is lost', async () => {
    const files = Array.from({ length: 20 }, (_, i) => `${i % 2 ? 'beta' : 'alpha'}/mod_${i}.py`);
    const { WorkerPool, inThread } = await poolAndReference(repo, files, 'python');

    const p = WorkerPool.create(1, { hereHeapBudget: 0 });
    try {
      const results = await Promise.all(files.map((path) => p.run({ root: repo, path, language: 'python', limits: LIMITS }).then((a: { result: FileResult }) => a.result)));
      expect(results).toEqual(inThread);
      expect(p.size).toBe(2); // the first worker and the one that took this thread's place
    } finally {
      await p.close();
    }
  });
});
