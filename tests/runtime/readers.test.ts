import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { amdahlSpeedup, ceilingOf } from '../../src/runtime/amdahl.js';
import { ModulePathIndex, isLibraryPath } from '../../src/runtime/paths.js';
import { parseRawFrame, readPySpyRaw } from '../../src/runtime/pyspy-raw.js';
import { parseProfile, readProfile } from '../../src/runtime/read-profile.js';
import { readSpeedscope } from '../../src/runtime/speedscope.js';
import { ProfileError } from '../../src/runtime/types.js';
import { REPO } from '../helpers.js';

const profilePath = (name: string): string => join(REPO, 'fixtures', 'profiles', name);

describe('py-spy speedscope (--format speedscope)', () => {
  it('reads every thread profile, outermost frame first, with its weights', async () => {
    const p = await readProfile(profilePath('webapp-uploads.speedscope.json'));
    expect(p.format).toBe('py-spy-speedscope');
    expect(p.exporter).toBe('py-spy@0.3.14');
    expect(p.separatesNative).toBe(false);
    expect(p.stacks).toHaveLength(500);
    expect(p.stacks.every((s) => s.weight === 0.01)).toBe(true);
    expect(p.stacks[0].frames[0]).toEqual({ name: '_bootstrap', file: '/usr/lib/python3.11/threading.py', line: 995 });
    const leaves = p.stacks.map((s) => s.frames[s.frames.length - 1]);
    expect(leaves.filter((f) => f.name === 'box_blur' && f.line === 28)).toHaveLength(150);
  });

  it('turns evented profiles into weighted stacks (time between events belongs to the open stack)', () => {
    const doc = {
      $schema: 'https://www.speedscope.app/file-format-schema.json',
      shared: { frames: [{ name: 'main', file: 'app.py', line: 3 }, { name: 'parse', file: 'app.py', line: 9 }] },
      profiles: [{ type: 'evented', name: 't', unit: 'milliseconds', startValue: 0, endValue: 6,
        events: [{ type: 'O', frame: 0, at: 0 }, { type: 'O', frame: 1, at: 2 }, { type: 'C', frame: 1, at: 5 }, { type: 'C', frame: 0, at: 6 }] }],
    };
    const p = readSpeedscope(doc, 'x.json');
    expect(p.stacks.map((s) => [s.frames.map((f) => f.name).join('>'), s.weight])).toEqual([['main', 2], ['main>parse', 3], ['main', 1]]);
  });

  it('rejects frame indices that point nowhere', () => {
    const doc = { shared: { frames: [{ name: 'f', file: 'a.py', line: 1 }] }, profiles: [{ type: 'sampled', samples: [[0, 7]], weights: [1] }] };
    expect(() => parseProfile(JSON.stringify(doc), 'bad.json')).toThrow(/frame index 7 out of range/);
  });
});

describe('py-spy raw collapsed stacks (--format raw)', () => {
  it('reads counts and drops the --threads and --subprocesses pseudo-frames', async () => {
    const p = await readProfile(profilePath('kvstored-load.pyspy.txt'));
    expect(p.format).toBe('py-spy-raw');
    expect(p.stacks.reduce((n, s) => n + s.weight, 0)).toBe(770);
    expect(p.stacks.some((s) => s.frames.some((f) => f.name.startsWith('thread (')))).toBe(false);
    const first = p.stacks[0];
    expect(first.frames[0]).toEqual({ name: '_bootstrap', file: 'threading.py', line: 995 });
    expect(first.frames[first.frames.length - 1]).toEqual({ name: 'decode_frames', file: 'kvstored/protocol.py', line: 25 });
  });

  it('parses frames with odd file names, without line numbers, and bare names', () => {
    expect(parseRawFrame('<module> (/home/u/My Project (copy)/run.py:3)')).toEqual({ name: '<module>', file: '/home/u/My Project (copy)/run.py', line: 3 });
    expect(parseRawFrame('parse (C:\\code\\app\\parse.py:12)')).toEqual({ name: 'parse', file: 'C:\\code\\app\\parse.py', line: 12 });
    expect(parseRawFrame('parse (app/parse.py)')).toEqual({ name: 'parse', file: 'app/parse.py', line: 0 });
    expect(parseRawFrame('process 4242:"python bench.py"')).toBeNull();
    expect(parseRawFrame('thread (0x7F3A2C5FF6C0)')).toBeNull();
    expect(parseRawFrame('<native>')).toEqual({ name: '<native>', file: '', line: 0 });
  });

  it('rejects text that is not collapsed stacks', () => {
    expect(() => readPySpyRaw('hello world\nthis is not a profile\n', 'notes.txt')).toThrow(/does not end in a sample count/);
  });
});

