import { describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline.js';
import { KEEP_ROWS, renderTerminal } from '../../src/report/terminal.js';
import type { ModuleReport } from '../../src/model.js';
import { fixture } from '../helpers.js';

describe('terminal report of a large repository', () => {
  it('lists every candidate and the highest-scoring kept modules, and says how many more were kept', async () => {
    const report = await scan(fixture('webapp-with-kernel'), { git: false, cache: false });
    const kept = report.modules.find((m) => m.verdict === 'keep-python')!;
    const many: ModuleReport[] = Array.from({ length: KEEP_ROWS + 20 }, (_, i) => ({ ...kept, path: `pkg/kept_${String(i).padStart(3, '0')}.py`, score: i % 45 }));
    const big = { ...report, modules: [...report.modules, ...many] };
    const lines = renderTerminal(big).split('\n');
    const table = lines.slice(lines.findIndex((l) => l.startsWith('MODULE')) + 1, lines.indexOf('', lines.findIndex((l) => l.startsWith('MODULE'))));
    const candidates = big.modules.filter((m) => !m.verdict.startsWith('keep-'));
    const keptRows = table.filter((l) => /\skeep-python\s/.test(l));
    expect(candidates.length).toBeGreaterThan(0);
    for (const c of candidates) expect(table.some((l) => l.startsWith(c.path))).toBe(true);
    expect(keptRows).toHaveLength(KEEP_ROWS);
    const allKept = big.modules.filter((m) => m.verdict.startsWith('keep-')).map((m) => m.score).sort((a, b) => b - a);
    const lowestShown = Math.min(...keptRows.map((l) => Number(l.split(/\s+/)[2])));
    expect(lowestShown).toBe(allKept[KEEP_ROWS - 1]);
    const more = table.find((l) => l.startsWith('…'))!;
    expect(more).toBe(`… and ${allKept.length - KEEP_ROWS} more kept module(s), scoring ${allKept[KEEP_ROWS]} or less (every module: --format json, markdown or html)`);
  });

  it('lists every module of a small repository, with no note', async () => {
    const report = await scan(fixture('webapp-with-kernel'), { git: false, cache: false });
    const text = renderTerminal(report);
    for (const m of report.modules) expect(text).toContain(m.path);
    expect(text).not.toContain('more kept module');
  });

  it('tells components of one kind that share a name apart by their paths', async () => {
    const report = await scan(fixture('webapp-with-kernel'), { git: false, cache: false });
    const base = report.components[0];
    const twin = { ...base, path: 'test/module/copy' };
    const other = { ...base, kind: 'npm-package' as const, path: 'web' };
    const text = renderTerminal({ ...report, components: [base, twin, other] });
    expect(text).toContain(`  ${base.name} (${base.path})`);
    expect(text).toContain(`  ${base.name} (test/module/copy)`);
    expect(text).toMatch(new RegExp(`\\n  ${base.name}\\s+npm-package`)); // another kind: its kind column tells it apart
  });
});
