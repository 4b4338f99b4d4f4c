/**
 * The CI gate: which modules turn the check red (exit 1). A module fails when it is a Python
 * module in scope, not suppressed, not unchanged since the baseline, its verdict is in the
 * fail-on list (either rewrite verdict when only a minimum score is set) and its score reaches
 * the minimum.
 */
import { REWRITE_VERDICTS, type ModuleReport, type Verdict } from '../model.js';
import { CiUsageError } from './errors.js';

const ALIASES: Record<string, Verdict> = {
  'pyo3-extension': 'pyo3-extension', pyo3: 'pyo3-extension', extension: 'pyo3-extension',
  'move-to-rust': 'move-to-rust', rust: 'move-to-rust', move: 'move-to-rust',
  'wasm-extension': 'wasm-extension', wasm: 'wasm-extension',
  'keep-python': 'keep-python',
};

/** Parses `pyo3-extension,move-to-rust` (or the aliases pyo3, rust); throws on an unknown verdict. */
export function parseVerdictList(value: string | readonly string[], where: string): Verdict[] {
  const parts = (typeof value === 'string' ? value.split(',') : value).map((v) => v.trim()).filter(Boolean);
  const out: Verdict[] = [];
  for (const p of parts) {
    const v = ALIASES[p.toLowerCase()];
    if (!v) throw new CiUsageError(`${where}: unknown verdict "${p}" (expected pyo3-extension, move-to-rust, wasm-extension, keep-python, or the aliases pyo3, rust, wasm)`);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

export function parseMinScore(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 100) {
    throw new CiUsageError(`${where}: expected a whole number from 0 to 100, got ${JSON.stringify(value)}`);
  }
  return n;
}

export interface GatePolicy {
  failOn?: Verdict[];
  minScore?: number;
}

export const gateIsActive = (p: GatePolicy): boolean => (p.failOn?.length ?? 0) > 0 || (p.failOn === undefined && p.minScore !== undefined);

/**
 * `failOn` unset with a minimum score: the rewrite verdicts; `failOn` set but empty: never
 * (how a per-path override switches the gate off).
 */
export function failsGate(m: ModuleReport, policy: GatePolicy): boolean {
  if (m.language === 'rust' || m.suppressed || m.baseline === 'unchanged') return false;
  if (!gateIsActive(policy)) return false;
  const verdicts: readonly Verdict[] = policy.failOn ?? REWRITE_VERDICTS;
  if (!verdicts.includes(m.verdict)) return false;
  return policy.minScore === undefined || m.score >= policy.minScore;
}
