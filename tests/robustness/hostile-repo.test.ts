/**
 * One repository nobody cleaned up, scanned end to end through the CLI: every bad file is a
 * warning that names it and says why, everything that parsed has a profile, and the exit code is 0.
 */
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/discover.js';
import type { Report } from '../../src/model.js';
import { cli, moduleFor, scanJson, tempRepo, warningsFor } from './helpers.js';
import { expectValidReport } from './report-invariants.js';

/** Deterministic pseudo-random bytes (a binary file that happens to be named .py). */
function noise(n: number, seed = 7): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const KERNEL = 'def checksum(data):\n    total = 0\n    for i in range(len(data)):\n        total = (total * 31 + data[i]) & 0xFFFFFFFF\n    return total\n';
const WEIRD_NAMES = ['with space.py', `quo'te".py`, 'new\nline.py', 'esc\x1b[31mred\x07.py', 'ñandú.py', '模块.py', 'rtl\u202egnp.py'];

function hostileRepo(): string {
  const deepIndent = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}if x:\n`).join('') + `${' '.repeat(1000)}pass\n`;
  const deepExpr = `value = ${'['.repeat(1000)}${']'.repeat(1000)}\ncall = ${'f('.repeat(1000)}1${')'.repeat(1000)}\n`;
  const root = tempRepo({
    'pkg/__init__.py': '',
    'pkg/kernel.py': KERNEL,
    'binary.py': Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), noise(4096)]),
    'invalid_utf8.py': Buffer.from('name = "\xff\xfe\xfd"\n', 'latin1'),
    'latin1_declared.py': Buffer.from('# -*- coding: latin-1 -*-\nname = "caf\xe9"\n', 'latin1'),
    'latin1_undeclared.py': Buffer.from('name = "caf\xe9"\n', 'latin1'),
    'bom.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(KERNEL)]),
    'crlf.py': KERNEL.replace(/\n/g, '\r\n'),
    'cr.py': KERNEL.replace(/\n/g, '\r'),
    'tabs_mixed.py': 'def f(x):\n\tif x:\n\t\treturn 1\n        return 2\n',
    'py2.py': 'import sys\n\ndef main():\n    print "usage: %s" % sys.argv[0]\n    try:\n        pass\n    except ValueError, e:\n        print e\n',
    'syntax_error.py': 'def ok():\n    return 1\n\ndef broken(:\n    return\n',
    'empty.py': '',
    'deep_indent.py': deepIndent,
    'deep_expr.py': deepExpr,
    'long_line.py': `blob = "${'a'.repeat(1024 * 1024)}"\n\n${KERNEL}`,
    'huge.py': Buffer.alloc(50 * 1024 * 1024, 'x = 1\n'),
    'web/app.ts': 'export function add(a: number, b: number): number { return a + b; }\n',
    ...Object.fromEntries(WEIRD_NAMES.map((n) => [`names/${n}`, KERNEL])),
  });
  execFileSync('mkfifo', [join(root, 'fifo.py')]);
  symlinkSync('/etc/hostname', join(root, 'escape.py'));
  writeFileSync(join(root, 'requirements.txt'), 'requests>=2\n');
  return root;
}

describe('a hostile repository, end to end', () => {
  let root: string;
  let report: Report;
  let code: number;
  beforeAll(async () => {
    root = hostileRepo();
    ({ code, report } = await scanJson(root));
  });

  it('exits 0 and produces a valid report', () => {
    expect(code).toBe(0);
    expectValidReport(report);
  });

  it('skips files that cannot be Python with a warning naming the file and the reason', () => {
    expect(warningsFor(report, 'binary.py')).toEqual([expect.stringMatching(/^binary file/)]);
    expect(warningsFor(report, 'huge.py')).toEqual([expect.stringMatching(/larger than the 5 MB per-file limit \(50\.0 MB\).*--max-file-size/)]);
    expect(warningsFor(report, 'fifo.py')).toEqual(['a FIFO, not a regular file; skipped']);
    expect(warningsFor(report, 'escape.py')).toEqual([expect.stringMatching(/outside the scanned root/)]);
    for (const path of ['binary.py', 'huge.py', 'fifo.py', 'escape.py']) expect(moduleFor(report, path), path).toBeUndefined();
  });

  it('profiles what parsed and warns about what CPython would reject', () => {
    const profiledWithWarning: Record<string, RegExp> = {
      'invalid_utf8.py': /invalid UTF-8/,
      'latin1_undeclared.py': /invalid UTF-8 and no coding declaration/,
      'tabs_mixed.py': /TabError/,
      'py2.py': /Python 2/,
      'syntax_error.py': /syntax error at line 4/,
      'deep_indent.py': /syntax error/,
    };
    for (const [path, reason] of Object.entries(profiledWithWarning)) {
      expect(moduleFor(report, path), path).toBeDefined();
      expect(warningsFor(report, path), path).toEqual([expect.stringMatching(reason)]);
    }
    expect(moduleFor(report, 'syntax_error.py')!.loc).toBe(4);
  });

  it('reads valid-but-unusual files silently and gets their lines right', () => {
    for (const path of ['latin1_declared.py', 'bom.py', 'crlf.py', 'cr.py', 'empty.py', 'deep_expr.py', 'long_line.py']) {
      expect(moduleFor(report, path), path).toBeDefined();
      expect(warningsFor(report, path), path).toEqual([]);
    }
    expect(moduleFor(report, 'empty.py')!.loc).toBe(0);
    const reference = moduleFor(report, 'pkg/kernel.py')!;
    for (const path of ['bom.py', 'crlf.py', 'cr.py']) {
      const m = moduleFor(report, path)!;
      expect(m.loc, path).toBe(5);
      expect(m.verdict, path).toBe(reference.verdict);
      expect(m.reasons.map((r) => r.line), path).toEqual(reference.reasons.map((r) => r.line));
    }
    const long = moduleFor(report, 'long_line.py')!;
    expect(long.functions.find((f) => f.name === 'checksum')?.line).toBe(3);
  });

  it('keeps every odd file name exactly, as a module', () => {
    for (const name of WEIRD_NAMES) expect(moduleFor(report, `names/${name}`), JSON.stringify(name)).toBeDefined();
  });

  it('accounts for every discovered source file: a module or a warning, never silently lost', () => {
    const found = discover(root);
    const modules = new Set(report.modules.map((m) => m.path));
    const warned = new Set(report.warnings.map((w) => w.path));
    const lost = found.files.filter((f) => !modules.has(f.path) && !warned.has(f.path));
    expect(lost).toEqual([]);
    const onlyWarned = found.files.filter((f) => !modules.has(f.path));
    expect(modules.size + onlyWarned.length).toBe(found.files.length);
    // Files that never became discoverable sources (FIFO, outside symlink) are warnings too.
    expect([...warned]).toEqual(expect.arrayContaining(['fifo.py', 'escape.py']));
  });

  it('names every warned file, escaped, in the terminal output', async () => {
    const run = await cli(['scan', root]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
    for (const path of ['binary.py', 'huge.py', 'fifo.py', 'escape.py', 'tabs_mixed.py', 'py2.py']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${path.replace('.', '\\.')}: `, 'm'));
    }
    expect(run.stdout).toContain('names/esc?[31mred?.py');
    expect(run.stdout).toContain('names/new?line.py');
  });

  it('names every warned file in the SARIF output, with its code as the notification id', async () => {
    const run = await cli(['scan', root, '--format', 'sarif']);
    expect(run.code).toBe(0);
    const notes = JSON.parse(run.stdout).runs[0].invocations[0].toolExecutionNotifications as { message: { text: string }; descriptor?: { id: string }; locations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    const uris = notes.map((n) => n.locations?.[0].physicalLocation.artifactLocation.uri ?? '');
    for (const path of ['binary.py', 'huge.py', 'fifo.py', 'escape.py']) expect(uris.some((u) => u.endsWith(path)), path).toBe(true);
    expect(notes.map((n) => n.descriptor?.id)).toEqual(expect.arrayContaining(['binary', 'too-large', 'not-a-file', 'outside-root']));
  });

  it('lists every warning in the HTML report and counts them in the Markdown summary', async () => {
    const html = await cli(['scan', root, '--format', 'html']);
    expect(html.code).toBe(0);
    for (const path of ['binary.py', 'huge.py', 'fifo.py', 'escape.py', 'tabs_mixed.py']) expect(html.stdout, path).toContain(`"path":"${path}"`);
    const md = await cli(['scan', root, '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`${report.warnings.length} file warnings`);
  });

  it('honours a raised --max-file-size and reports a --max-parse-ms timeout instead', async () => {
    const big = tempRepo({ 'gen.py': 'x = [1, 2, 3]\n'.repeat(200_000), 'small.py': KERNEL });
    const { code: c, report: r } = await scanJson(big, ['--max-file-size', '10', '--max-parse-ms', '1']);
    expect(c).toBe(0);
    expect(warningsFor(r, 'gen.py')).toEqual([expect.stringMatching(/parsing took longer than the 1 ms limit/)]);
    const { report: tight } = await scanJson(big, ['--max-file-size', '0.5']);
    expect(warningsFor(tight, 'gen.py')).toEqual([expect.stringMatching(/0\.5 MB per-file limit \(2\.7 MB\)/)]);
  });

  it('rejects a nonsensical limit as bad usage (exit 2)', async () => {
    for (const bad of [['--max-file-size', '0'], ['--max-file-size', 'lots'], ['--max-parse-ms', '-5']]) {
      expect((await cli(['scan', root, ...bad])).code, bad.join(' ')).toBe(2);
    }
  });
});
