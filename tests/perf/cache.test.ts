import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDirFor, configHash } from '../../src/cache.js';
import type { Report } from '../../src/model.js';
import { scan, type ScanOptions } from '../../src/pipeline.js';
import { KERNEL, syntheticRepo } from './synthetic-repo.js';

const made: string[] = [];
const temp = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** Every entry file in a cache folder (relative paths). */
function entries(dir: string): string[] {
  const root = join(dir, 'v1');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((sub) => readdirSync(join(root, sub)).map((f) => `${sub}/${f}`)).sort();
}

const base: ScanOptions = { git: false, jobs: 1 };
const withoutCacheWarnings = (r: Report): Report => ({ ...r, warnings: r.warnings.filter((w) => w.code !== 'cache') });

describe('per-file result cache', () => {
  let root: string;
  let cacheDir: string;
  let uncached: Report;
  beforeAll(async () => {
    root = syntheticRepo(24);
    made.push(root);
    cacheDir = join(temp('rustscout-cache-'), 'c');
    uncached = await scan(root, { ...base, cache: false });
  });

  it('a cold and a warm scan both equal the scan without a cache, and the warm one reads every file from it', async () => {
    const cold = await scan(root, { ...base, cache: { dir: cacheDir } });
    const stored = entries(cacheDir);
    expect(stored.length).toBe(uncached.modules.length);
    const warm = await scan(root, { ...base, cache: { dir: cacheDir } });
    expect(cold).toEqual(uncached);
    expect(warm).toEqual(uncached);
    expect(entries(cacheDir)).toEqual(stored);
    // The syntax-error warning is part of the per-file result and survives the round trip.
    expect(warm.warnings.filter((w) => w.code === 'syntax-error').map((w) => w.path)).toEqual(['beta/broken.py']);

    // Proof that the warm scan reads the stored results rather than re-parsing: a well-formed entry
    // whose key still matches is believed, so its (doctored) line count shows up in the report.
    const file = stored.map((e) => join(cacheDir, 'v1', e)).find((f) => JSON.parse(readFileSync(f, 'utf8')).path === 'alpha/kernel.py')!;
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    entry.result.python.loc = 4242;
    writeFileSync(file, JSON.stringify(entry));
    const doctored = await scan(root, { ...base, cache: { dir: cacheDir } });
    expect(doctored.modules.find((m) => m.path === 'alpha/kernel.py')!.loc).toBe(4242);
    rmSync(file);
  });

  it('a re-scan after an edit re-analyses only the changed file and reports the new content', async () => {
    const dir = join(temp('rustscout-cache-'), 'c');
    await scan(root, { ...base, cache: { dir } });
    const before = entries(dir);
    const edited = join(root, 'alpha', 'mod_2.py');
    const original = readFileSync(edited, 'utf8');
    try {
      writeFileSync(edited, `${original}\n\n${KERNEL}`);
      const rescan = await scan(root, { ...base, cache: { dir } });
      const added = entries(dir).filter((e) => !before.includes(e));
      expect(added.length).toBe(1);
      expect(rescan).toEqual(await scan(root, { ...base, cache: false }));
      const mod = rescan.modules.find((m) => m.path === 'alpha/mod_2.py')!;
      expect(mod.functions.map((f) => f.name)).toContain('checksum');
    } finally {
      writeFileSync(edited, original);
    }
  });

  it('corrupt entries are ignored with a warning, rebuilt, and never change the results', async () => {
    const dir = join(temp('rustscout-cache-'), 'c');
    await scan(root, { ...base, cache: { dir } });
    const all = entries(dir);
    writeFileSync(join(dir, 'v1', all[0]), '{"tool":"rustscout","format":1,"result":');
    const tampered = JSON.parse(readFileSync(join(dir, 'v1', all[1]), 'utf8'));
    tampered.contentHash = '0'.repeat(64);
    writeFileSync(join(dir, 'v1', all[1]), JSON.stringify(tampered));

    const r = await scan(root, { ...base, cache: { dir } });
    const warned = r.warnings.filter((w) => w.code === 'cache');
    expect(warned.length).toBe(2);
    expect(warned[0].message).toMatch(/corrupt or does not match/);
    expect(withoutCacheWarnings(r)).toEqual(uncached);
    const again = await scan(root, { ...base, cache: { dir } });
    expect(again.warnings.filter((w) => w.code === 'cache')).toEqual([]);
  });

  it('a folder that is not a rustscout cache is left alone with a warning, and the scan still runs', async () => {
    const dir = temp('rustscout-foreign-');
    writeFileSync(join(dir, 'notes.txt'), 'someone else’s files');
    const r = await scan(root, { ...base, cache: { dir } });
    expect(r.warnings.filter((w) => w.code === 'cache').map((w) => w.message)).toEqual([expect.stringMatching(/not a rustscout cache/)]);
    expect(withoutCacheWarnings(r)).toEqual(uncached);
    expect(readdirSync(dir)).toEqual(['notes.txt']);

    const wrongFormat = temp('rustscout-foreign-');
    writeFileSync(join(wrongFormat, 'rustscout-cache.json'), JSON.stringify({ tool: 'rustscout', format: 999 }));
    const r2 = await scan(root, { ...base, cache: { dir: wrongFormat } });
    expect(r2.warnings.some((w) => w.code === 'cache' && /not a rustscout cache/.test(w.message))).toBe(true);
  });

  it('options that change per-file results change the key; --no-cache writes nothing', async () => {
    const dir = join(temp('rustscout-cache-'), 'c');
    await scan(root, { ...base, cache: { dir } });
    const first = entries(dir);
    await scan(root, { ...base, cache: { dir }, limits: { maxBytes: 1024 * 1024, maxParseMs: 10_000 } });
    expect(entries(dir).length).toBe(2 * first.length);
    expect(configHash({ a: 1, b: [2, { c: 3 }] })).toBe(configHash({ b: [2, { c: 3 }], a: 1 }));
    expect(configHash({ limits: { maxBytes: 1 } })).not.toBe(configHash({ limits: { maxBytes: 2 } }));

    await scan(root, { ...base, cache: false });
    expect(existsSync(join(root, '.rustscout-cache'))).toBe(false);
  });

  it('defaults to $XDG_CACHE_HOME/rustscout or ~/.cache/rustscout (outside the repo), the repository’s .rustscout-cache only without a home, and keeps it out of the scan', async () => {
    expect(cacheDirFor('/repo', { env: {} })).toBe(join('/repo', '.rustscout-cache'));
    expect(cacheDirFor('/repo', { env: { HOME: '/home/u' } })).toMatch(/^\/home\/u\/\.cache\/rustscout\/[0-9a-f]{16}$/);
    expect(cacheDirFor('/repo', { env: { XDG_CACHE_HOME: '/home/u/.cache' } })).toMatch(/^\/home\/u\/\.cache\/rustscout\/[0-9a-f]{16}$/);
    expect(cacheDirFor('/repo', { dir: '/elsewhere', env: { XDG_CACHE_HOME: '/x' } })).toBe('/elsewhere');

    const repo = syntheticRepo(4);
    made.push(repo);
    const saved = process.env.XDG_CACHE_HOME;
    const savedHome = process.env.HOME;
    delete process.env.XDG_CACHE_HOME;
    delete process.env.HOME;
    try {
      const first = await scan(repo, { ...base, cache: {} });
      const second = await scan(repo, { ...base, cache: {} });
      expect(entries(join(repo, '.rustscout-cache')).length).toBe(first.modules.length);
      expect(readFileSync(join(repo, '.rustscout-cache', '.gitignore'), 'utf8')).toBe('*\n');
      expect(second.modules.map((m) => m.path)).toEqual(first.modules.map((m) => m.path));
      expect(second.modules.some((m) => m.path.includes('.rustscout-cache'))).toBe(false);
    } finally {
      if (saved !== undefined) process.env.XDG_CACHE_HOME = saved;
      if (savedHome !== undefined) process.env.HOME = savedHome;
    }
  });

  it('an unwritable explicit cache folder is a warning, not a failure', async () => {
    const file = join(temp('rustscout-cache-'), 'plain-file');
    writeFileSync(file, 'x');
    const r = await scan(root, { ...base, cache: { dir: join(file, 'sub') } });
    expect(r.warnings.filter((w) => w.code === 'cache').map((w) => w.message)).toEqual([expect.stringMatching(/cannot create the cache folder/)]);
    expect(withoutCacheWarnings(r)).toEqual(uncached);
  });
});
