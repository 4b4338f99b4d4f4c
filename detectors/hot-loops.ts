import { cheapOps, type FunctionFacts } from '../src/python/facts.js';
import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { loopEvidence } from './loop-evidence.js';
import { fnName } from './util.js';

const ID = 'hot-loops';

function evidenceFor(fn: FunctionFacts): Evidence[] {
  const out: Evidence[] = [];
  const function_ = fnName(fn);
  const loopOps = cheapOps(fn.inLoop);
  const firstLoop = fn.loops[0];
  out.push(...loopEvidence(ID, { loopOps, loops: fn.loops, maxLoopDepth: fn.maxLoopDepth, deepOps: fn.deepOps, bitopsInLoops: fn.inLoop.bitops, line: fn.line }, function_, {
    scalarOps: 'arithmetic, comparisons, subscripts, cheap builtins',
    bitCost: '(& | ^ << >> ~) each boxes a Python int, a single instruction in Rust',
  }));
  for (const loop of fn.loops) {
    if (loop.kind === 'while' && /[<>]=?|!=/.test(loop.iter) && loop.ops >= 3) {
      out.push({
        detector: ID, signal: 'index-while-loop', value: loop.ops, line: loop.line, function: function_,
        message: `while loop over an index (\`while ${loop.iter}\`) with ${loop.ops} scalar operations per step`,
      });
    }
  }
  if (fn.name !== '<module>' && fn.calls.some((c) => c.name === fn.name || c.name === `self.${fn.name}`)) {
    const call = fn.calls.find((c) => c.name === fn.name || c.name === `self.${fn.name}`)!;
    out.push({
      detector: ID, signal: 'recursion', value: 1, line: call.line, function: function_,
      message: `${fn.name} calls itself: every level pays a Python frame`,
    });
  }
  if (fn.yieldsInLoop > 0) {
    out.push({
      detector: ID, signal: 'per-element-generator', value: fn.yieldsInLoop, line: firstLoop?.line ?? fn.line, function: function_,
      message: `yields once per element from inside a loop: a generator resume per item`,
    });
  }
  return out;
}

export const hotLoops: CodeDetector = {
  id: ID,
  docs: {
    what: 'Loops, their nesting, and the scalar work per iteration: arithmetic, bit operations, comparisons, subscripts and slices, augmented assignment, cheap builtins (ord, chr, len, range, int, divmod, min, max); while loops over an index; recursion; generators yielding per element. Signals, per function: `scalar-loop` (value: those operations inside its loops; line: first loop), `nested-loop` (value: operations at loop depth ≥ 2), `bit-twiddling` (value: & | ^ << >> ~ inside loops, from 2), `index-while-loop` (value: operations in a `while` whose condition compares an index, from 3; one record per loop), `recursion` (value 1; line: the self-call), `per-element-generator` (value: yields inside loops).',
    why: 'CPython dispatches every bytecode and boxes every int and float, so a loop body of scalar operations runs 10–100× slower than the same loop compiled by rustc. This is the single strongest reason to move a kernel to Rust.',
    example: 'def crc32(data):\n    crc = 0xFFFFFFFF\n    for b in data:\n        crc ^= b\n        for _ in range(8):\n            crc = (crc >> 1) ^ (0xEDB88320 & -(crc & 1))\n    return crc ^ 0xFFFFFFFF',
  },
  detect(file: PyFileFacts): Evidence[] {
    return file.functions.flatMap(evidenceFor);
  },
};
