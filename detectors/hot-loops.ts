import { cheapOps, type CallFact, type FunctionFacts, type LoopFact } from '../src/python/facts.js';
import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { pushLoopEvidence, type LoopWording } from './loop-evidence.js';
import { evidence, fnName } from './util.js';

const ID = 'hot-loops';
const WORDS: LoopWording = {
  scalarOps: 'arithmetic, comparisons, subscripts, cheap builtins',
  bitCost: '(& | ^ << >> ~) each boxes a Python int, a single instruction in Rust',
};
const INDEX_CONDITION = /[<>]=?|!=/;

function evidenceFor(fn: FunctionFacts, out: Evidence[]): void {
  const function_ = fnName(fn);
  const loops = fn.loops;
  if (loops.length > 0 || fn.maxLoopDepth >= 2 || fn.inLoop.bitops >= 2) {
    pushLoopEvidence(out, ID, { loopOps: cheapOps(fn.inLoop), loops, maxLoopDepth: fn.maxLoopDepth, deepOps: fn.deepOps, bitopsInLoops: fn.inLoop.bitops, line: fn.line }, function_, WORDS);
  }
  for (let i = 0; i < loops.length; i++) {
    const loop = loops[i];
    if (loop.kind === 'while' && loop.ops >= 3 && INDEX_CONDITION.test(loop.iter)) out.push(indexWhileLoop(loop, function_));
  }
  if (fn.name !== '<module>') {
    const call = selfCall(fn);
    if (call !== undefined) out.push(evidence(ID, 'recursion', 1, call.line, function_, `${fn.name} calls itself: every level pays a Python frame`));
  }
  if (fn.yieldsInLoop > 0) {
    out.push(evidence(ID, 'per-element-generator', fn.yieldsInLoop, loops.length > 0 ? loops[0].line : fn.line, function_, `yields once per element from inside a loop: a generator resume per item`));
  }
}

function indexWhileLoop(loop: LoopFact, function_: string | undefined): Evidence {
  return evidence(ID, 'index-while-loop', loop.ops, loop.line, function_, `while loop over an index (\`while ${loop.iter}\`) with ${loop.ops} scalar operations per step`);
}

/** The first call of `fn` to itself (`f(…)` or `self.f(…)`). */
function selfCall(fn: FunctionFacts): CallFact | undefined {
  const name = fn.name;
  const calls = fn.calls;
  let method: string | undefined;
  for (let i = 0; i < calls.length; i++) {
    const callee = calls[i].name;
    if (callee === name) return calls[i];
    if (callee.length === name.length + 5 && callee.startsWith('self.') && callee === (method ??= 'self.' + name)) return calls[i];
  }
  return undefined;
}

export const hotLoops: CodeDetector = {
  id: ID,
  docs: {
    what: 'Loops, their nesting, and the scalar work per iteration: arithmetic, bit operations, comparisons, subscripts and slices, augmented assignment, cheap builtins (ord, chr, len, range, int, divmod, min, max); while loops over an index; recursion; generators yielding per element. Signals, per function: `scalar-loop` (value: those operations inside its loops; line: first loop), `nested-loop` (value: operations at loop depth ≥ 2), `bit-twiddling` (value: & | ^ << >> ~ inside loops, from 2), `index-while-loop` (value: operations in a `while` whose condition compares an index, from 3; one record per loop), `recursion` (value 1; line: the self-call), `per-element-generator` (value: yields inside loops).',
    why: 'CPython dispatches every bytecode and boxes every int and float, so a loop body of scalar operations runs 10–100× slower than the same loop compiled by rustc. This is the single strongest reason to move a kernel to Rust.',
    example: 'def crc32(data):\n    crc = 0xFFFFFFFF\n    for b in data:\n        crc ^= b\n        for _ in range(8):\n            crc = (crc >> 1) ^ (0xEDB88320 & -(crc & 1))\n    return crc ^ 0xFFFFFFFF',
  },
  detect: detectHotLoops,
};

function detectHotLoops(file: PyFileFacts): Evidence[] {
  const out: Evidence[] = [];
  for (const fn of file.functions) evidenceFor(fn, out);
  return out;
}
