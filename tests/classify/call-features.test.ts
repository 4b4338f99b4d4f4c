import { describe, expect, it } from 'vitest';
import { candidateFeatures, codeLines, moduleFeatures } from '../../src/classify/features.js';
import { classifyModule } from '../../src/classify/classifier.js';
import { buildImportGraph } from '../../src/link/import-graph.js';
import { profileOf, py } from '../helpers.js';

const DECODER = py`
  from .tables import lookup
  from . import errors
  import struct

  def helper(b):
      return b & 0x7F

  class Decoder:
      def step(self, b):
          return b

      def decode(self, data):
          out = []
          for b in data:
              out.append(helper(b))
              out.append(self.step(b))
              out.append(lookup(b))
              errors.check(b)
              struct.unpack(">B", bytes([b]))
              len(out)
              name = str(b).strip()
          return out
`;

describe('loop call mix: where the calls inside loops go', () => {
  it('splits loop calls into imported heads, own code, builtin-type methods and the rest', async () => {
    const p = await profileOf(DECODER);
    const decode = p.functions.find((f) => f.name === 'Decoder.decode')!;
    // append ×3 and strip are builtin-type methods (strip a str one); helper and self.step are own code;
    // bytes() and str() are other calls; len() is scalar work, not a call
    expect(decode.loopCallMix).toEqual({ imported: { lookup: 1, errors: 1, struct: 1 }, own: 2, builtinMethod: 4, stringMethod: 1, other: 2 });
    expect(decode.loopCalls).toBe(3 + 2 + 4 + 2);
    expect(p.functions.find((f) => f.name === 'helper')!.loopCallMix).toBeUndefined();
  });

  it('splits loop-call density into calls into Python code and builtin-type methods', async () => {
    const p = await profileOf(DECODER);
    const lines = Math.max(codeLines(p.functions), 20);
    const f = moduleFeatures(p, { fanIn: 0, fanOut: 0 });
    expect(f.python_loop_call_density).toBeCloseTo(7 / lines, 6);
    expect(f.builtin_method_density).toBeCloseTo(4 / lines, 6);
  });

  it('counts as calls into the repo only the imports that resolve to scanned modules', async () => {
    const p = await profileOf(DECODER, 'pkg/decoder.py');
    const modules = [
      { path: 'pkg/__init__.py', imports: [] },
      { path: 'pkg/tables.py', imports: [] },
      { path: 'pkg/errors.py', imports: [] },
      { path: 'pkg/decoder.py', imports: p.imports },
    ];
    const graph = buildImportGraph(modules, new Set(['pkg']));
    expect([...graph.repoNames.get('pkg/decoder.py')!].sort()).toEqual(['errors', 'lookup']);
    const lines = Math.max(codeLines(p.functions), 20);
    const f = candidateFeatures(p, { fanIn: 0, fanOut: 2, repoNames: graph.repoNames.get('pkg/decoder.py') });
    expect(f.repo_loop_call_density).toBeCloseTo(2 / lines, 6);
    expect(f.lib_loop_call_density).toBeCloseTo(1 / lines, 6);
    expect(f.own_loop_call_density).toBeCloseTo(2 / lines, 6);
    expect(f.string_method_density).toBeCloseTo(1 / lines, 6);
    // without link facts every import counts as a library
    expect(candidateFeatures(p, { fanIn: 0, fanOut: 0 }).repo_loop_call_density).toBe(0);
  });
});

describe('builtin-type methods in loops: work CPython already does in C', () => {
  const scanner = (body: string): string => py`
    def scan(text, out):
        pos = 0
        n = len(text)
        while pos < n:
            ch = text[pos]
            ${body}
            pos += 1
        return out
  `;

  it('scores a loop built on str/list methods below the same loop doing its own scalar work', async () => {
    const link = { fanIn: 0, fanOut: 0, componentModules: 10 };
    const byHand = classifyModule(await profileOf(scanner('if "a" <= ch <= "z" or ch == "_": out[pos % 8] ^= ord(ch)')), link);
    const viaMethods = classifyModule(await profileOf(scanner('if ch.isalpha() or ch.startswith("_"): out.append(ch.lower())')), link);
    expect(viaMethods.features.builtin_method_density).toBeGreaterThan(0);
    expect(byHand.features.builtin_method_density).toBe(0);
    expect(viaMethods.score).toBeLessThan(byHand.score);
    const reason = viaMethods.reasons.find((r) => r.signal === 'builtin_method_density');
    expect(reason?.function).toBe('scan');
    expect(reason?.line).toBe(1);
    expect(reason?.contribution).toBeLessThan(0);
  });
});

describe('call-overhead shape of classes (candidate features)', () => {
  it('counts data-model protocol methods and tiny methods', async () => {
    const p = await profileOf(py`
      class Proxy:
          __slots__ = ("_obj",)

          def __init__(self, obj):
              self._obj = obj

          def __getattr__(self, name):
              return getattr(self._obj, name)

          def __eq__(self, other):
              return self._obj == other

          def __hash__(self):
              return hash(self._obj)

          def __repr__(self):
              return "Proxy(%r)" % (self._obj,)

          def describe(self):
              kind = type(self._obj).__name__
              size = len(repr(self._obj))
              where = id(self._obj)
              return "%s %d %x" % (kind, size, where)
    `);
    const f = candidateFeatures(p, { fanIn: 0, fanOut: 0 });
    // __getattr__, __eq__, __hash__ are protocol methods; __init__ and __repr__ are not
    expect(f.protocol_share).toBeCloseTo(3 / 6, 6);
    expect(f.tiny_method_share).toBeCloseTo(5 / 6, 6);
  });
});
