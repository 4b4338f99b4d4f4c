/** The loop-shape evidence every language's hot-loops detector reports the same way. */
import type { Evidence } from '../src/model.js';

export interface LoopShape {
  loopOps: number;
  loops: { line: number; depth: number }[];
  maxLoopDepth: number;
  deepOps: number;
  bitopsInLoops: number;
  line: number;
}

export interface LoopWording {
  /** What counts as a scalar operation, e.g. "arithmetic, comparisons, subscripts, cheap builtins". */
  scalarOps: string;
  /** Why bit operations are costly in this language. */
  bitCost: string;
}

/** scalar-loop, nested-loop and bit-twiddling evidence for one function. */
export function loopEvidence(detector: string, fn: LoopShape, function_: string | undefined, words: LoopWording): Evidence[] {
  const out: Evidence[] = [];
  const first = fn.loops[0];
  if (first && fn.loopOps > 0) {
    out.push({
      detector, signal: 'scalar-loop', value: fn.loopOps, line: first.line, function: function_,
      message: `${fn.loopOps} scalar operations (${words.scalarOps}) run per iteration in ${fn.loops.length} loop(s)`,
    });
  }
  if (fn.maxLoopDepth >= 2 && fn.deepOps > 0) {
    const deep = fn.loops.find((l) => l.depth >= 2)!;
    out.push({
      detector, signal: 'nested-loop', value: fn.deepOps, line: deep.line, function: function_,
      message: `loops nested ${fn.maxLoopDepth} deep with ${fn.deepOps} scalar operations in the inner body`,
    });
  }
  if (fn.bitopsInLoops >= 2) {
    out.push({
      detector, signal: 'bit-twiddling', value: fn.bitopsInLoops, line: first?.line ?? fn.line, function: function_,
      message: `${fn.bitopsInLoops} bit operations inside loops: ${words.bitCost}`,
    });
  }
  return out;
}
