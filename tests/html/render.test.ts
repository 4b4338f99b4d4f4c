import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import type { Report } from '../../src/model.js';
import { scan } from '../../src/pipeline.js';
import { embedJson, renderHtml } from '../../src/report/html.js';
import { portCost } from '../../src/report/html/view-model.js';
import { fixture, tempDir } from '../helpers.js';
import { hostileRepo } from './synthetic.js';

interface EmbeddedModule {
  path: string;
  detail: { excerpts?: { line: number; text: string }[] };
}

function embedded(html: string): { modules: EmbeddedModule[] } {
  const m = /<script type="application\/json" id="rustscout-data">([\s\S]*?)<\/script>/.exec(html);
  const data = JSON.parse(m![1]) as { modules: (Omit<EmbeddedModule, 'detail'> & { detail: string })[] };
  return { modules: data.modules.map((x) => ({ ...x, detail: JSON.parse(x.detail) })) };
}

describe('HTML report: one self-contained, escaped file', () => {
  let report: Report;
  let html: string;
  beforeAll(async () => {
    report = await scan(hostileRepo(), { excerpts: true });
    html = renderHtml(report);
  });

  it('keeps hostile names and code inside the JSON data, never as markup', () => {
    expect(report.modules.map((m) => m.path)).toEqual(expect.arrayContaining(['<img src=x onerror=alert(1)>/k"e\'r&n<e>l\u2028.py', '<img src=x onerror=alert(1)>/new\nline.py']));
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<!--');
    expect(html).not.toContain('\u2028');
    const data = embedded(html);
    expect(data.modules.map((m) => m.path)).toEqual(report.modules.map((m) => m.path));
    const kernel = data.modules.find((m) => m.path.includes('k"e'))!;
    expect(kernel.detail.excerpts?.some((e) => e.text.includes('</script><script>alert(2)</script>'))).toBe(true);
  });

  it('fetches nothing: no URLs, and a CSP that only allows its own script and style by hash', () => {
    const markup = html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, '');
    expect(markup).not.toMatch(/\s(src|href)\s*=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    expect(csp).toContain("default-src 'none'");
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1];
    const digest = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(csp).toContain(`script-src 'sha256-${digest}'`);
  });

  it('escapes every character that could end a script element', () => {
    expect(embedJson({ a: '</script><!--\u2028&>' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u2028\\u0026\\u003e"}');
    expect(JSON.parse(embedJson({ a: '</script><!--\u2028&>' }))).toEqual({ a: '</script><!--\u2028&>' });
  });

  it('shows bidirectional-text controls as code points instead of letting them reorder the page', () => {
    const trojan = 'if access_level != "user\u202e \u2066// admin only\u2069 \u2066":';
    const embeddedText = embedJson({ path: 'pkg/\u202egnp.py', excerpt: trojan, nested: JSON.stringify({ line: trojan }) });
    expect(embeddedText).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    const data = JSON.parse(embeddedText) as { path: string; excerpt: string; nested: string };
    expect(data.path).toBe('pkg/[U+202E]gnp.py');
    expect(data.excerpt).toBe('if access_level != "user[U+202E] [U+2066]// admin only[U+2069] [U+2066]":');
    expect(JSON.parse(data.nested)).toEqual({ line: data.excerpt });
  });
});

describe('HTML report content', () => {
  it('quotes the evidence lines with their numbers', async () => {
    const r = await scan(fixture('webapp-with-kernel'), { excerpts: true });
    const filters = r.modules.find((m) => m.path === 'shopfront/imaging/filters.py')!;
    const source = readFileSync(join(fixture('webapp-with-kernel'), filters.path), 'utf8').split('\n');
    const lines = new Map(filters.excerpts!.map((e) => [e.line, e.text]));
    for (const reason of filters.reasons) expect(lines.has(reason.line), `line ${reason.line}`).toBe(true);
    for (const [line, text] of lines) expect(text).toBe(source[line - 1]);
    expect(lines.get(13)).toBe('def box_blur(pixels: list, width: int, height: int, radius: int = 1) -> list:');
    // An empty module has nothing to quote, and a plain scan quotes nothing.
    expect(r.modules.find((m) => m.path === 'shopfront/views/__init__.py')!.excerpts).toBeUndefined();
    expect((await scan(fixture('webapp-with-kernel'))).modules.some((m) => m.excerpts)).toBe(false);
  });

  it('puts glue and hard boundaries higher on the port-cost axis than a clean kernel', async () => {
    const r = await scan(fixture('webapp-with-kernel'));
    const cost = (p: string): number => portCost(r.modules.find((m) => m.path === p)!);
    expect(cost('shopfront/views/uploads.py')).toBeGreaterThan(cost('shopfront/imaging/filters.py'));
  });

  it('is a CLI format and writes one file', async () => {
    const dir = tempDir('rustscout-html-');
    const out = join(dir, 'report.html');
    expect(await runCli(['scan', fixture('numpy-pipeline'), '--format', 'html', '--output', out], { stdout: () => {}, stderr: () => {} })).toBe(0);
    let text = '';
    expect(await runCli(['scan', fixture('numpy-pipeline'), '--format', 'html'], { stdout: (t) => (text += t), stderr: () => {} })).toBe(0);
    expect(text.startsWith('<!doctype html>')).toBe(true);
    expect(embedded(text).modules).toHaveLength(4);
  });
});
