import { describe, expect, it } from 'vitest';
import { nativeBridges } from '../../detectors/native-bridges.js';
import { py, run, signals } from '../helpers.js';

describe('native-bridges detector', () => {
  it('sees ctypes: a library loaded, a structure declared, functions typed by hand', async () => {
    const ev = await run(nativeBridges, py`
      import ctypes
      from ctypes import Structure, c_int

      class Point(Structure):
          _fields_ = [("x", c_int), ("y", c_int)]

      lib = ctypes.CDLL("libgeom.so")
      lib.area.restype = ctypes.c_double

      def area(p):
          return lib.area(ctypes.byref(p))
    `);
    expect(signals(ev)).toEqual(['ctypes']);
    expect(ev[0].line).toBe(1);
    expect(ev[0].value).toBe(5); // import, Structure subclass, CDLL, lib.area through the CDLL binding, byref
  });

  it('sees cffi and cython', async () => {
    const ev = await run(nativeBridges, py`
      import cython
      from cffi import FFI

      ffi = FFI()
      ffi.cdef("int add(int, int);")
      C = ffi.dlopen(None)

      @cython.boundscheck(False)
      def total(xs):
          return sum(xs)
    `);
    expect(signals(ev)).toEqual(['cffi', 'cython']);
    expect(ev.find((e) => e.signal === 'cffi')).toMatchObject({ line: 2, value: 4 });
    expect(ev.find((e) => e.signal === 'cython')).toMatchObject({ line: 1, value: 2 });
  });

  it('recognises an accelerator import with a pure-Python fallback', async () => {
    const ev = await run(nativeBridges, py`
      try:
          from ._speedups import escape, unescape
      except ImportError:
          from ._pure import escape

          def unescape(s):
              return s
    `);
    expect(ev).toEqual([expect.objectContaining({ signal: 'optional-native-import', value: 2, line: 1 })]);
  });

  it('does not call an optional dependency set to None an accelerator', async () => {
    const ev = await run(nativeBridges, py`
      try:
          import yaml
      except ImportError:
          yaml = None

      def load(text):
          return yaml.safe_load(text) if yaml else {}
    `);
    expect(ev).toEqual([]);
  });
});

describe('native-bridges: portability fallbacks are not accelerators', () => {
  it('a fallback around a pure-Python standard-library import is not an accelerator', async () => {
    const ev = await run(nativeBridges, py`
      try:
          from gettext import gettext as _
      except ImportError:
          def _(message):
              return message
    `);
    expect(ev).toEqual([]);
  });

  it('a fallback around a C accelerator of the standard library is one', async () => {
    const ev = await run(nativeBridges, py`
      try:
          from _heapq import heappush
      except ImportError:
          def heappush(heap, item):
              heap.append(item)
    `);
    expect(signals(ev)).toEqual(['optional-native-import']);
  });
});
