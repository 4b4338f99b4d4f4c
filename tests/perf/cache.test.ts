import { reportsStored } from '../../src/replay.js';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDirFor, configHash } from '../../src/cache.js';
import type { Report } from '../../src/model.js';
import { scan, type ScanOptions } from '../../src/pipeline.js';
import { KERNEL, syntheticRepo } from './synthetic-repo.js';
import { tempDirs } from '../helpers.js';

const temp = tempDirs();

/** The pack files of a cache folder. */
function packs(dir: string): string[] {
  const folder = join(dir, 'v3');
  if (!existsSync(folder)) return [];
  return readdirSync(folder).filter((f) => f.endsWith('.pack')).map((f) => join(folder, f)).sort();
}

/**
 * Deletes the unchanged-scan replay's stored reports (src/replay.ts), once the scans so far have
 * written them (in the background), so the next scan reads the pack's results.
 */
async function dropStoredReports(dir: string): Promise<void> {
  await reportsStored();
  const folder = join(dir, 'v3');
  if (!existsSync(folder)) return;
  for (const f of readdirSync(folder)) if (f.endsWith('.report')) rmSync(join(folder, f));
}

interface PackLine {
  key: [string, string, string, number, number, number, number, number];
  result: string;
}

/** The header, entries and index line (absent: null) of the one pack in a cache folder. */
function readPack(dir: string): { file: string; header: Record<string, unknown>; lines: PackLine[]; index: string | null } {
  const [file, ...more] = packs(dir);
  expect(more).toEqual([]);
  const [head, ...rest] = readFileSync(file, 'utf8').split('\n');
  expect(rest.pop()).toBe('');
  const index = rest[rest.length - 1]?.startsWith('\t') ? rest.pop()! : null;
  const lines = rest.map((l) => {
    const tab = l.indexOf('\t');
    return { key: JSON.parse(l.slice(0, tab)), result: l.slice(tab + 1) } as PackLine;
  });
  return { file, header: JSON.parse(head), lines, index };
}

