/** parse → facts for one Rust file. The result is plain data (a worker can send it, a cache can store it). */
import type { ParseLimits } from '../tree-sitter/with-tree.js';
import { extractRustFacts, type RustFunctionFact } from './facts.js';
import { withRustTree } from './parser.js';
import { pyo3Exports, type Pyo3Exports } from './pyo3-exports.js';

/** A Rust function as the report lists it: its facts without the PyO3 bookkeeping. */
export type RustKernel = Pick<RustFunctionFact, 'name' | 'line' | 'endLine' | 'loc' | 'loops' | 'iteratorClosures' | 'scalarOps' | 'pyName'>;

export interface RustFileProfile {
  path: string;
  language: 'rust';
  loc: number;
  totalLines: number;
  syntaxErrors: number[];
  exports: Pyo3Exports;
  functions: number;
  /** Functions with loops or iterator-adaptor closures: Rust's own hot code. */
  kernels: RustKernel[];
  uses: string[];
  bridges: { kind: 'napi' | 'wasm-bindgen'; line: number }[];
}

const isKernel = (f: RustFunctionFact): boolean => f.loops > 0 || f.iteratorClosures > 0;

/** Profiles one Rust file; with `limits.maxParseMs` a slower parse throws ParseTimeoutError (src/rust/parser.ts). */
export async function profileRust(path: string, source: string, limits: ParseLimits = {}): Promise<RustFileProfile> {
  const facts = await withRustTree(source, (tree) => extractRustFacts(tree, source), limits);
  return {
    path, language: 'rust', loc: facts.loc, totalLines: facts.totalLines, syntaxErrors: facts.syntaxErrors,
    exports: pyo3Exports(facts), functions: facts.functions.length,
    kernels: facts.functions.filter(isKernel).map((f) => ({
      name: f.name, line: f.line, endLine: f.endLine, loc: f.loc, loops: f.loops, iteratorClosures: f.iteratorClosures, scalarOps: f.scalarOps,
      ...(f.pyName ? { pyName: f.pyName } : {}),
    })),
    uses: facts.uses, bridges: facts.bridges,
  };
}
