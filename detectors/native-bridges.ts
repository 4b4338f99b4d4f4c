import type { ImportFact, TryFact } from '../src/python/facts.js';
import { STDLIB_MODULES } from '../src/link/stdlib-modules.js';
import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { evidence, fileIndex, fnName, resolveName, rootOf } from './util.js';

const ID = 'native-bridges';

const FFI_ROOTS = new Map<string, 'ctypes' | 'cffi' | 'cython'>([['ctypes', 'ctypes'], ['cffi', 'cffi'], ['_cffi_backend', 'cffi'], ['cython', 'cython'], ['Cython', 'cython'], ['pyximport', 'cython']]);
const MESSAGE: Record<'ctypes' | 'cffi' | 'cython', string> = {
  ctypes: 'calls C through ctypes (libraries loaded, structures declared, functions typed by hand)',
  cffi: 'calls C through cffi (cdef/dlopen or an out-of-line ffi module)',
  cython: 'is written for Cython (cython imports, pyximport, cython decorators)',
};

/**
 * A pure-Python standard-library module is always there: a try/except around it is a portability
 * fallback, not an accelerator. CPython's C accelerators (`_decimal`, `_json`, `_heapq`) are the
 * underscore-named part of the standard library.
 */
function mayBeCompiled(imp: ImportFact): boolean {
  const top = imp.module.split('.')[0];
  return imp.level > 0 || !STDLIB_MODULES.has(top) || top.startsWith('_');
}

/** Names bound by the imports of a line range. */
function boundIn(imports: ImportFact[], from: number, to: number): Set<string> {
  const out = new Set<string>();
  for (const imp of imports) if (imp.line >= from && imp.line <= to) for (const b of imp.bound) out.add(b);
  return out;
}

/**
 * `try: from ._speedups import f` / `except ImportError: from ._pure import f` (or `def f` in the
 * handler): the accelerator pattern — the same names bound by an optional native import and a
 * Python fallback. An optional dependency set to None in the handler is not this pattern.
 */
function acceleratorTries(file: PyFileFacts): { tryFact: TryFact; names: string[] }[] {
  const out: { tryFact: TryFact; names: string[] }[] = [];
  let compiled: ImportFact[] | undefined;
  for (const t of file.tries) {
    if (!t.catchesImportError || !t.handlerLine) continue;
    compiled ??= file.imports.filter(mayBeCompiled);
    const optional = boundIn(compiled, t.line, t.handlerLine - 1);
    if (optional.size === 0) continue;
    const fallback = boundIn(file.imports, t.handlerLine, t.endLine);
    for (const fn of file.functions) if (fn.line >= t.handlerLine && fn.line <= t.endLine) fallback.add(fn.name);
    for (const c of file.classes) if (c.line >= t.handlerLine && c.line <= t.endLine) fallback.add(c.name);
    const names = [...optional].filter((n) => fallback.has(n));
    if (names.length) out.push({ tryFact: t, names });
  }
  return out;
}

export const nativeBridges: CodeDetector = {
  id: ID,
  docs: {
    what: 'Native code the module already reaches. Signals: `ctypes`, `cffi`, `cython` (value: call sites into the library — CDLL/LoadLibrary/Structure classes, FFI().cdef/dlopen, cython decorators and pyximport — plus 1 for the import; line: the import), `optional-native-import` (value: names imported in a `try` whose `except ImportError` branch imports or defines the same names — the accelerator-with-pure-Python-fallback pattern; line: the try). setuptools-rust, maturin and ext_modules are read from manifests.',
    why: 'A module that already calls C by hand (ctypes/cffi) or is compiled with Cython has paid for a native boundary: a PyO3 extension can replace it with checked types and no manual memory layout. A module with an optional accelerator import already has a native twin, so flagging its pure-Python fallback again would be noise.',
    example: 'try:\n    from ._speedups import escape\nexcept ImportError:\n    from ._native import escape  # or: def escape(s): ...',
  },
  detect: function detectNativeBridges(file: PyFileFacts): Evidence[] {
    const out: Evidence[] = [];
    const ix = fileIndex(file);
    const imported = ix.imported;
    const found = new Map<'ctypes' | 'cffi' | 'cython', { count: number; line: number; function?: string }>();
    for (const imp of file.imports) {
      const kind = FFI_ROOTS.get(rootOf(imp.module));
      if (!kind || imp.level > 0) continue;
      const f = found.get(kind);
      if (!f) found.set(kind, { count: 1, line: imp.line });
      else if (imp.line < f.line) f.line = imp.line;
    }
    if (found.size > 0) {
      for (const fn of file.functions) {
        for (const { root, made } of ix.callsOf(fn)) {
          let kind = FFI_ROOTS.get(root);
          if (!kind && made) kind = FFI_ROOTS.get(rootOf(made));
          const f = kind && found.get(kind);
          if (f) {
            f.count++;
            f.function ??= fnName(fn);
          }
        }
        for (const d of fn.decorators) {
          if (d.includes('(')) continue; // a call: counted with the calls above
          const f = FFI_ROOTS.get(rootOf(resolveName(d, imported))) === 'cython' ? found.get('cython') : undefined;
          if (f) f.count++;
        }
      }
      for (const cls of file.classes) {
        const f = cls.bases.some((b) => /^ctypes\.(Structure|Union|BigEndianStructure|LittleEndianStructure)$/.test(resolveName(b, imported))) ? found.get('ctypes') : undefined;
        if (f) f.count++;
      }
      for (const [kind, f] of found) {
        out.push(evidence(ID, kind, f.count, f.line, undefined, `${MESSAGE[kind]}: ${f.count} site(s)`));
      }
    }
    for (const { tryFact, names } of acceleratorTries(file)) {
      out.push(evidence(ID, 'optional-native-import', names.length, tryFact.line, undefined, `imports ${names.slice(0, 3).join(', ')} optionally with a Python fallback under \`except ImportError\`: an accelerator already exists`));
    }
    return out;
  },
};