describe('Scalene --json', () => {
  it('keeps Python, native and system time apart, per line, in percent of the run', async () => {
    const p = await readProfile(profilePath('webapp-catalogue.scalene.json'));
    expect(p.format).toBe('scalene');
    expect(p.separatesNative).toBe(true);
    expect(p.elapsedSeconds).toBe(42.7);
    const query = p.lines.find((l) => l.file.endsWith('/shopfront/models.py') && l.line === 23)!;
    expect(query).toMatchObject({ python: 3.9, native: 21.4, system: 9.8, mallocMb: 61, copyMbPerSec: 3.4 });
    expect(p.lines).toHaveLength(10);
  });

  it('recognises each format from its content, not its name', () => {
    const scalene = readFileSync(profilePath('salesstats-nightly.scalene.json'), 'utf8');
    expect(parseProfile(scalene, 'profile.txt').format).toBe('scalene');
    expect(parseProfile(readFileSync(profilePath('webapp-uploads.speedscope.json'), 'utf8'), 'p.txt').format).toBe('py-spy-speedscope');
    expect(() => parseProfile('{"traceEvents": []}', 'chrome.json')).toThrow(ProfileError);
    expect(() => parseProfile('{"files": ', 'cut.json')).toThrow(/invalid JSON/);
  });
});

describe('matching profiled paths to scanned modules', () => {
  const index = new ModulePathIndex(['shop/imaging/filters.py', 'shop/views/utils.py', 'shop/models/utils.py', 'app.py'], '/home/dev/shop-repo');
  it('matches absolute paths from another machine, shortened paths, and paths under the scanned root', () => {
    expect(index.match('/home/alice/src/shop/imaging/filters.py')).toEqual({ module: 'shop/imaging/filters.py' });
    expect(index.match('imaging/filters.py')).toEqual({ module: 'shop/imaging/filters.py' });
    expect(index.match('/home/dev/shop-repo/app.py')).toEqual({ module: 'app.py' });
  });
  it('refuses partial overlaps and reports ties as ambiguous', () => {
    expect(index.match('/srv/other/project/imaging/filters.py')).toBeNull();
    expect(index.match('/srv/billing/views/utils.py')).toBeNull();
    expect(index.match('utils.py')).toEqual({ ambiguous: ['shop/models/utils.py', 'shop/views/utils.py'] });
  });
  it('knows interpreter and installed-package paths', () => {
    expect(isLibraryPath('/usr/lib/python3.11/threading.py')).toBe(true);
    expect(isLibraryPath('/home/dev/.venv/lib/python3.12/site-packages/flask/app.py')).toBe(true);
    expect(isLibraryPath('<frozen importlib._bootstrap>')).toBe(true);
    expect(isLibraryPath('/srv/billing/invoice.py')).toBe(false);
  });
});

describe('Amdahl ceiling', () => {
  it('is 1 / (1 − p·(1 − 1/s)), with s → ∞ as the bound', () => {
    expect(amdahlSpeedup(0.5, Infinity)).toBeCloseTo(2, 10);
    expect(amdahlSpeedup(0.5, 10)).toBeCloseTo(1 / 0.55, 10);
    expect(amdahlSpeedup(0, Infinity)).toBe(1);
    expect(amdahlSpeedup(1, Infinity)).toBe(1000);
    expect(ceilingOf(0.764)).toEqual({ unbounded: 4.24, typical: 3.2 });
  });
});
