import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markdownSafe, terminalSafe } from '../../src/report/escape.js';
import { fixture } from '../helpers.js';
import { cli, tempRepo } from './helpers.js';

describe('escape helpers', () => {
  it('terminalSafe: no escape sequences, bells, line breaks or bidi overrides survive', () => {
    expect(terminalSafe('a\x1b[2J\x07b\r\nc\u202ed\u2066e\u009bf\tg')).toBe('a?[2J?b??c?d?e?f g');
    expect(terminalSafe('plain ñandú 模块.py')).toBe('plain ñandú 模块.py');
  });

  it('markdownSafe: no HTML, links, emphasis, table breaks, mentions or issue links', () => {
    const out = markdownSafe('<img src=x onerror=alert(1)>|[x](http://evil) *b* @team #12 `c`\n# h');
    expect(out).not.toMatch(/<|>/);
    expect(out).not.toMatch(/(^|[^\\])[|[\]()*@#`]/);
    expect(out).not.toContain('\n');
    expect(out).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(markdownSafe('a & b "q"')).toBe('a &amp; b &quot;q&quot;');
    // Controls and bidi marks become spaces (one line, nothing reordered).
    expect(markdownSafe('x\ny\u202ez\x1bw')).toBe('x y z w');
  });
});

/** The canonical PyO3 candidate, so the hostile names show up among Markdown's top candidates too. */
const KERNEL = readFileSync(fixture('webapp-with-kernel/shopfront/imaging/filters.py'), 'utf8');

describe('hostile file names in every output format', () => {
  const names = {
    // A directory named `<` makes the path start a closing tag: `pkg/</script><img …>.py`.
    html: 'pkg/</script><img src=x onerror=alert(1)>.py',
    escape: 'pkg/\x1b]8;;https:\\\\evil\x07click\x1b]8;;\x07\x1b[2J.py',
    markdown: 'pkg/x](javascript:alert(1)) | @team #1 `tick`.py',
    bidi: 'pkg/admin\u202eyp.txt\u202c.py',
    newline: 'pkg/two\nlines.py',
  };
  const root = tempRepo({ 'pkg/__init__.py': '', ...Object.fromEntries(Object.values(names).map((n) => [n, KERNEL])), 'pkg/broken\x1b[31m.py': Buffer.from([0, 1, 2, 0]) });
  const raw = /[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]/;

  it('terminal: no control characters or bidi overrides reach the log', async () => {
    const run = await cli(['scan', root]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(raw);
    expect(run.stdout).toContain('pkg/broken?[31m.py: binary file');
  });

  it('JSON and SARIF: valid documents whose strings round-trip the exact names', async () => {
    const json = await cli(['scan', root, '--format', 'json']);
    expect(json.stdout).not.toMatch(raw);
    const report = JSON.parse(json.stdout) as { modules: { path: string }[]; warnings: { path: string }[] };
    expect(report.modules.map((m) => m.path)).toEqual(expect.arrayContaining(Object.values(names)));
    expect(report.warnings.map((w) => w.path)).toContain('pkg/broken\x1b[31m.py');
    const sarif = await cli(['scan', root, '--format', 'sarif']);
    expect(sarif.stdout).not.toMatch(raw);
    expect(() => JSON.parse(sarif.stdout)).not.toThrow();
  });

  it('SARIF: a suppression reason with bidi overrides is written as \\u escapes and round-trips', async () => {
    const dir = tempRepo({ 'pkg/__init__.py': '', 'pkg/k.py': '# rustscout: keep-python -- fine\u202e gnirts\n' + KERNEL });
    const sarif = await cli(['scan', dir, '--format', 'sarif']);
    expect(sarif.stdout).not.toMatch(raw);
    const suppressed = JSON.parse(sarif.stdout).runs[0].results.find((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed.suppressions[0].justification).toBe('fine\u202e gnirts');
  });

  it('Markdown: no raw HTML, no injected links, no broken table rows', async () => {
    const run = await cli(['scan', root, '--format', 'markdown']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(raw);
    expect(run.stdout).not.toContain('<img');
    expect(run.stdout).not.toContain('](javascript:');
    expect(run.stdout).toContain('box\\_blur');
    const cells = (row: string): number => row.replace(/\\\|/g, '').split('|').length;
    let header: string | null = null;
    for (const line of run.stdout.split('\n')) {
      if (!line.startsWith('|')) header = null;
      else if (header === null) header = line;
      else expect(cells(line), line).toBe(cells(header));
    }
  });

  it('HTML: names are text, never markup, and cannot close the data <script>', async () => {
    const run = await cli(['scan', root, '--format', 'html']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('<img src=x');
    expect(run.stdout.match(/<\/script>/g)?.length).toBe(run.stdout.match(/<script[\s>]/g)?.length);
    expect(run.stdout).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    expect(run.stdout).toMatch(/&lt;\/script&gt;&lt;img src=x onerror=alert\(1\)&gt;|\\u003c\/script\\u003e\\u003cimg src=x onerror=alert\(1\)\\u003e/);
  });
});
