/**
 * V8 settings for a one-shot scan, set once at start-up (process-wide, so the worker threads get
 * them too). Each worker isolate compiles the facts walker and detectors with TurboFan while it
 * warms up, and pays again for every function it optimises too early and then deoptimises:
 * - a smaller inlining budget makes those compiles cheaper than the inlining saves on a scan that
 *   lasts seconds (sympy, 3 interleaved cold scans each: 16.9 → 16.1 CPU s, 9.3 → 8.9 s);
 * - a 6× larger interrupt budget (V8's default: 67,584 bytecode bytes executed between tier-up
 *   checks) lets a function gather more type feedback before TurboFan compiles it, so fewer
 *   lukewarm functions are compiled and fewer compiled ones are thrown away (sympy: 729 → 411
 *   TurboFan compiles). Cold scans, concurrent A/B pairs: django 4.79 → 4.36 CPU s (4 of 4 pairs
 *   lower), pandas 9.49 → 9.24, sympy 17.35 → 17.03; a fixture scan and a warm replay unchanged.
 *   400 k measured as good as 600 k, and better than 250 k (django) or 800 k (sympy).
 * - WebAssembly calls inlined by TurboFan in tree-sitter's parser (an opt-in flag in Node 20's V8 11;
 *   later V8s decide for themselves, so it is only set there): one-thread parse of sympy, concurrent
 *   pairs, 8.05 → 7.71, 8.07 → 7.61, 8.43 → 8.19 s; a cold scan 18.22 → 17.84 CPU s. Every report of
 *   the dev corpus and the stdlib byte-identical with it. The parse floor of `npm run bench` runs
 *   with these same settings, so the comparison stays parser against parser.
 */
import { setFlagsFromString } from 'node:v8';

const WASM_INLINING = process.versions.v8.startsWith('11.') ? ['--experimental-wasm-inlining'] : [];

export const V8_FLAGS = ['--max-inlined-bytecode-size-cumulative=230', '--interrupt-budget=400000', ...WASM_INLINING];

export function tuneV8ForScans(): void {
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
}
