/** What every report must satisfy, however hostile the input (used by the hostile-repo and fuzz tests). */
import { expect } from 'vitest';
import type { Report } from '../../src/model.js';

export const ALLOWED_VERDICTS = ['keep-python', 'pyo3-extension', 'move-to-rust', 'keep-rust', 'keep-typescript', 'keep-javascript', 'wasm-extension'];

const finite = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n);

export function expectValidReport(report: Report): void {
  expect(report.schemaVersion).toBe(1);
  expect(report.tool.name).toBe('rustscout');
  expect(Array.isArray(report.modules)).toBe(true);
  expect(Array.isArray(report.warnings)).toBe(true);
  const total = Object.values(report.summary).reduce((a, b) => a + b, 0);
  expect(total).toBe(report.modules.length);
  const seen = new Set<string>();
  for (const m of report.modules) {
    const at = JSON.stringify(m.path);
    expect(typeof m.path, at).toBe('string');
    expect(m.path, at).not.toMatch(/^\/|^\.\.?\//);
    expect(seen.has(m.path), `${at} listed twice`).toBe(false);
    seen.add(m.path);
    expect(ALLOWED_VERDICTS, at).toContain(m.verdict);
    expect(finite(m.score) && m.score >= 0 && m.score <= 100, `${at} score ${m.score}`).toBe(true);
    expect(finite(m.confidence) && m.confidence >= 0 && m.confidence <= 1, `${at} confidence ${m.confidence}`).toBe(true);
    expect(Number.isInteger(m.loc) && m.loc >= 0, `${at} loc ${m.loc}`).toBe(true);
    for (const r of m.reasons) {
      expect(Number.isInteger(r.line) && r.line >= 1, `${at} reason line ${r.line}`).toBe(true);
      expect(finite(r.weight) && finite(r.contribution), `${at} reason ${r.signal}`).toBe(true);
    }
    for (const f of m.functions) {
      expect(f.line >= 1 && f.endLine >= f.line, `${at} function ${f.name} ${f.line}-${f.endLine}`).toBe(true);
      expect(finite(f.score) && f.score >= 0 && f.score <= 100, `${at} function ${f.name} score`).toBe(true);
    }
    for (const value of Object.values(m.features)) expect(finite(value), `${at} features`).toBe(true);
  }
  for (const w of report.warnings) {
    expect(typeof w.path).toBe('string');
    expect(typeof w.message).toBe('string');
    expect(w.message.length).toBeGreaterThan(0);
  }
}
