import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { fnName, importedNames, resolveCallee, rootOf } from './util.js';

const ID = 'numeric';
/** Libraries whose calls run in native code already: calling them is a reason to stay in Python. */
export const VECTORISED_LIBRARIES = new Set(['numpy', 'pandas', 'scipy', 'torch', 'polars', 'jax', 'tensorflow', 'numexpr', 'sklearn', 'cupy', 'dask', 'xarray', 'pyarrow']);
const SCALAR_MATH = new Set(['math', 'cmath']);

export const numeric: CodeDetector = {
  id: ID,
  docs: {
    what: 'Scalar float/int maths in loops (math.* calls, arithmetic on loop variables) versus vectorised calls into NumPy, pandas, SciPy, PyTorch or polars; Python loops that index arrays element by element (a[i, j]).',
    why: 'Vectorised calls already run in C: the module is glue around native code and gains little from Rust. Scalar maths in a Python loop pays the interpreter per element, and element-wise indexing of a NumPy array is slower still (each access builds a NumPy scalar) — that is where Rust pays.',
    example: 'import numpy as np\ndef smooth(a):\n    out = np.empty_like(a)\n    for i in range(1, len(a) - 1):\n        out[i] = (a[i - 1] + a[i] + a[i + 1]) / 3.0\n    return out',
  },
  detect(file: PyFileFacts): Evidence[] {
    const out: Evidence[] = [];
    const imported = importedNames(file);
    const usesArrays = [...imported.values()].some((m) => VECTORISED_LIBRARIES.has(rootOf(m)));
    for (const fn of file.functions) {
      const function_ = fnName(fn);
      let vectorised = 0;
      let firstVectorised = 0;
      let scalarMath = 0;
      let firstScalar = 0;
      for (const call of fn.calls) {
        const root = rootOf(resolveCallee(call, imported));
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
      if (usesArrays && fn.loops.length > 0 && fn.inLoop.subscript >= 2) {
        out.push({
          detector: ID, signal: 'array-element-loop', value: fn.inLoop.subscript + fn.inLoop.tupleIndex, line: fn.loops[0].line, function: function_,
          message: `a Python loop indexes elements one by one (${fn.inLoop.subscript} subscripts${fn.inLoop.tupleIndex ? `, ${fn.inLoop.tupleIndex} multi-dimensional` : ''}) in a module that uses NumPy-style arrays`,
        });
      }
    }
    return out;
  },
};
