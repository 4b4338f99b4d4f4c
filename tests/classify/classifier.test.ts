import { describe, expect, it } from 'vitest';
import { CANDIDATE_LOGIT, classifyModule, confidenceOf, kernelsOf, logitOf } from '../../src/classify/classifier.js';
import { codeLines, moduleFeatures } from '../../src/classify/features.js';
import { BIAS, FEATURES, SERVICE_FEATURES, THRESHOLDS } from '../../src/classify/weights.js';
import { profileOf, py } from '../helpers.js';

const KERNEL = py`
  def crc32(data: bytes, crc: int = 0) -> int:
      crc ^= 0xFFFFFFFF
      for b in data:
          crc ^= b
          for _ in range(8):
              if crc & 1:
                  crc = (crc >> 1) ^ 0xEDB88320
              else:
                  crc >>= 1
      return crc ^ 0xFFFFFFFF

  def scan_number(text: str, pos: int) -> int:
      end = pos
      n = len(text)
      while end < n and ("0" <= text[end] <= "9" or text[end] == "."):
          end += 1
      return end

  def describe(value):
      return "crc=%08x" % value
`;

const GLUE = py`
  import json
  import logging
  import os
  import subprocess

  log = logging.getLogger(__name__)

  def load(path):
      with open(path) as f:
          return json.load(f)

  def save(path, data):
      with open(path, "w") as f:
          json.dump(data, f)
      log.info("saved %s", path)

  def build(target):
      log.info("building %s", target)
      return subprocess.run(["make", target], check=False).returncode

  def workdir():
      return os.getcwd()
`;

const PLUMBING = py`
  class Config:
      def __init__(self, name):
          self.name = name

  class Registry:
      def __init__(self):
          self.items = {}

      def add(self, item):
          self.items[item.name] = item

  class Plugin:
      def __init__(self, name, registry):
          self.name = name
          registry.add(self)
`;

const SERVER = py`
      import socket
      import struct
      import threading

      def serve(port):
          srv = socket.socket()
          srv.bind(("0.0.0.0", port))
          srv.listen()
          while True:
              conn, _ = srv.accept()
              threading.Thread(target=handle, args=(conn,)).start()

      def handle(conn):
          while True:
              head = conn.recv(4)
              if len(head) < 4:
                  return
              (n,) = struct.unpack(">I", head)
              conn.sendall(struct.pack(">I", n))

      if __name__ == "__main__":
          serve(9000)
    `;

const LINK = { fanIn: 0, fanOut: 0, componentModules: 10 };

