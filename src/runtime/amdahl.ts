/**
 * Amdahl's law: if a fraction p of a run is sped up s times, the whole run speeds up
 * 1 / (1 − p·(1 − 1/s)). With s → ∞ that is 1 / (1 − p): the ceiling no rewrite can beat.
 */

/** Rust versus CPython on scalar pure-Python loops: an order of magnitude is the usual figure. */
export const TYPICAL_RUST_SPEEDUP = 10;
/** Below this unbounded ceiling (5% faster end to end at best) a rewrite does not pay. */
export const NEGLIGIBLE_CEILING = 1.05;
/** Ceilings are capped here (p → 1 would be unbounded). */
const MAX_CEILING = 1000;

export function amdahlSpeedup(p: number, s: number): number {
  const frac = Math.min(1, Math.max(0, p));
  const denom = 1 - frac * (s === Infinity ? 1 : 1 - 1 / s);
  return denom <= 1 / MAX_CEILING ? MAX_CEILING : 1 / denom;
}

export function ceilingOf(p: number): { unbounded: number; typical: number } {
  const r = (x: number): number => Math.round(x * 100) / 100;
  return { unbounded: r(amdahlSpeedup(p, Infinity)), typical: r(amdahlSpeedup(p, TYPICAL_RUST_SPEEDUP)) };
}
