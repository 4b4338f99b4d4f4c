import { mkdirSync, unlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseFile, analyseFiles } from '../../src/analyse-file.js';
import { discover } from '../../src/discover.js';
import { tempRepo } from './helpers.js';

const LIMITS = { maxBytes: 5 * 1024 * 1024, maxParseMs: 10_000 };

describe('analyseFile: one path in, a FileResult out, never a throw', () => {
  it('turns a file deleted between discovery and parsing into a warning', async () => {
    const root = tempRepo({ 'a.py': 'x = 1\n', 'b.py': 'def f(n):\n    return n\n' });
    const found = discover(root);
    unlinkSync(join(root, 'b.py'));
    const results = await analyseFiles(root, found.files, LIMITS);
    expect(results.map((r) => r.path)).toEqual(['a.py', 'b.py']);
    expect(results[0].python?.loc).toBe(1);
    expect(results[1].python).toBeUndefined();
    expect(results[1].warnings).toEqual([{ path: 'b.py', code: 'unreadable', message: expect.stringMatching(/vanished/) }]);
  });

  it('turns a file replaced by a directory into a warning (the root user can read anything, so this stands in for EACCES)', async () => {
    const root = tempRepo({ 'ok.py': 'x = 1\n' });
    mkdirSync(join(root, 'mod.py'));
    const r = await analyseFile(root, 'mod.py', 'python', LIMITS);
    expect(r).toEqual({ path: 'mod.py', warnings: [{ path: 'mod.py', code: 'not-a-file', message: expect.stringMatching(/directory/) }] });
  });

  it('reports a path that never existed and one that climbs out of the root', async () => {
    const root = tempRepo({ 'ok.py': 'x = 1\n' });
    expect((await analyseFile(root, 'nope.py', 'python', LIMITS)).warnings[0].code).toBe('unreadable');
    const outside = tempRepo({ 'secret.py': 'TOKEN = 1\n' });
    const escaped = await analyseFile(root, relative(root, join(outside, 'secret.py')), 'python', LIMITS);
    expect(escaped.python).toBeUndefined();
    expect(escaped.warnings).toEqual([expect.objectContaining({ code: 'outside-root' })]);
  });

  it('says plainly that a language is not analysed instead of dropping the file', async () => {
    const root = tempRepo({ 'cmd/main.go': 'package main\n' });
    const r = await analyseFile(root, 'cmd/main.go', 'go', LIMITS);
    expect(r.python).toBeUndefined();
    expect(r.warnings).toEqual([{ path: 'cmd/main.go', code: 'unsupported-language', message: 'go analysis is not enabled yet; not analysed' }]);
  });

  it('gives up a parse that exceeds --max-parse-ms and stays usable for the next file', async () => {
    const big = 'def f(a):\n    return [x * 2 + (y - 1) for x in a for y in a if x % 3]\n'.repeat(20_000);
    const root = tempRepo({ 'big.py': big, 'small.py': 'def g(x):\n    return x + 1\n' });
    const slow = await analyseFile(root, 'big.py', 'python', { ...LIMITS, maxParseMs: 1 });
    expect(slow.python).toBeUndefined();
    expect(slow.warnings).toEqual([{ path: 'big.py', code: 'parse-timeout', message: expect.stringMatching(/longer than the 1 ms limit.*--max-parse-ms/) }]);
    const next = await analyseFile(root, 'small.py', 'python', LIMITS);
    expect(next.warnings).toEqual([]);
    expect(next.python?.functions.map((f) => f.name)).toEqual(['<module>', 'g']);
  });


  it('applies --max-parse-ms to Rust and TypeScript files too, with the same warning', async () => {
    const rust = 'pub fn f(a: &[u64]) -> u64 { let mut s = 0; for x in a { s += x * 3 + (x >> 2); } s }\n'.repeat(20_000);
    const ts = 'export function f(a: number[]): number { let s = 0; for (const x of a) s += x * 3; return s; }\n'.repeat(20_000);
    const root = tempRepo({ 'src/lib.rs': rust, 'web/big.ts': ts, 'web/small.ts': 'export const g = (x: number): number => x + 1;\n' });
    for (const [path, language] of [['src/lib.rs', 'rust'], ['web/big.ts', 'typescript']] as const) {
      const slow = await analyseFile(root, path, language, { ...LIMITS, maxParseMs: 1 });
      expect(slow.rust ?? slow.script).toBeUndefined();
      expect(slow.warnings).toEqual([{ path, code: 'parse-timeout', message: expect.stringMatching(/longer than the 1 ms limit.*--max-parse-ms/) }]);
    }
    const next = await analyseFile(root, 'web/small.ts', 'typescript', LIMITS);
    expect(next.warnings).toEqual([]);
    expect(next.script?.language).toBe('typescript');
  });
  it('profiles Python 2 code and says it is Python 2, but not for Python 3 code tree-sitter reads as a print statement', async () => {
    const root = tempRepo({
      'old.py': 'import sys\n\ndef main(argv):\n    try:\n        print "hello", argv\n    except ValueError, e:\n        print >>sys.stderr, e\n',
      'printonly.py': 'def main():\n    print "hello"\n',
    });
    const r = await analyseFile(root, 'old.py', 'python', LIMITS);
    expect(r.python?.functions.map((f) => f.name)).toContain('main');
    expect(r.warnings).toEqual([{ path: 'old.py', code: 'syntax-error', message: expect.stringMatching(/Python 2 print\/exec statement at line 5/) }]);
    const p = await analyseFile(root, 'printonly.py', 'python', LIMITS);
    expect(p.python).toBeDefined();
    expect(p.warnings).toEqual([{ path: 'printonly.py', code: 'syntax-error', message: expect.stringMatching(/Python 2 .* at line 2/) }]);
    const chevron = await analyseFile(tempRepo({ 'py3.py': 'import sys\nprint >> sys.stderr, "message"\n' }), 'py3.py', 'python', LIMITS);
    expect(chevron.warnings).toEqual([]);
  });

  it('flags indentation that Python 3 rejects with TabError, but not consistent tabs', async () => {
    const root = tempRepo({
      'mixed.py': 'def f(x):\n\tif x:\n\t\treturn 1\n        return 2\n',
      'tabs.py': 'def f(x):\n\tif x:\n\t\treturn 1\n\treturn 2\n\n\ndef g():\n    return 3\n',
      'inparens.py': 'def f():\n    return g(1,\n\t\t2)\n',
    });
    expect((await analyseFile(root, 'mixed.py', 'python', LIMITS)).warnings).toEqual([{ path: 'mixed.py', code: 'indentation', message: expect.stringMatching(/line 4.*TabError/) }]);
    expect((await analyseFile(root, 'tabs.py', 'python', LIMITS)).warnings).toEqual([]);
    expect((await analyseFile(root, 'inparens.py', 'python', LIMITS)).warnings).toEqual([]);
  });
});
