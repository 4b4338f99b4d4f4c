import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { markdownSafe } from '../../src/report/escape.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { VERDICT_ORDER } from '../../src/report/verdict-order.js';
import { scan } from '../../src/pipeline.js';
import { fixture } from '../helpers.js';
import type { Report } from '../../src/model.js';
import { cli, edit, tempCopy } from './helpers.js';

const FILTERS = 'shopfront/imaging/filters.py';

afterEach(() => vi.unstubAllEnvs());

function noGithubEnv(): void {
  vi.stubEnv('GITHUB_SERVER_URL', '');
  vi.stubEnv('GITHUB_REPOSITORY', '');
  vi.stubEnv('GITHUB_SHA', '');
}

async function markdown(args: string[]): Promise<{ code: number; md: string }> {
  const r = await cli(['scan', ...args, '--format', 'markdown']);
  return { code: r.code, md: r.stdout };
}

describe('Markdown summary', () => {
  it('gives counts per verdict and a table of top candidates with reasons and line links', async () => {
    noGithubEnv();
    const { md } = await markdown([tempCopy('webapp-with-kernel')]);
    expect(md).toMatch(/^## rustscout: 1 rewrite candidate\n/);
    expect(md).toMatch(/\| keep-python \| 7 \|/);
    expect(md).toMatch(/\| pyo3-extension \| 1 \|/);
    const row = md.split('\n').find((l) => l.includes('filters'))!;
    expect(row).toContain('[shopfront/imaging/filters.py](shopfront/imaging/filters.py#L1-L');
    expect(row).toMatch(/\[box\\_blur\]\(shopfront\/imaging\/filters\.py#L13-L31\) \(\d+\)/);
    expect(row).toMatch(/\[[a-z\\_-]+@\d+\]\(shopfront\/imaging\/filters\.py#L\d+\) \(\+[\d.]+\)/);
  });

  it('links to the exact commit on GitHub when GITHUB_* variables are set, or to --link-base', async () => {
    vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com');
    vi.stubEnv('GITHUB_REPOSITORY', 'acme/shop');
    vi.stubEnv('GITHUB_SHA', 'a'.repeat(40));
    const dir = tempCopy('webapp-with-kernel');
    let { md } = await markdown([dir]);
    expect(md).toContain(`(https://github.com/acme/shop/blob/${'a'.repeat(40)}/shopfront/imaging/filters.py#L13-L31)`);
    ({ md } = await markdown([dir, '--link-base', 'https://git.example.com/shop/-/blob/main/']));
    expect(md).toContain('(https://git.example.com/shop/-/blob/main/shopfront/imaging/filters.py#L1-L');
  });

  it('puts new candidates first with --baseline and states the gate outcome', async () => {
    noGithubEnv();
    const dir = tempCopy('webapp-with-kernel');
    const baseline = join(dir, 'b.json');
    await cli(['scan', dir, '--write-baseline', baseline]);
    writeFileSync(join(dir, 'shopfront/imaging/fast.py'), readFileSync(join(dir, FILTERS), 'utf8').replace(/def (\w+)\(/g, 'def $1_fast('));
    const { code, md } = await markdown([dir, '--baseline', baseline, '--fail-on', 'pyo3-extension']);
    expect(code).toBe(1);
    expect(md).toMatch(/^## rustscout: 1 new or worse rewrite candidate\n/);
    expect(md).toContain('❌ **Check failed**: 1 module matches fail-on pyo3-extension.');
    expect(md).toMatch(/Scope: compared with the baseline: \d+ new, 0 worse, \d+ unchanged findings\./);
    const rows = md.split('\n').filter((l) => l.startsWith('| 🆕') || l.startsWith('| known'));
    expect(rows[0]).toMatch(/^\| 🆕 new \| \[shopfront\/imaging\/fast\.py\]/);
    expect(rows[1]).toMatch(/^\| known \| \[shopfront\/imaging\/filters\.py\]/);
    const green = await markdown([dir, '--fail-on', 'move-to-rust']);
    expect(green.md).toContain('✅ **Check passed**');
  });

  it('lists suppressed candidates with their reasons, escaped', async () => {
    noGithubEnv();
    const dir = tempCopy('webapp-with-kernel');
    edit(dir, FILTERS, (t) => '# rustscout: keep-python -- <img src=x onerror=alert(1)> **not** bold | pipe\n' + t);
    const { md } = await markdown([dir]);
    expect(md).toMatch(/^## rustscout: 0 rewrite candidates\n/);
    expect(md).toContain('<details><summary>1 suppressed candidate</summary>');
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img src=x onerror=alert\\(1\\)&gt; \\*\\*not\\*\\* bold \\| pipe');
  });
});

describe('verdict order', () => {
  it('lists the verdict counts of a polyglot repo in the one shared order: rewrites first, keep-rust last', async () => {
    const report = await scan(fixture('polyglot-monorepo'), { jobs: 1, git: false });
    const md = renderMarkdown(report);
    const rows = md.split('\n').filter((l) => /^\| [a-z0-9-]+ \| \d+ \|$/.test(l)).map((l) => l.split(' | ')[0].slice(2));
    // Every kind of verdict is present in this fixture, so each must sit at its place in the order.
    expect(rows).toEqual([...VERDICT_ORDER]);
    // The terminal lists modules in the same order of verdicts.
    const terminal = renderTerminal(report).split('\n');
    const table = terminal.slice(terminal.findIndex((l) => l.startsWith('MODULE')) + 1);
    const listed = table.slice(0, table.indexOf('')).map((l) => VERDICT_ORDER.find((v) => new RegExp(`\\s${v}\\s`).test(l))).filter(Boolean);
    expect(listed.map((v) => VERDICT_ORDER.indexOf(v!))).toEqual([...listed.map((v) => VERDICT_ORDER.indexOf(v!))].sort((a, b) => a - b));
    expect(new Set(listed).size).toBe(VERDICT_ORDER.length);
  });
});

describe('markdownSafe and link targets', () => {
  it('neutralises HTML, Markdown syntax, table pipes, mentions, newlines and bidi controls', () => {
    expect(markdownSafe('a|b\n<script>*x*</script>[l](u) `c` _e_ @team #12 \u202e.')).toBe('a\\|b &lt;script&gt;\\*x\\*&lt;/script&gt;\\[l\\]\\(u\\) \\`c\\` \\_e\\_ \\@team \\#12  .');
  });

  it('percent-encodes odd file names in link targets so they cannot break out of the link', () => {
    const report = {
      schemaVersion: 1, tool: { name: 'rustscout', version: '0.0.0' }, root: '/r', summary: { 'pyo3-extension': 1 }, components: [], warnings: [],
      modules: [{
        path: 'pkg/evil) [x](javascript:alert(1).py', language: 'python', component: null, verdict: 'pyo3-extension', score: 90, confidence: 0.9, loc: 30, lines: 40,
        reasons: [], functions: [], features: {}, evidence: [], imports: { fanIn: 0, fanOut: 0, importedBy: [] },
      }],
    } as unknown as Report;
    const md = renderMarkdown(report);
    const row = md.split('\n').find((l) => l.includes('evil'))!;
    expect(row).toContain('(pkg/evil%29%20%5Bx%5D%28javascript%3Aalert%281%29.py#L1-L40)');
    expect(row).toContain('[pkg/evil\\) \\[x\\]\\(javascript:alert\\(1\\).py]');
  });
});
