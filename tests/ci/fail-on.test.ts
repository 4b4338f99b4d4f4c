import { describe, expect, it } from 'vitest';
import { failsGate, parseMinScore, parseVerdictList } from '../../src/ci/fail-on.js';
import type { ModuleReport, Report } from '../../src/model.js';
import { fixture } from '../helpers.js';
import { cli } from './helpers.js';

const module = (over: Partial<ModuleReport>): ModuleReport => ({
  path: 'm.py', language: 'python', component: null, verdict: 'pyo3-extension', score: 80, confidence: 0.8, loc: 40,
  reasons: [], functions: [], features: {}, evidence: [], imports: { fanIn: 0, fanOut: 0, importedBy: [] }, ...over,
});

describe('the gate', () => {
  it('parses verdict lists with aliases and rejects unknown verdicts', () => {
    expect(parseVerdictList('pyo3,rust', '--fail-on')).toEqual(['pyo3-extension', 'move-to-rust']);
    expect(parseVerdictList(' move-to-rust , pyo3-extension,move-to-rust', '--fail-on')).toEqual(['move-to-rust', 'pyo3-extension']);
    expect(() => parseVerdictList('pyo3,fast', '--fail-on')).toThrow(/--fail-on: unknown verdict "fast"/);
    expect(parseMinScore('70', 'x')).toBe(70);
    expect(() => parseMinScore('7.5', 'x')).toThrow(/whole number/);
    expect(() => parseMinScore(-1, 'x')).toThrow(/whole number/);
  });

  it('fails on matching verdicts and scores, never on suppressed, unchanged or non-Python modules', () => {
    const gate = { failOn: ['pyo3-extension' as const] };
    expect(failsGate(module({}), gate)).toBe(true);
    expect(failsGate(module({ verdict: 'move-to-rust' }), gate)).toBe(false);
    expect(failsGate(module({ suppressed: { kind: 'module', reason: 'r', line: 1 } }), gate)).toBe(false);
    expect(failsGate(module({ baseline: 'unchanged' }), gate)).toBe(false);
    expect(failsGate(module({ baseline: 'worse' }), gate)).toBe(true);
    expect(failsGate(module({ language: 'rust', verdict: 'keep-rust' }), { failOn: ['keep-python'] })).toBe(false);
    expect(failsGate(module({ score: 79 }), { minScore: 80 })).toBe(false);
    expect(failsGate(module({ score: 80 }), { minScore: 80 })).toBe(true);
    expect(failsGate(module({ verdict: 'keep-python', score: 95 }), { minScore: 80 })).toBe(false);
    expect(failsGate(module({ score: 95 }), { failOn: ['pyo3-extension'], minScore: 96 })).toBe(false);
    expect(failsGate(module({ score: 95 }), { failOn: [], minScore: 10 })).toBe(false);
    expect(failsGate(module({}), {})).toBe(false);
  });
});

describe('exit codes', () => {
  const webapp = fixture('webapp-with-kernel');
  const server = fixture('tcp-protocol-server');

  it('0 without a gate, whatever the verdicts', async () => {
    expect((await cli(['scan', webapp])).code).toBe(0);
    expect((await cli(['scan', server, '--format', 'sarif'])).code).toBe(0);
  });

  it('1 when a module matches --fail-on, with the report still written', async () => {
    const r = await cli(['scan', webapp, '--fail-on', 'pyo3-extension,move-to-rust', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.ci?.failOn?.failing).toEqual(['shopfront/imaging/filters.py']);
    expect((await cli(['scan', server, '--fail-on', 'rust'])).code).toBe(1);
    expect((await cli(['scan', webapp, '--fail-on', 'move-to-rust'])).code).toBe(0);
  });

  it('1 when a candidate reaches --min-score, 0 below it', async () => {
    const report = JSON.parse((await cli(['scan', webapp, '--format', 'json'])).stdout) as Report;
    const score = report.modules.find((m) => m.path === 'shopfront/imaging/filters.py')!.score;
    expect((await cli(['scan', webapp, '--min-score', String(score)])).code).toBe(1);
    expect((await cli(['scan', webapp, '--min-score', String(score + 1)])).code).toBe(0);
    expect((await cli(['scan', webapp, '--fail-on', 'pyo3', '--min-score', String(score + 1)])).code).toBe(0);
  });

  it('2 for a bad --fail-on or --min-score, with one line on stderr and no report', async () => {
    for (const args of [['--fail-on', 'rewrite'], ['--min-score', 'high'], ['--min-score', '101']]) {
      const r = await cli(['scan', webapp, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
