import { describe, expect, it } from 'vitest';
import type { Tree } from 'web-tree-sitter';
import { callCursor, fastCursor, type WalkCursor } from '../../src/tree-sitter/fast-cursor.js';
import { pythonParser } from '../../src/python/parser.js';
import { py } from '../helpers.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLATTEN_WASM_BASE64 } from '../../src/tree-sitter/flatten-wasm.js';

/** Walks every node in preorder, recording each with `record`, then deletes the cursor. */
function walkAll(c: WalkCursor, record: (c: WalkCursor) => string): string[] {
  const out: string[] = [];
  for (;;) {
    out.push(record(c));
    if (c.gotoFirstChild()) continue;
    for (;;) {
      if (c.gotoNextSibling()) break;
      if (!c.gotoParent()) {
        c.delete();
        return out;
      }
    }
  }
}

/** Every node in walk order with everything the facts walker reads from a cursor. */
function trace(cursor: WalkCursor): string[] {
  return walkAll(cursor, (c) => {
    const s = c.startPosition;
    const e = c.endPosition;
    return [c.nodeType, c.nodeTypeId, c.nodeIsNamed, c.nodeIsMissing, c.currentFieldName ?? '-', c.startIndex, c.endIndex, s.row, s.column, e.row, e.column].join(' ');
  });
}

const SOURCES = {
  clean: py`
    import struct
    from .util import helper as h

    class Packet(Base, metaclass=Meta):
        def decode(self, buf: bytes) -> list[int]:
            out = []
            for i in range(0, len(buf), 2):
                out.append(struct.unpack_from("<H", buf, i)[0] ^ 0xFF)
            return [x * 2 for x in out if x]
  `,
  // Unicode before the code: indices are UTF-16 code units, positions rows/columns.
  unicode: 'π = "ünïcødé ✓"\ndef f(x):\n    return x ** 2  # ✓\n',
  // Syntax errors produce ERROR and MISSING nodes.
  broken: 'def f(:\n    return (1 +\nclass\nx = [1, 2\n',
  // Astral characters (surrogate pairs), aliased keyword pairs, a MISSING block, a comment in an import prefix.
  // Nesting deeper than the cursor's initial frame array (it grows mid-walk).
  deep: `x = ${'['.repeat(150)}1${']'.repeat(150)}\ndef f():\n    return ${'('.repeat(90)}a + b${')'.repeat(90)}\n`,
  tricky: 'from . #c\nfrom . import x\nif a not in b and c is not d: pass\ns = "😀" + f"{x!r:>{w}}"\ndef g():    with y:\n        z\n',
};

/** Like trace, but at every node first peeks at its children and returns, as the facts walker does. */
function traceWithPeeks(cursor: WalkCursor): string[] {
  return walkAll(cursor, (c) => {
    const kids: string[] = [];
    if (c.gotoFirstChild()) {
      do kids.push(`${c.nodeType}:${c.currentFieldName ?? '-'}`);
      while (c.gotoNextSibling());
      c.gotoParent();
    }
    return `${c.nodeType} ${c.startIndex} [${kids.join(' ')}]`;
  });
}

async function withTree<T>(source: string, use: (t: Tree) => T): Promise<T> {
  const parser = await pythonParser();
  const tree = parser.parse(source)!;
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}

describe('fast cursor', () => {
  it('is really the fast one (Wasm memory readable, the language layout recognised)', async () => {
    await withTree('x = 1', (t) => {
      const c = fastCursor(t);
      expect(c.constructor.name).toBe('FlatCursor');
      c.delete();
      const calls = callCursor(t);
      expect(calls.constructor.name).toBe('FastCursor');
      calls.delete();
    });
  });

  for (const [name, source] of Object.entries(SOURCES)) {
    it(`walks ${name} code exactly like web-tree-sitter's TreeCursor`, async () => {
      await withTree(source, (t) => {
        const fast = trace(fastCursor(t));
        const reference = trace(t.walk());
        expect(fast).toEqual(reference);
        expect(trace(callCursor(t))).toEqual(reference);
        expect(traceWithPeeks(fastCursor(t))).toEqual(traceWithPeeks(t.walk()));
        expect(fast.length).toBeGreaterThan(10);
        if (name === 'broken') {
          expect(fast.some((l) => l.startsWith('ERROR '))).toBe(true);
          expect(fast.some((l) => l.split(' ')[3] === 'true')).toBe(true); // a MISSING node
        }
      });
    });
  }

  it('hands currentNode over to the library with the right position, also mid-walk', async () => {
    await withTree(SOURCES.clean, (t) => {
      const c = fastCursor(t);
      const seen: string[] = [];
      for (;;) {
        if (c.nodeType === 'call') seen.push(c.currentNode.text);
        if (c.gotoFirstChild()) continue;
        let done = false;
        for (;;) {
          if (c.gotoNextSibling()) break;
          if (!c.gotoParent()) {
            done = true;
            break;
          }
        }
        if (done) break;
      }
      c.delete();
      expect(seen).toEqual(['range(0, len(buf), 2)', 'len(buf)', 'out.append(struct.unpack_from("<H", buf, i)[0] ^ 0xFF)', 'struct.unpack_from("<H", buf, i)']);
    });
  });

  it('grows its record buffer and frame stack for large, deep trees and still walks them exactly', async () => {
    // > 16,384 visible nodes (the first record buffer) and nesting deeper than the first 256 frames
    const wide = Array.from({ length: 1500 }, (_, i) => `v${i} = f(a[${i}], b.c, *d, k=${i}) + ${i}`).join('\n');
    const deep = `y = ${'['.repeat(400)}0${']'.repeat(400)}\n`;
    for (const source of [wide, deep, wide + '\n' + deep]) {
      await withTree(source, (t) => {
        const fast = trace(fastCursor(t));
        expect(fast).toEqual(trace(t.walk()));
        expect(fast.length).toBeGreaterThan(source === deep ? 800 : 16_384);
      });
    }
  });

  it('refuses to walk on once another tree has been flattened (the records are reused)', async () => {
    const parser = await pythonParser();
    const first = parser.parse('a = 1\n')!;
    const second = parser.parse('b = 2\n')!;
    try {
      const stale = fastCursor(first);
      fastCursor(second);
      expect(() => stale.gotoFirstChild()).toThrow(/another tree/);
    } finally {
      first.delete();
      second.delete();
    }
  });

  const wat2wasm = spawnSync('wat2wasm', ['--version']).status === 0;
  it.skipIf(!wat2wasm && !process.env.CI)('carries exactly the bytes wat2wasm assembles from flatten.wat', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rustscout-wat-'));
    try {
      const out = join(dir, 'flatten.wasm');
      execFileSync('wat2wasm', [join(__dirname, '..', '..', 'src', 'tree-sitter', 'flatten.wat'), '-o', out]);
      expect(readFileSync(out).toString('base64')).toBe(FLATTEN_WASM_BASE64);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
