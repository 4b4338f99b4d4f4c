import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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

/** The pack files of a cache folder. */
function packs(dir: string): string[] {
  const folder = join(dir, 'v2');
  if (!existsSync(folder)) return [];
  return readdirSync(folder).filter((f) => f.endsWith('.pack')).map((f) => join(folder, f)).sort();
}

interface PackLine {
  key: [string, string, string, number, number, number, number, number];
  result: string;
}

/** The header and entries of the one pack in a cache folder. */
function readPack(dir: string): { file: string; header: Record<string, unknown>; lines: PackLine[] } {
  const [file, ...more] = packs(dir);
  expect(more).toEqual([]);
  const [head, ...rest] = readFileSync(file, 'utf8').split('\n');
  expect(rest.pop()).toBe('');
  const lines = rest.map((l) => {
    const tab = l.indexOf('\t');
    return { key: JSON.parse(l.slice(0, tab)), result: l.slice(tab + 1) } as PackLine;
  });
  return { file, header: JSON.parse(head), lines };
}

function writePack(file: string, header: Record<string, unknown>, lines: (PackLine | string)[]): void {
  writeFileSync(file, [JSON.stringify(header), ...lines.map((l) => (typeof l === 'string' ? l : `${JSON.stringify(l.key)}\t${l.result}`)), ''].join('\n'));
}

/** Every file of the tree dated an hour back, as in a checkout that is not being edited (the stat shortcut then applies). */
function ageTree(dir: string): void {
  const past = new Date(Date.now() - 3600_000);
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) utimesSync(join(e.parentPath, e.name), past, past);
}

const base: ScanOptions = { git: false, jobs: 1 };
const withoutCacheWarnings = (r: Report): Report => ({ ...r, warnings: r.warnings.filter((w) => w.code !== 'cache') });

