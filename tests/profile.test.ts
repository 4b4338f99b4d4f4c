import { describe, expect, it } from 'vitest';
import { HOT_LOOP_OPS } from '../src/profile.js';
import { profileOf, py } from './helpers.js';

describe('function and module profiles', () => {
  it('aggregates functions: hot functions, their share of lines and the hottest kernel', async () => {
    const p = await profileOf(py`
      import logging

      log = logging.getLogger(__name__)

      def checksum(data: bytes) -> int:
          s1, s2 = 1, 0
          for b in data:
              s1 = (s1 + b) % 65521
              s2 = (s2 + s1) % 65521
          return (s2 << 16) | s1

      def blur(px: list, w: int, h: int) -> list:
          out = [0] * (w * h)
          for y in range(1, h - 1):
              for x in range(1, w - 1):
                  out[y * w + x] = (px[y * w + x - 1] + px[y * w + x] + px[y * w + x + 1]) // 3
          return out

      def report(total):
          log.info("total %s", total)
    `);
    const m = p.module;
    expect(m.functions).toBe(3);
    expect(m.hotFunctions).toEqual(['blur', 'checksum']);
    expect(m.hottestKernel).toMatchObject({ name: 'blur', line: 12, endLine: 17, maxLoopDepth: 2, easyBoundary: true });
    expect(m.hotLines).toBe(6 + 6);
    expect(m.hotLineShare).toBeCloseTo(12 / p.totalLines, 2);
    expect(m.hintCoverage).toBeCloseTo(6 / 8, 2);
    expect(m.signals['scalar-loop']).toBeGreaterThanOrEqual(HOT_LOOP_OPS * 2);
    expect(m.detectors['io-glue']).toBe(1);
    const report = p.functions.find((f) => f.name === 'report')!;
    expect(report.hot).toBe(false);
    expect(report.boundary).toMatchObject({ doesIO: true, easy: false });
    expect(p.functions.find((f) => f.name === 'checksum')).toMatchObject({ kind: 'function', hot: true, loops: 1 });
  });

  it('boundary: a callback inside the loop, module state and **kwargs are obstacles', async () => {
    const p = await profileOf(py`
      from typing import Callable

      CACHE = {}

      def apply_all(items: list, fn: Callable[[int], int]) -> list:
          return [fn(x) for x in items]

      def remember(key, value):
          CACHE.update({key: value})

      def square(x: int) -> int:
          return x * x

      class Grid:
          def cell(self, x: int, y: int, **opts) -> int:
              return x + y
    `);
    const b = (name: string) => p.functions.find((f) => f.name === name)!.boundary;
    expect(b('apply_all')).toMatchObject({ callsBackIntoPython: true, callbacksInLoop: 1, easy: false, hintCoverage: 1 });
    expect(b('remember')).toMatchObject({ mutatesGlobals: true, easy: false, hintCoverage: 0 });
    expect(b('square')).toMatchObject({ easy: true, obstacles: [], hintCoverage: 1 });
    expect(b('Grid.cell').obstacles).toContain('takes **kwargs');
    expect(p.functions.find((f) => f.name === 'Grid.cell')!.kind).toBe('method');
  });

  it('a local object whose attributes are set is not global state', async () => {
    const p = await profileOf(py`
      class Node:
          pass

      def build(value):
          node = make()
          node.value = value
          return node
    `);
    expect(p.functions.find((f) => f.name === 'build')!.boundary.mutatesGlobals).toBe(false);
  });

  it('every evidence record carries a line inside the file', async () => {
    const p = await profileOf(py`
      import threading, struct, ctypes, importlib, argparse

      def worker(buf: bytes):
          pos = 0
          while pos < len(buf):
              (n,) = struct.unpack_from("<I", buf, pos)
              pos += 4 + n

      t = threading.Thread(target=worker, args=(b"",))
      plugin = importlib.import_module("x")

      if __name__ == "__main__":
          argparse.ArgumentParser().parse_args()
    `);
    const detectors = new Set(p.evidence.map((e) => e.detector));
    expect([...detectors].sort()).toEqual(['byte-scanning', 'concurrency', 'dynamic', 'hot-loops', 'io-glue', 'native-bridges']);
    for (const e of p.evidence) {
      expect(e.line, `${e.detector}/${e.signal}`).toBeGreaterThanOrEqual(1);
      expect(e.line).toBeLessThanOrEqual(p.totalLines);
    }
  });
});

describe('profiles of degenerate files', () => {
  it('an empty module has an empty profile', async () => {
    const p = await profileOf('');
    expect(p.module).toMatchObject({ functions: 0, loops: 0, hotFunctions: [], hotLines: 0, hotLineShare: 0, hottestKernel: null, hintCoverage: null });
    expect(p.evidence).toEqual([]);
  });

  it('a file that does not parse still gets located evidence from what parsed', async () => {
    const p = await profileOf(py`
      import struct

      def decode(buf):
          out = []
          for i in range(0, len(buf), 4):
              out.append(struct.unpack("<I", buf[i:i + 4])[0])
          return out

      def broken(:
          pass
    `);
    expect(p.syntaxErrors.length).toBeGreaterThan(0);
    expect(p.evidence.find((e) => e.signal === 'struct-in-loop')).toMatchObject({ line: 6, function: 'decode' });
  });

  it('top-level loops of a script count as hot lines of the module', async () => {
    const p = await profileOf(py`
      import sys
      total = 0
      for line in sys.stdin:
          for ch in line:
              total = (total * 31 + ord(ch)) & 0xFFFFFFFF
      print(total)
    `);
    expect(p.module.hotFunctions).toEqual(['<module>']);
    expect(p.module.hotLines).toBe(3);
    expect(p.module.hottestKernel?.name).toBe('<module>');
  });
});

describe('names that are special in JavaScript', () => {
  it('Python names like __proto__ and constructor are plain names to the facts', async () => {
    const p = await profileOf(py`
      import numpy as np

      def f(constructor, __proto__):
          grid = np.zeros(10)
          for i in range(10):
              grid[i] = constructor[i] + __proto__[i] + constructor[i + 1]
          g(toString=1, __proto__=2)
    `);
    const fn = p.functions.find((x) => x.name === 'f')!;
    expect(fn.loopOps).toBeGreaterThan(0);
    expect(p.evidence.every((e) => Number.isFinite(e.value))).toBe(true);
  });
});
