import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import type { FunctionFacts } from '../src/python/facts.js';
import { fileIndex, type FileIndex, fnName, rootOf } from './util.js';

const ID = 'numeric';
/** Libraries whose calls run in native code already: calling them is a reason to stay in Python. */
export const VECTORISED_LIBRARIES = new Set(['numpy', 'pandas', 'scipy', 'torch', 'polars', 'jax', 'tensorflow', 'numexpr', 'sklearn', 'cupy', 'dask', 'xarray', 'pyarrow']);
const SCALAR_MATH = new Set(['math', 'cmath']);
/** Annotations naming an array or frame type. */
const ARRAY_ANNOTATION = /(^|\.)(ndarray|NDArray|ArrayLike|Tensor|DataFrame|Series|Array)\b/;
/** pandas element accessors: `df.iloc[i]`, `s.at[k]` inside a loop cost a Python call each. */
const ELEMENT_ACCESSOR = /\.(iloc|loc|at|iat)$/;

/**
 * Subscripts inside loops on names known to hold arrays: bound from a NumPy-style call, passed as the
 * first argument to one, or annotated as an array; plus pandas element accessors.
 */
const isArrayMaker = (callee: string): boolean => VECTORISED_LIBRARIES.has(rootOf(callee));

function arrayElementAccesses(fn: FunctionFacts, ix: FileIndex): number {
  const arrays = new Set<string>(ix.bindings.namesMadeBy(fn, 'array', isArrayMaker));
  for (const p of fn.params) if (p.annotation && ARRAY_ANNOTATION.test(p.annotation)) arrays.add(p.name);
  for (const { call, root } of ix.callsOf(fn)) {
    if (call.firstArg && VECTORISED_LIBRARIES.has(root) && /^[\w.]+$/.test(call.firstArg)) arrays.add(call.firstArg);
  }
  let n = 0;
  for (const [name, count] of Object.entries(fn.indexedInLoop)) if (arrays.has(name) || ELEMENT_ACCESSOR.test(name)) n += count;
  return n;
}

export const numeric: CodeDetector = {
  id: ID,
  docs: {
    what: 'Scalar float/int maths in loops versus vectorised calls into NumPy, pandas, SciPy, PyTorch or polars, and Python loops that index arrays element by element. Signals: `vectorised-call` (value: whole-array calls into those libraries outside loops), `scalar-math` (value: arithmetic operations plus math.*/cmath.* calls inside loops; from 3 operations or 1 math call), `array-element-loop` (value: subscripts inside loops on names known to hold arrays — bound from or passed to a NumPy-style call, or annotated ndarray/Tensor/DataFrame — and pandas .iloc/.loc/.at/.iat accessors, plus multi-dimensional a[i, j] indexing; reported from 2 accesses).',
    why: 'Vectorised calls already run in C: the module is glue around native code and gains little from Rust. Scalar maths in a Python loop pays the interpreter per element, and element-wise indexing of a NumPy array is slower still (each access builds a NumPy scalar) — that is where Rust pays.',
    example: 'import numpy as np\ndef smooth(a):\n    out = np.empty_like(a)\n    for i in range(1, len(a) - 1):\n        out[i] = (a[i - 1] + a[i] + a[i + 1]) / 3.0\n    return out',
  },
  detect(file: PyFileFacts): Evidence[] {
    const out: Evidence[] = [];
    const ix = fileIndex(file);
    const imported = ix.imported;
    const usesArrays = [...imported.values()].some((m) => VECTORISED_LIBRARIES.has(rootOf(m)));
    for (const fn of file.functions) {
      const function_ = fnName(fn);
      let vectorised = 0;
      let firstVectorised = 0;
      let scalarMath = 0;
      let firstScalar = 0;
      for (const { call, root } of ix.callsOf(fn)) {
        if (VECTORISED_LIBRARIES.has(root)) {
          if (call.loopDepth === 0) {
            vectorised++;
            firstVectorised ||= call.line;
          }
        } else if (SCALAR_MATH.has(root) && call.loopDepth > 0) {
          scalarMath++;
          firstScalar ||= call.line;
        }
      }
      if (vectorised > 0) {
        out.push({
          detector: ID, signal: 'vectorised-call', value: vectorised, line: firstVectorised, function: function_,
          message: `${vectorised} whole-array call(s) into NumPy/pandas/SciPy-style libraries outside loops: the work already runs in native code`,
        });
      }
      const loopArith = fn.inLoop.arith;
      if (scalarMath > 0 || (loopArith >= 3 && fn.loops.length > 0)) {
        out.push({
          detector: ID, signal: 'scalar-math', value: scalarMath + loopArith, line: firstScalar || fn.loops[0].line, function: function_,
          message: `${loopArith} arithmetic operation(s)${scalarMath ? ` and ${scalarMath} math.* call(s)` : ''} on scalars inside loops`,
        });
      }
      const elementAccesses = usesArrays && fn.loops.length > 0 ? arrayElementAccesses(fn, ix) : 0;
      if (elementAccesses >= 2 || (elementAccesses > 0 && fn.inLoop.tupleIndex > 0)) {
        out.push({
          detector: ID, signal: 'array-element-loop', value: elementAccesses + fn.inLoop.tupleIndex, line: fn.loops[0].line, function: function_,
          message: `a Python loop indexes arrays one element at a time (${elementAccesses} element access(es)${fn.inLoop.tupleIndex ? `, ${fn.inLoop.tupleIndex} multi-dimensional` : ''}): each access builds a boxed scalar`,
        });
      }
    }
    return out;
  },
};
