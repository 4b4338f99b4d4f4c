/** The loop-shape evidence every language's hot-loops detector reports the same way. */
import type { Evidence } from '../src/model.js';
import { evidence } from './util.js';

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

/** scalar-loop, nested-loop and bit-twiddling evidence for one function, appended to `out`. */
export function pushLoopEvidence(out: Evidence[], detector: string, fn: LoopShape, function_: string | undefined, words: LoopWording): void {
  const loops = fn.loops;
  const first = loops.length > 0 ? loops[0] : undefined;
  if (first !== undefined && fn.loopOps > 0) {
    out.push(evidence(detector, 'scalar-loop', fn.loopOps, first.line, function_, `${fn.loopOps} scalar operations (${words.scalarOps}) run per iteration in ${loops.length} loop(s)`));
  }
  if (fn.maxLoopDepth >= 2 && fn.deepOps > 0) out.push(nestedLoop(detector, fn, function_));
  if (fn.bitopsInLoops >= 2) {
    out.push(evidence(detector, 'bit-twiddling', fn.bitopsInLoops, first?.line ?? fn.line, function_, `${fn.bitopsInLoops} bit operations inside loops: ${words.bitCost}`));
  }
}

function nestedLoop(detector: string, fn: LoopShape, function_: string | undefined): Evidence {
  let deep = fn.loops[0];
  for (const l of fn.loops) {
    if (l.depth >= 2) {
      deep = l;
      break;
    }
  }
  return evidence(detector, 'nested-loop', fn.deepOps, deep.line, function_, `loops nested ${fn.maxLoopDepth} deep with ${fn.deepOps} scalar operations in the inner body`);
}

/** scalar-loop, nested-loop and bit-twiddling evidence for one function. */
export function loopEvidence(detector: string, fn: LoopShape, function_: string | undefined, words: LoopWording): Evidence[] {
  const out: Evidence[] = [];
  pushLoopEvidence(out, detector, fn, function_, words);
  return out;
}