describe('classifier: verdicts from code structure', () => {
  it('flags a scalar kernel module and ranks its kernels first, with their boundary', async () => {
    const c = classifyModule(await profileOf(KERNEL), LINK);
    expect(c.verdict).toBe('pyo3-extension');
    expect(c.score).toBeGreaterThanOrEqual(THRESHOLDS.candidate);
    expect(c.functions.map((f) => f.name).slice(0, 2).sort()).toEqual(['crc32', 'scan_number']);
    const kernels = kernelsOf(c.functions).map((f) => f.name);
    expect(kernels).toContain('crc32');
    expect(kernels).not.toContain('describe');
    const crc = c.functions.find((f) => f.name === 'crc32')!;
    expect(crc.boundary?.params.map((p) => p.annotation)).toEqual(['bytes', 'int']);
    expect(crc.boundary?.returns).toBe('int');
    expect([crc.line, crc.endLine]).toEqual([1, 10]);
    const kernelReason = c.reasons[0];
    expect(kernelReason.signal).toBe('kernel-functions');
    expect(kernelReason.message).toMatch(/crc32 \(lines 1–10, score \d+\) \(data: bytes, crc: int\) -> int/);
    expect(c.reasons.find((r) => r.signal === 'scalar_density' && r.function === 'crc32')?.line).toBe(1);
  });

  it('says so when the module is a candidate as a whole and no function is a kernel on its own', async () => {
    let source = '';
    for (let i = 0; i < 40; i++) source += `def step${i}(state, value):\n    if value > ${i}:\n        state.total = state.total + value - ${i}\n    elif value < -${i}:\n        state.total -= value * 2\n    state.count = state.count + 1\n    return state.total % 97\n\n`;
    const c = classifyModule(await profileOf(source), { fanIn: 30, fanOut: 0, componentModules: 40 });
    expect(c.verdict).toBe('pyo3-extension');
    expect(Math.max(...c.functions.map((f) => f.score))).toBeLessThan(THRESHOLDS.kernel);
    expect(c.reasons[0].signal).toBe('kernel-functions');
    expect(c.reasons[0].message).toMatch(/^no function scores as a kernel on its own \(37\+; the best: step\d+ \(lines/);
    expect(c.reasons[0].message).not.toMatch(/^extract/);
  });

  it('keeps I/O glue in Python and says the I/O is why', async () => {
    const c = classifyModule(await profileOf(GLUE), LINK);
    expect(c.verdict).toBe('keep-python');
    expect(c.contributions.io_share).toBeLessThan(0);
    expect(c.reasons[0].contribution).toBeLessThan(0);
    expect(c.reasons.filter((r) => r.signal === 'io_share').map((r) => r.function).sort()).toEqual(['build', 'load', 'save']);
  });

  it('keeps class plumbing in Python', async () => {
    const c = classifyModule(await profileOf(PLUMBING), LINK);
    expect(c.verdict).toBe('keep-python');
    expect(c.contributions.class_density).toBeLessThan(-1);
  });

  it('moves a standalone socket server to Rust and says why it can stand alone', async () => {
    const p = await profileOf(SERVER);
    const c = classifyModule(p, { fanIn: 0, fanOut: 0, componentModules: 3 });
    expect(c.verdict).toBe('move-to-rust');
    const standalone = c.reasons.find((r) => r.signal === 'standalone');
    expect(standalone?.message).toMatch(/owns its server/);
    expect(standalone?.message).toMatch(/no module of the repo imports it/);
    // imported by most of the repo, it is a library, not a program
    expect(classifyModule(p, { fanIn: 30, fanOut: 0, componentModules: 40 }).verdict).not.toBe('move-to-rust');
    // without an entry point it does not run as a program either: a library that wraps sockets
    const library = await profileOf(SERVER.replace(/\nif __name__ == "__main__":\n    serve\(9000\)\n?$/, '\n'));
    expect(library.mainGuardLine).toBeNull();
    expect(classifyModule(library, { fanIn: 0, fanOut: 0, componentModules: 3 }).verdict).not.toBe('move-to-rust');
  });
});

describe('classifier: features', () => {
  it('reads structure, never names, comments or docstrings', async () => {
    const renamed = KERNEL.replace(/crc32/g, 'zz_a').replace(/scan_number/g, 'zz_b').replace(/describe/g, 'zz_c');
    const documented = KERNEL.replace(/^(def .*:)$/gm, '$1\n    """Hot path: rewrite this in Rust, numpy, socket, fast."""  # kernel crc');
    const base = classifyModule(await profileOf(KERNEL, 'pkg/crc.py'), LINK);
    for (const [src, path] of [[renamed, 'other/name_that_says_views.py'], [documented, 'pkg/crc.py']] as const) {
      const c = classifyModule(await profileOf(src, path), LINK);
      expect(c.score, path).toBe(base.score);
      expect(c.features.scalar_density).toBeCloseTo(base.features.scalar_density, 6);
    }
  });

  it('measures coupling as the share of imports that point into the repo, and fan-in against the component', async () => {
    const p = await profileOf(py`
      import os
      from . import models
      from .util import helper

      def f(x):
          return helper(x) + 1
    `);
    expect(moduleFeatures(p, { fanIn: 0, fanOut: 2, componentModules: 4 }).coupling).toBeCloseTo(2 / 3, 6);
    expect(moduleFeatures(p, { fanIn: 0, fanOut: 0, componentModules: 4 }).coupling).toBe(0);
    expect(moduleFeatures(p, { fanIn: 2, fanOut: 0, componentModules: 4 }).fan_in_share).toBeCloseTo(Math.log2(51), 6);
    expect(moduleFeatures(p, { fanIn: 2, fanOut: 0, componentModules: 200 }).fan_in_share).toBeCloseTo(Math.log2(2), 6);
  });

  it('counts lines of function bodies once, nested functions included, docstrings and comments not', async () => {
    const p = await profileOf(py`
      """Module docstring."""
      X = [1, 2, 3]

      def outer(a):
          """Two-line
          docstring."""
          # a comment

          def inner(b):
              return b + 1
          return inner(a)

      class K:
          "class docstring"
          def m(self):
              return 1
    `);
    expect(codeLines(p.functions)).toBe(4 + 2);
    expect(p.metrics.docstringLines).toBe(4);
  });

  it('logit = bias + Σ weight × value, and every weight is documented', async () => {
    const c = classifyModule(await profileOf(KERNEL), LINK);
    const { logit } = logitOf(c.features);
    const sum = BIAS + Object.entries(c.features).reduce((s, [k, v]) => s + (FEATURES[k]?.weight ?? 0) * v, 0);
    expect(logit).toBeCloseTo(sum, 9);
    for (const [name, spec] of Object.entries(FEATURES)) {
      expect(Number.isFinite(spec.weight), name).toBe(true);
      expect(spec.why.length, name).toBeGreaterThan(20);
    }
    const produced = Object.keys(c.features);
    for (const name of [...Object.keys(FEATURES), ...Object.keys(SERVICE_FEATURES)]) expect(produced, name).toContain(name);
  });
});

describe('classifier: confidence', () => {
  it('is high when the signals agree and a flagged module is big enough, low when tiny or conflicting', async () => {
    const kernel = classifyModule(await profileOf(KERNEL), LINK);
    const tiny = classifyModule(await profileOf(py`
      def f(a, b):
          return a ^ b
    `), LINK);
    expect(tiny.verdict).toBe('keep-python');
    // the same margin and agreement flagged: a tiny module is marked down, a big one is not
    expect(confidenceOf(CANDIDATE_LOGIT + 3, { a: 3 }, 5, true)).toBeLessThan(confidenceOf(CANDIDATE_LOGIT + 3, { a: 3 }, 200, true) - 0.3);
    expect(kernel.confidence).toBeGreaterThan(confidenceOf(kernel.logit, kernel.contributions, 5, true));
    // kept in Python, a tiny module is the safe call: its size does not mark the verdict down
    expect(confidenceOf(CANDIDATE_LOGIT - 3, { a: -3 }, 5, false)).toBe(confidenceOf(CANDIDATE_LOGIT - 3, { a: -3 }, 200, false));
    expect(tiny.confidence).toBeGreaterThan(0.5);
    // same margin and size, but the weighed signals pull both ways
    expect(confidenceOf(CANDIDATE_LOGIT + 2, { a: 2 }, 80, true)).toBeGreaterThan(confidenceOf(CANDIDATE_LOGIT + 2, { a: 6, b: -4 }, 80, true));
    // a verdict right at the threshold is never confident
    expect(confidenceOf(CANDIDATE_LOGIT + 0.05, { a: 3 }, 200, true)).toBeLessThan(0.5);
    expect(confidenceOf(CANDIDATE_LOGIT + 6, { a: 6 }, 200, true)).toBeGreaterThan(0.9);
  });
});
