import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import type { FunctionFacts } from '../src/python/facts.js';
import { evidence, fileIndex, type FileIndex, fnName, rootOf } from './util.js';

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
  const calls = ix.callsOf(fn);
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i];
    if (c.firstArg && VECTORISED_LIBRARIES.has(c.root) && /^[\w.]+$/.test(c.firstArg)) arrays.add(c.firstArg);
  }
  let n = 0;
  const indexed = fn.indexedInLoop;
  for (const name in indexed) if (arrays.has(name) || ELEMENT_ACCESSOR.test(name)) n += indexed[name];
  return n;
}

function importsArrayLibrary(imported: Map<string, string>): boolean {
  for (const m of imported.values()) if (VECTORISED_LIBRARIES.has(rootOf(m))) return true;
  return false;
}

/** One function's numeric evidence, appended to `out`. */
function numericOf(fn: FunctionFacts, ix: FileIndex, usesArrays: boolean, out: Evidence[]): void {
  let vectorised = 0;
  let firstVectorised = 0;
  let scalarMath = 0;
  let firstScalar = 0;
  const calls = ix.callsOf(fn);
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i];
    if (VECTORISED_LIBRARIES.has(c.root)) {
      if (c.loopDepth === 0) {
        vectorised++;
        if (firstVectorised === 0) firstVectorised = c.line;
      }
    } else if (c.loopDepth > 0 && SCALAR_MATH.has(c.root)) {
      scalarMath++;
      if (firstScalar === 0) firstScalar = c.line;
    }
  }
  if (vectorised > 0) out.push(vectorisedCall(fn, vectorised, firstVectorised));
  const loopArith = fn.inLoop.arith;
  const loops = fn.loops.length;
  if (scalarMath > 0 || (loopArith >= 3 && loops > 0)) out.push(scalarMathIn(fn, scalarMath, loopArith, firstScalar));
  if (usesArrays && loops > 0) {
    const elementAccesses = arrayElementAccesses(fn, ix);
    if (elementAccesses >= 2 || (elementAccesses > 0 && fn.inLoop.tupleIndex > 0)) out.push(arrayElementLoop(fn, elementAccesses));
  }
}

function vectorisedCall(fn: FunctionFacts, vectorised: number, line: number): Evidence {
  return evidence(ID, 'vectorised-call', vectorised, line, fnName(fn), `${vectorised} whole-array call(s) into NumPy/pandas/SciPy-style libraries outside loops: the work already runs in native code`);
}

function scalarMathIn(fn: FunctionFacts, scalarMath: number, loopArith: number, firstScalar: number): Evidence {
  return evidence(ID, 'scalar-math', scalarMath + loopArith, firstScalar || fn.loops[0].line, fnName(fn), `${loopArith} arithmetic operation(s)${scalarMath ? ` and ${scalarMath} math.* call(s)` : ''} on scalars inside loops`);
}

function arrayElementLoop(fn: FunctionFacts, elementAccesses: number): Evidence {
  const tupleIndex = fn.inLoop.tupleIndex;
  return evidence(ID, 'array-element-loop', elementAccesses + tupleIndex, fn.loops[0].line, fnName(fn), `a Python loop indexes arrays one element at a time (${elementAccesses} element access(es)${tupleIndex ? `, ${tupleIndex} multi-dimensional` : ''}): each access builds a boxed scalar`);
}

function detectNumeric(file: PyFileFacts): Evidence[] {
  const out: Evidence[] = [];
  const ix = fileIndex(file);
  const usesArrays = importsArrayLibrary(ix.imported);
  for (const fn of file.functions) numericOf(fn, ix, usesArrays, out);
  return out;
}

export const numeric: CodeDetector = {
  id: ID,
  docs: {
    what: 'Scalar float/int maths in loops versus vectorised calls into NumPy, pandas, SciPy, PyTorch or polars, and Python loops that index arrays element by element. Signals: `vectorised-call` (value: whole-array calls into those libraries outside loops), `scalar-math` (value: arithmetic operations plus math.*/cmath.* calls inside loops; from 3 operations or 1 math call), `array-element-loop` (value: subscripts inside loops on names known to hold arrays — bound from or passed to a NumPy-style call, or annotated ndarray/Tensor/DataFrame — and pandas .iloc/.loc/.at/.iat accessors, plus multi-dimensional a[i, j] indexing; reported from 2 accesses).',
    why: 'Vectorised calls already run in C: the module is glue around native code and gains little from Rust. Scalar maths in a Python loop pays the interpreter per element, and element-wise indexing of a NumPy array is slower still (each access builds a NumPy scalar) — that is where Rust pays.',
    example: 'import numpy as np\ndef smooth(a):\n    out = np.empty_like(a)\n    for i in range(1, len(a) - 1):\n        out[i] = (a[i - 1] + a[i] + a[i + 1]) / 3.0\n    return out',
  },
  detect: detectNumeric,
};
