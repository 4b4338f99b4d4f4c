import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { scan, type ScanOptions } from '../../src/pipeline.js';
import { reportsStored, storedReportText } from '../../src/replay.js';
import { renderJson } from '../../src/report/json.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { fixture, tempDirs } from '../helpers.js';

const temp = tempDirs();

/** Sets every file's mtime an hour back, so the cache trusts the stat (git's racy rule) as it would in real use. */
function age(dir: string): void {
  const past = new Date(Date.now() - 3600_000);
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) utimesSync(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name), past, past);
  }
}

/** A copy of the polyglot fixture (Python, Rust, TypeScript components) and an empty cache folder. */
function repo(): { root: string; cache: string } {
  const root = temp('rs-replay-');
  cpSync(fixture('polyglot-monorepo'), root, { recursive: true, filter: (src) => !src.includes('.rustscout-cache') });
  age(root);
  return { root, cache: join(temp('rs-replay-cache-'), 'c') };
}

/** The stored report's file, once the scans so far have finished storing it (they do so in the background). */
const storedFile = async (cache: string): Promise<string> => {
  await reportsStored();
  const files = readdirSync(join(cache, 'v3')).filter((f) => f.endsWith('.report'));
  expect(files).toHaveLength(1);
  return join(cache, 'v3', files[0]);
};

/** Marks the stored report (keeping its key): a scan that returns the mark replayed it. */
async function mark(cache: string): Promise<void> {
  const file = await storedFile(cache);
  const text = readFileSync(file, 'utf8');
  const nl = text.indexOf('\n');
  const report = JSON.parse(text.slice(nl + 1)) as Report;
  report.root = 'REPLAYED';
  writeFileSync(file, storedReportText(text.slice(0, nl), report));
}

const opts = (cache: string, more: ScanOptions = {}): ScanOptions => ({ cache: { dir: cache }, jobs: 1, git: false, ...more });
const formats = (r: Report): string[] => [renderJson(r), renderSarif(r), renderMarkdown(r), renderTerminal(r)];

describe('unchanged-scan replay', () => {
  it('replays a report identical, in every format, to a normal warm scan', async () => {
    const { root, cache } = repo();
    const cold = await scan(root, opts(cache));
    expect(cold.components.length).toBeGreaterThan(2);
    unlinkSync(await storedFile(cache));
    const warm = await scan(root, opts(cache)); // every file from the per-file cache; stores the report again
    const stored = await storedFile(cache);
    const storedAt = statSync(stored).mtimeMs;
    const replayed = await scan(root, opts(cache));
    expect(statSync(stored).mtimeMs).toBe(storedAt); // read, not rewritten
    expect(formats(replayed)).toEqual(formats(warm));
    expect(formats(replayed)).toEqual(formats(cold));
    expect(formats(replayed)).toEqual(formats(await scan(root, { jobs: 1, git: false })));
    await mark(cache);
    expect((await scan(root, opts(cache))).root).toBe('REPLAYED'); // the check above did use the stored report
  });

  const defeats: [string, (root: string) => void, ScanOptions?][] = [
    ['a changed file', (root) => writeFileSync(join(root, 'python/geostats/distance.py'), `${readFileSync(join(root, 'python/geostats/distance.py'), 'utf8')}\n\ndef extra(x):\n    return x + 1\n`)],
    ['an added file', (root) => writeFileSync(join(root, 'python/geostats/added.py'), 'def f(xs):\n    t = 0\n    for x in xs:\n        t += x * x\n    return t\n')],
    ['a deleted file', (root) => unlinkSync(join(root, 'python/geostats/distance.py'))],
    ['a changed manifest', (root) => writeFileSync(join(root, 'python/pyproject.toml'), `${readFileSync(join(root, 'python/pyproject.toml'), 'utf8')}\n# touched\n`)],
    ['changed options (exclude)', () => undefined, { exclude: ['web/**'] }],
    ['changed options (weights)', () => undefined, { weights: { 'coupling': 5 } }],
  ];
  for (const [what, change, more] of defeats) {
    it(`does not replay after ${what}`, async () => {
      const { root, cache } = repo();
      await scan(root, opts(cache));
      await mark(cache);
      expect((await scan(root, opts(cache))).root).toBe('REPLAYED');
      change(root);
      // a just-written source file's stat is not trusted (racy) and would defeat the replay by itself: set it back
      const touched = what === 'a changed file' ? ['python/geostats/distance.py'] : what === 'an added file' ? ['python/geostats/added.py'] : [];
      for (const f of touched) {
        const past = new Date(Date.now() - 3600_000);
        try {
          utimesSync(join(root, f), past, past);
        } catch {
          /* deleted or never added */
        }
      }
      if (more) {
        const other = await scan(root, opts(cache, more));
        expect(other.root).not.toBe('REPLAYED');
        expect(formats(other)).toEqual(formats(await scan(root, { jobs: 1, git: false, ...more })));
        return;
      }
      const after = await scan(root, opts(cache));
      expect(after.root).not.toBe('REPLAYED');
      expect(formats(after)).toEqual(formats(await scan(root, { jobs: 1, git: false })));
      // rebuilt: the next unchanged scan replays the new report
      await mark(cache);
      expect((await scan(root, opts(cache))).root).toBe('REPLAYED');
    });
  }

  it('never replays with --no-cache, runtime profiles or excerpts', async () => {
    const { root, cache } = repo();
    await scan(root, opts(cache));
    await mark(cache);
    expect((await scan(root, { jobs: 1, git: false })).root).not.toBe('REPLAYED');
    expect((await scan(root, opts(cache, { excerpts: true }))).root).not.toBe('REPLAYED');
  });

  it('ignores a corrupt stored report with a cache warning and rebuilds it', async () => {
    const { root, cache } = repo();
    const first = await scan(root, opts(cache));
    const file = await storedFile(cache);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.length >> 1)); // right key, truncated report
    const second = await scan(root, opts(cache));
    expect(second.warnings.filter((w) => w.code === 'cache')).toHaveLength(1);
    expect(second.warnings.slice(0, -1)).toEqual(first.warnings);
    expect(formats({ ...second, warnings: first.warnings })).toEqual(formats(first));
    const third = await scan(root, opts(cache));
    expect(formats(third)).toEqual(formats(first));
    // stored text that is not ASCII was not written by us: corrupt too
    writeFileSync(file, `${text.slice(0, text.indexOf('\n'))}\n{"schemaVersion":1,"root":"\u00e9"}`);
    expect((await scan(root, opts(cache))).warnings.filter((w) => w.code === 'cache')).toHaveLength(1);
    await mark(cache);
    expect((await scan(root, opts(cache))).root).toBe('REPLAYED');
  });
});
