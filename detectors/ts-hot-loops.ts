import { cheapTsOps, type TsFunctionFacts } from '../src/typescript/facts.js';
import type { Evidence } from '../src/model.js';
import { loopEvidence } from './loop-evidence.js';
import { tsFnName, type TsCodeDetector } from './ts-types.js';

const ID = 'ts-hot-loops';
const TYPED_ARRAYS = /^(Float32Array|Float64Array|Int8Array|Int16Array|Int32Array|Uint8Array|Uint8ClampedArray|Uint16Array|Uint32Array|BigInt64Array|BigUint64Array|DataView)$/;

function evidenceFor(fn: TsFunctionFacts): Evidence[] {
  const out: Evidence[] = [];
  const function_ = tsFnName(fn.name);
  const loopOps = cheapTsOps(fn.inLoop);
  const first = fn.loops[0];
  out.push(...loopEvidence(ID, { loopOps, loops: fn.loops, maxLoopDepth: fn.maxLoopDepth, deepOps: fn.deepOps, bitopsInLoops: fn.inLoop.bitops, line: fn.line }, function_, {
    scalarOps: 'arithmetic, comparisons, element reads, Math.*',
    bitCost: '(& | ^ << >> >>> ~) JS converts each operand to int32 and back; Rust keeps native widths (u64 too)',
  }));
  if (fn.inLoop.charCodes > 0) {
    out.push({
      detector: ID, signal: 'byte-scan', value: fn.inLoop.charCodes, line: first?.line ?? fn.line, function: function_,
      message: `${fn.inLoop.charCodes} charCodeAt/codePointAt call(s) inside loops: scanning a string code unit by code unit`,
    });
  }
  const typed = fn.calls.filter((c) => (c.isNew || /\.(from|of)$/.test(c.name)) && TYPED_ARRAYS.test(c.name.replace(/\.(from|of)$/, '')));
  if (typed.length && (fn.loops.length > 0 || fn.inLoop.subscript > 0)) {
    out.push({
      detector: ID, signal: 'typed-array', value: typed.length, line: typed[0].line, function: function_,
      message: `allocates ${typed.map((c) => c.name).slice(0, 3).join(', ')} and loops over it: flat numeric buffers that cross into WebAssembly or napi-rs without copying`,
    });
  }
  for (const loop of fn.loops) {
    if ((loop.kind === 'while' || loop.kind === 'do') && loop.indexCondition && loop.ops >= 3) {
      out.push({
        detector: ID, signal: 'index-while-loop', value: loop.ops, line: loop.line, function: function_,
        message: `while loop over an index with ${loop.ops} scalar operations per step: a hand-written scanner`,
      });
    }
  }
  const simpleName = fn.name.slice(fn.name.lastIndexOf('.') + 1);
  const self = fn.name !== '<module>' && fn.calls.find((c) => c.name === simpleName || c.name === `this.${simpleName}`);
  if (self) {
    out.push({ detector: ID, signal: 'recursion', value: 1, line: self.line, function: function_, message: `${fn.name} calls itself` });
  }
  return out;
}

export const tsHotLoops: TsCodeDetector = {
  id: ID,
  docs: {
    what: 'TypeScript/JavaScript loops (for, for-of, while, and per-element callbacks of forEach/map/reduce) and the scalar work in them: arithmetic, bit operations, comparisons, element reads, Math.* calls, charCodeAt scanning; typed arrays; index-stepping while loops; recursion.',
    why: 'V8 JIT-compiles monomorphic numeric loops well, but deoptimises on mixed types, boxes doubles in generic arrays, truncates bit operations to int32 and pauses for GC. A kernel that is all scalar work over typed arrays is where Rust compiled to WebAssembly or a napi-rs addon pays: predictable speed, SIMD, u64, no GC.',
    example: 'export function blur(src: Float32Array, w: number, h: number) {\n  const out = new Float32Array(w * h);\n  for (let y = 1; y < h - 1; y++)\n    for (let x = 1; x < w - 1; x++)\n      out[y * w + x] = (src[y * w + x - 1] + src[y * w + x] + src[y * w + x + 1]) / 3;\n  return out;\n}',
  },
  detect(file) {
    return file.functions.flatMap(evidenceFor);
  },
};