describe('per-file result cache', () => {
  let root: string;
  let uncached: Report;
  beforeAll(async () => {
    root = syntheticRepo(24);
    made.push(root);
    ageTree(root);
    uncached = await scan(root, { ...base, cache: false });
  });

  it('a cold and a warm scan both equal the scan without a cache; the warm one reads every file from one pack and rewrites nothing', async () => {
    const cacheDir = join(temp('rustscout-cache-'), 'c');
    const cold = await scan(root, { ...base, cache: { dir: cacheDir } });
    const pack = readPack(cacheDir);
    expect(pack.header).toMatchObject({ tool: 'rustscout', format: 2, root });
    expect(pack.lines.map((l) => l.key[0]).sort()).toEqual(uncached.modules.map((m) => m.path).filter((p) => p.endsWith('.py')).sort());
    const written = statSync(pack.file);
    const warm = await scan(root, { ...base, cache: { dir: cacheDir } });
    expect(cold).toEqual(uncached);
    expect(warm).toEqual(uncached);
    // Nothing changed: the pack is the same file, not rewritten.
    expect(statSync(pack.file).ino).toBe(written.ino);
    expect(statSync(pack.file).mtimeMs).toBe(written.mtimeMs);
    // The syntax-error warning is part of the per-file result and survives the round trip.
    expect(warm.warnings.filter((w) => w.code === 'syntax-error').map((w) => w.path)).toEqual(['beta/broken.py']);

    // Proof that the warm scan reads the stored results rather than re-parsing: a well-formed entry
    // whose key still matches is believed, so its (doctored) line count shows up in the report.
    const doctored = pack.lines.map((l) => {
      if (l.key[0] !== 'alpha/kernel.py') return l;
      const result = JSON.parse(l.result);
      result.python.loc = 4242;
      return { key: l.key, result: JSON.stringify(result) };
    });
    writePack(pack.file, pack.header, doctored);
    const fromCache = await scan(root, { ...base, cache: { dir: cacheDir } });
    expect(fromCache.modules.find((m) => m.path === 'alpha/kernel.py')!.loc).toBe(4242);
  });

  it('a re-scan after an edit re-analyses only the changed file, reports the new content and drops entries of deleted files', async () => {
    const dir = join(temp('rustscout-cache-'), 'c');
    await scan(root, { ...base, cache: { dir } });
    const before = readPack(dir);
    // Doctor an untouched file's entry: if the re-scan re-analysed it, the doctoring would vanish.
    writePack(before.file, before.header, before.lines.map((l) => (l.key[0] === 'alpha/mod_4.py' ? { key: l.key, result: l.result.replace(/"loc":\d+/, '"loc":777') } : l)));
    const edited = join(root, 'alpha', 'mod_2.py');
    const extra = join(root, 'beta', 'extra.py');
    const original = readFileSync(edited, 'utf8');
    try {
      writeFileSync(edited, `${original}\n\n${KERNEL}`);
      writeFileSync(extra, 'x = 1\n');
      const rescan = await scan(root, { ...base, cache: { dir } });
      expect(rescan.modules.find((m) => m.path === 'alpha/mod_4.py')!.loc).toBe(777);
      expect(rescan.modules.find((m) => m.path === 'alpha/mod_2.py')!.functions.map((f) => f.name)).toContain('checksum');
      const after = readPack(dir);
      const hashOf = (p: typeof before, path: string) => p.lines.find((l) => l.key[0] === path)?.key[2];
      const changed = after.lines.map((l) => l.key[0]).filter((path) => hashOf(before, path) !== hashOf(after, path)).sort();
      expect(changed).toEqual(['alpha/mod_2.py', 'beta/extra.py']);

      rmSync(extra);
      const withoutExtra = await scan(root, { ...base, cache: { dir } });
      expect(readPack(dir).lines.map((l) => l.key[0])).not.toContain('beta/extra.py');
      const fresh = await scan(root, { ...base, cache: false });
      expect(withoutExtra.modules.map((m) => m.path)).toEqual(fresh.modules.map((m) => m.path));
      expect(withoutExtra.modules.find((m) => m.path === 'alpha/mod_2.py')).toEqual(fresh.modules.find((m) => m.path === 'alpha/mod_2.py'));
    } finally {
      writeFileSync(edited, original);
      rmSync(extra, { force: true });
      ageTree(root);
    }
  });

  it('a file rewritten in place with the same size and mtime is still re-read (its ctime moved)', async () => {
    const dir = join(temp('rustscout-cache-'), 'c');
    const file = join(root, 'alpha', 'mod_6.py');
    const original = readFileSync(file, 'utf8');
    await scan(root, { ...base, cache: { dir } });
    const { atime, mtime } = statSync(file);
    try {
      const twin = original.replace(/\S/, (c) => (c === 'a' ? 'b' : 'a')); // same length, different bytes
      writeFileSync(file, twin);
      utimesSync(file, atime, mtime);
      const rescan = await scan(root, { ...base, cache: { dir } });
      expect(withoutCacheWarnings(rescan)).toEqual(await scan(root, { ...base, cache: false }));
    } finally {
      writeFileSync(file, original);
      ageTree(root);
    }
  });

  it('corrupt entries and packs are ignored with a warning, rebuilt, and never change the results', async () => {
    const dir = join(temp('rustscout-cache-'), 'c');
    await scan(root, { ...base, cache: { dir } });
    const pack = readPack(dir);
    const [first, second, ...rest] = pack.lines;
    writePack(pack.file, pack.header, [
      { key: first.key, result: first.result.slice(0, 40) }, // truncated result JSON
      { key: second.key, result: second.result.replace(`"path":${JSON.stringify(second.key[0])}`, '"path":"elsewhere.py"') }, // another file's result
      'not an entry at all',
      ...rest,
    ]);
    const r = await scan(root, { ...base, cache: { dir } });
    const warned = r.warnings.filter((w) => w.code === 'cache');
    expect(warned.map((w) => w.message)).toEqual([
      expect.stringMatching(/^1 corrupt cache entry ignored and rebuilt/),
      expect.stringMatching(/corrupt or does not match; ignored and rebuilt/),
      expect.stringMatching(/corrupt or does not match; ignored and rebuilt/),
    ]);
    expect(warned.slice(1).map((w) => w.path).sort()).toEqual([first.key[0], second.key[0]].sort());
    expect(withoutCacheWarnings(r)).toEqual(uncached);
    const again = await scan(root, { ...base, cache: { dir } });
    expect(again.warnings.filter((w) => w.code === 'cache')).toEqual([]);
    expect(readPack(dir).lines.length).toBe(pack.lines.length);

    // A pack whose header is garbage, or that was cut short, is rebuilt as a whole.
    writeFileSync(pack.file, 'garbage\nmore garbage');
    const garbage = await scan(root, { ...base, cache: { dir } });
    expect(garbage.warnings.filter((w) => w.code === 'cache').map((w) => w.message)).toEqual([expect.stringMatching(/cache file is corrupt or does not match/)]);
    expect(withoutCacheWarnings(garbage)).toEqual(uncached);
    const whole = readFileSync(pack.file);
    writeFileSync(pack.file, whole.subarray(0, whole.length - 20));
    const cut = await scan(root, { ...base, cache: { dir } });
    expect(cut.warnings.filter((w) => w.code === 'cache').map((w) => w.message)).toEqual([expect.stringMatching(/^1 corrupt cache entry/)]);
    expect(withoutCacheWarnings(cut)).toEqual(uncached);
  });

  it('a folder that is not a rustscout cache is left alone with a warning, and the scan still runs; an older rustscout cache is upgraded', async () => {
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

    const formatOne = temp('rustscout-old-');
    writeFileSync(join(formatOne, 'rustscout-cache.json'), JSON.stringify({ tool: 'rustscout', format: 1 }));
    mkdirSync(join(formatOne, 'v1', 'ab'), { recursive: true });
    writeFileSync(join(formatOne, 'v1', 'ab', 'entry.json'), '{}');
    const r3 = await scan(root, { ...base, cache: { dir: formatOne } });
    expect(r3).toEqual(uncached);
    expect(existsSync(join(formatOne, 'v1'))).toBe(false);
    expect(JSON.parse(readFileSync(join(formatOne, 'rustscout-cache.json'), 'utf8'))).toEqual({ tool: 'rustscout', format: 2 });
    expect(packs(formatOne).length).toBe(1);
  });

  it('options that change per-file results change the key; --no-cache writes nothing', async () => {
    const dir = join(temp('rustscout-cache-'), 'c');
    await scan(root, { ...base, cache: { dir } });
    expect(packs(dir).length).toBe(1);
    await scan(root, { ...base, cache: { dir }, limits: { maxBytes: 1024 * 1024, maxParseMs: 10_000 } });
    expect(packs(dir).length).toBe(2);
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
      const stored = readPack(join(repo, '.rustscout-cache'));
      expect(stored.lines.length).toBe(first.modules.filter((m) => m.language === 'python').length);
      expect(relative(repo, stored.file).startsWith('.rustscout-cache')).toBe(true);
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
