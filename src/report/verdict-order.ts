/**
 * The order every report lists verdicts in: rewrites first (a whole-program move, then the
 * extension kinds), then the keep verdicts, the Rust that already exists last. One list for the
 * terminal, Markdown and HTML reports (the HTML page's script receives it as a literal).
 */
import type { Verdict } from '../model.js';

export const VERDICT_ORDER: readonly Verdict[] = ['move-to-rust', 'pyo3-extension', 'wasm-extension', 'keep-python', 'keep-typescript', 'keep-javascript', 'keep-rust'];

/** Position of a verdict in VERDICT_ORDER; anything unknown sorts after every known verdict. */
export function verdictRank(verdict: string): number {
  const i = (VERDICT_ORDER as readonly string[]).indexOf(verdict);
  return i < 0 ? VERDICT_ORDER.length : i;
}
