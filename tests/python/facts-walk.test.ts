import { describe, expect, it } from 'vitest';
import { factsOf } from '../../src/profile.js';
import { py } from '../helpers.js';

// The facts walker reads imports, parameters, keyword arguments and docstrings with the cursor alone;
// these pin what it reads on the forms that exercise fields, hidden nodes and error recovery.

describe('facts walker', () => {
  it('reads every import form, with levels, aliases, wildcards and the enclosing try', async () => {
    const facts = await factsOf(py`
      import os.path, json as j
      from .. import sibling as s, other
      from .pkg.mod import (a, b as c)
      try:
          from numpy import *
      except ImportError:
          pass
      def f():
          import struct
    `);
    expect(facts.imports).toEqual([
      { module: 'os.path', names: [], bound: ['os'], level: 0, line: 1, inFunction: false },
      { module: 'json', names: [], bound: ['j'], level: 0, line: 1, inFunction: false },
      { module: '', names: ['sibling', 'other'], bound: ['s', 'other'], level: 2, line: 2, inFunction: false },
      { module: 'pkg.mod', names: ['a', 'b'], bound: ['a', 'c'], level: 1, line: 3, inFunction: false },
      { module: 'numpy', names: ['*'], bound: [], level: 0, line: 5, inFunction: false, tryLine: 4 },
      { module: 'struct', names: [], bound: ['struct'], level: 0, line: 9, inFunction: true },
    ]);
    expect(facts.tries).toEqual([{ line: 4, endLine: 7, handlerLine: 6, catchesImportError: true }]);
  });

  it('reads parameters of every kind, async, decorators and the return hint', async () => {
    const facts = await factsOf(py`
      @cache
      async def fetch(self, url: str, retries=3, *args, timeout: float = 1.5, **opts) -> bytes:
          """Fetch it."""
          return b""
      def g(*, key, **kw): pass
    `);
    const fetch = facts.functions.find((f) => f.name === 'fetch')!;
    expect(fetch.isAsync).toBe(true);
    expect(fetch.decorators).toEqual(['cache']);
    expect(fetch.returns).toBe('bytes');
    expect(fetch.params).toEqual([
      { name: 'self', kind: 'plain' },
      { name: 'url', annotation: 'str', kind: 'plain' },
      { name: 'retries', kind: 'plain' },
      { name: 'args', kind: 'args' },
      { name: 'timeout', annotation: 'float', kind: 'plain' },
      { name: 'opts', kind: 'kwargs' },
    ]);
    const g = facts.functions.find((f) => f.name === 'g')!;
    expect(g.isAsync).toBe(false);
    expect(g.returns).toBeUndefined();
    expect(g.params).toEqual([{ name: 'key', kind: 'plain' }, { name: 'kw', kind: 'kwargs' }]);
    expect(facts.docstringLines).toBe(1);
  });

  it('reads call arguments, keyword values and counts operators by their parent', async () => {
    const facts = await factsOf(py`
      def k(buf, n):
          total = 0
          for i in range(n):
              total += buf[i + 1] ^ -n
              spawn(worker, i, target=run, daemon=True, **extra)
          return total
    `);
    const k = facts.functions.find((f) => f.name === 'k')!;
    const spawn = k.calls.find((c) => c.name === 'spawn')!;
    expect(spawn).toMatchObject({ args: 2, firstArg: 'worker', secondArg: 'i', keywords: ['target', 'daemon'], hasKwargsSplat: true, loopDepth: 1 });
    expect(spawn.kwargValues).toEqual({ target: 'run', daemon: 'True' });
    // `+` inside the index (arith, indexArith), `^` (bitops), unary `-` (arith), `+=` (augassign and arith)
    expect(k.inLoop).toMatchObject({ arith: 3, bitops: 1, augassign: 1, indexArith: 1, subscript: 1, calls: 2 });
    expect(k.indexedInLoop).toEqual({ buf: 1 });
  });

  it('reports the line of a MISSING block and keeps comments hidden inside an import prefix', async () => {
    const facts = await factsOf('from . # rustscout: keep-python\nfrom . import x\ndef g():    with y:\n        z\n');
    expect(facts.syntaxErrors).toContain(3);
    expect(facts.directives).toEqual([{ line: 1, text: 'keep-python' }]);
  });
});