/** A pack without an index line (so it is read by scanning its lines), unless `index` is given. */
function writePack(file: string, header: Record<string, unknown>, lines: (PackLine | string)[], index?: string): void {
  writeFileSync(file, [JSON.stringify(header), ...lines.map((l) => (typeof l === 'string' ? l : `${JSON.stringify(l.key)}\t${l.result}`)), ...(index === undefined ? [] : [index]), ''].join('\n'));
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
    temp.adopt(root);
    ageTree(root);
    uncached = await scan(root, { ...base, cache: false });
  });

  it('a cold and a warm scan both equal the scan without a cache; the warm one reads every file from one pack and rewrites nothing', async () => {
    const cacheDir = join(temp('rustscout-cache-'), 'c');
    const cold = await scan(root, { ...base, cache: { dir: cacheDir } });
    const pack = readPack(cacheDir);
    expect(pack.header).toMatchObject({ tool: 'rustscout', format: 3, root });
    expect(pack.index).not.toBeNull();
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
    await dropStoredReports(cacheDir); // else nothing changed and the stored report is replayed without reading any result
    const fromCache = await scan(root, { ...base, cache: { dir: cacheDir } });
    expect(fromCache.modules.find((m) => m.path === 'alpha/kernel.py')!.loc).toBe(4242);
  });

  it('entries are found whatever their order in the pack (lookups walking backwards or skipping through it, not only forwards)', async () => {
    const dir = join(temp('rustscout-cache-'), 'c');
    await scan(root, { ...base, cache: { dir } });
    const pack = readPack(dir);
    // reversed, then every other entry moved to the end: no lookup follows the previous one in the file
    const reversed = [...pack.lines].reverse();
    writePack(pack.file, pack.header, [...reversed.filter((_, i) => i % 2), ...reversed.filter((_, i) => !(i % 2))]);
    const written = statSync(pack.file);
    const r = await scan(root, { ...base, cache: { dir } });
    expect(r.warnings.filter((w) => w.code === 'cache')).toEqual([]);
    expect(r).toEqual(uncached);
    expect(statSync(pack.file).mtimeMs).toBe(written.mtimeMs); // every entry was a hit: nothing rewritten
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

  it('the pack’s index line is read instead of every line; an index that does not check out is ignored (the lines are scanned) and rebuilt, and an index entry pointing at another file’s result is rejected', async () => {
    const dir = join(temp('rustscout-cache-'), 'c');
    await scan(root, { ...base, cache: { dir } });
    const pack = readPack(dir);
    const index = pack.index!;
    const tail = index.slice(index.lastIndexOf('\t'));
    expect(tail).toMatch(/^\t[0-9]{16}$/);
    const entries = JSON.parse(index.slice(1, index.length - tail.length)) as [string, number, number][];
    expect(entries.map((e) => JSON.parse(e[0])[0])).toEqual(pack.lines.map((l) => l.key[0]));
    const bytes = readFileSync(pack.file);
    for (const [, offset, length] of entries) expect(JSON.parse(bytes.toString('utf8', offset, offset + length)).path).toBeTypeOf('string');
    expect(Number(tail.slice(1))).toBe(bytes.length - Buffer.byteLength(index) - 1);

    // Read through the index: a line whose key is garbage goes unnoticed, since only the index's keys are read.
    const [first] = pack.lines;
    const garbledKey = JSON.stringify(first.key).replace(/[^\t]/g, (c) => (c === '"' ? "'" : c));
    const indexed = readFileSync(pack.file, 'utf8').replace(JSON.stringify(first.key), garbledKey);
    writeFileSync(pack.file, indexed);
    const viaIndex = await scan(root, { ...base, cache: { dir } });
    expect(viaIndex.warnings.filter((w) => w.code === 'cache')).toEqual([]);
    expect(viaIndex).toEqual(uncached);
    expect(readFileSync(pack.file, 'utf8')).toBe(indexed); // nothing changed: the pack was not rewritten
    writeFileSync(pack.file, bytes);

    // Broken indexes: bad JSON, a tail pointing elsewhere, entries out of order. Each time the lines are
    // scanned (the index line is the one corrupt entry), the results are unchanged, and a good index is written.
    // An offset off by one still looks like an index: that entry's bytes do not parse, so it alone is rebuilt.
    const good = readPack(dir);
    const goodIndex = good.index!;
    const goodTail = goodIndex.slice(goodIndex.lastIndexOf('\t'));
    const goodEntries = JSON.parse(goodIndex.slice(1, goodIndex.length - goodTail.length)) as [string, number, number][];
    const shifted = goodEntries.map((e, i) => (i === 3 ? [e[0], e[1] + 1, e[2]] : e));
    const reordered = [goodEntries[1], goodEntries[0], ...goodEntries.slice(2)];
    const scanned = /^1 corrupt cache entry ignored and rebuilt/;
    for (const [broken, warning] of [
      [`\t[[${goodTail}`, scanned],
      [`\t${JSON.stringify(goodEntries)}\t${'0'.repeat(15)}7`, scanned],
      [`\t${JSON.stringify(reordered)}${goodTail}`, scanned],
      [`\t${JSON.stringify(shifted)}${goodTail}`, /corrupt or does not match; ignored and rebuilt/],
    ] as const) {
      writePack(good.file, good.header, good.lines, broken);
      await dropStoredReports(dir); // the keys are intact: the replay would not read the results
      const r = await scan(root, { ...base, cache: { dir } });
      expect(r.warnings.filter((w) => w.code === 'cache').map((w) => w.message)).toEqual([expect.stringMatching(warning)]);
      expect(withoutCacheWarnings(r)).toEqual(uncached);
      const rebuilt = readPack(dir);
      expect(rebuilt.index).not.toBeNull();
      expect(rebuilt.lines.map((l) => l.key[0]).sort()).toEqual(good.lines.map((l) => l.key[0]).sort());
      const again = await scan(root, { ...base, cache: { dir } });
      expect(again.warnings.filter((w) => w.code === 'cache')).toEqual([]);
    }

    // An index whose keys are swapped between two entries sends each lookup to the other file's result:
    // both are rejected (every result names its path), re-analysed, and the pack is rebuilt.
    const swapped = goodEntries.map((e, i) => (i === 0 ? [goodEntries[1][0], e[1], e[2]] : i === 1 ? [goodEntries[0][0], e[1], e[2]] : e));
    writePack(good.file, good.header, good.lines, `\t${JSON.stringify(swapped)}${goodTail}`);
    await dropStoredReports(dir);
    const r = await scan(root, { ...base, cache: { dir } });
    const warned = r.warnings.filter((w) => w.code === 'cache');
    expect(warned.map((w) => w.message)).toEqual([expect.stringMatching(/corrupt or does not match/), expect.stringMatching(/corrupt or does not match/)]);
    expect(warned.map((w) => w.path).sort()).toEqual([JSON.parse(goodEntries[0][0])[0], JSON.parse(goodEntries[1][0])[0]].sort());
    expect(withoutCacheWarnings(r)).toEqual(uncached);
    expect(readPack(dir).lines.length).toBe(good.lines.length);
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
    expect(JSON.parse(readFileSync(join(formatOne, 'rustscout-cache.json'), 'utf8'))).toEqual({ tool: 'rustscout', format: 3 });
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
    temp.adopt(repo);
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
