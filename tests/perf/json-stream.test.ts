import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import type { Report } from '../../src/model.js';
import { scan } from '../../src/pipeline.js';
import { renderJson } from '../../src/report/json.js';
import { jsonReportPieces, writeJsonReport } from '../../src/report/json-stream.js';
import { fixture } from '../helpers.js';

describe('streamed JSON report', () => {
  it('joins to exactly what renderJson prints for a real scan', async () => {
    const report = await scan(fixture('polyglot-monorepo'), { git: false, jobs: 1 });
    expect(report.modules.length).toBeGreaterThan(1);
    expect([...jsonReportPieces(report)].join('')).toBe(renderJson(report));
  });

  it('matches renderJson on empty arrays, omitted keys, nested arrays and unsafe characters', () => {
    const report = {
      schemaVersion: 1, tool: { name: 'rustscout', version: 'x' }, root: '/r\u202e\u2028', summary: {}, components: [],
      modules: [{ path: 'a\u0085.py', evidence: [], reasons: [{ line: 1, message: 'bidi \u2066x\u2069' }], nested: { deep: [[1, 2], []] } }, { path: 'b.py', skip: undefined }],
      warnings: [{ path: 'c.py', message: 'tab\tline\nbreak' }], native: undefined, findings: [undefined, null, 3, 'x'],
    } as unknown as Report;
    expect([...jsonReportPieces(report)].join('')).toBe(renderJson(report));
  });

  it('writes in chunks, and the CLI output (stdout and --output) is identical to renderJson', async () => {
    const report = await scan(fixture('webapp-with-kernel'), { git: false, jobs: 1 });
    const chunks: string[] = [];
    await writeJsonReport(report, (c) => void chunks.push(c));
    expect(chunks.join('')).toBe(renderJson(report));

    let stdout = '';
    expect(await runCli(['scan', fixture('webapp-with-kernel'), '--format', 'json', '--no-git', '--no-cache', '--jobs', '1'], { stdout: (t) => (stdout += t), stderr: () => {} })).toBe(0);
    const printed = JSON.parse(stdout) as Report;
    expect(printed.modules.map((m) => m.path)).toEqual(report.modules.map((m) => m.path));
    expect(stdout).toBe(renderJson(printed));
    const dir = mkdtempSync(join(tmpdir(), 'rustscout-json-'));
    try {
      const out = join(dir, 'report.json');
      expect(await runCli(['scan', fixture('webapp-with-kernel'), '--format', 'json', '--no-git', '--no-cache', '--jobs', '1', '--output', out], { stdout: () => {}, stderr: () => {} })).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
