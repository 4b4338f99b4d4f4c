import { describe, expect, it } from 'vitest';
import type { Tree } from 'web-tree-sitter';
import { callCursor, fastCursor } from '../../src/tree-sitter/fast-cursor.js';
import { pythonParser } from '../../src/python/parser.js';
import { SOURCES, trace, traceLine, traceWithPeeks, walkAll } from './cursor-traces.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLATTEN_WASM_BASE64 } from '../../src/tree-sitter/flatten-wasm.js';
import { FLAT_LIMITS } from '../../src/tree-sitter/flat-cursor.js';

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

  it('leaves out exactly the anonymous leaf types it is given (never a MISSING one), every other node as before', async () => {
    const punctuation = new Set(['(', ')', '[', ']', ',', ':', '.']);
    for (const source of Object.values(SOURCES)) {
      await withTree(source, (t) => {
        fastCursor(t).delete(); // the first tree of a language is checked against the library's cursor
        const leaveOut = new Uint8Array(t.language.types.length);
        t.language.types.forEach((name, id) => {
          if (name && punctuation.has(name) && !t.language.nodeTypeIsNamed(id)) leaveOut[id] = 1;
        });
        // the library's walk, minus visible anonymous childless non-MISSING nodes of those types
        const kept = walkAll(t.walk(), (c) => {
          const left = !c.nodeIsNamed && !c.nodeIsMissing && leaveOut[c.nodeTypeId] === 1 && c.currentNode.childCount === 0;
          return left ? '' : traceLine(c);
        }).filter((line) => line !== '');
        const lean = trace(fastCursor(t, leaveOut));
        expect(lean).toEqual(kept);
        expect(lean.length).toBeLessThan(trace(fastCursor(t)).length);
        if (source === SOURCES.broken) expect(lean.some((l) => l.split(' ')[3] === 'true')).toBe(true); // MISSING kept
      });
    }
  });

  it('hands currentNode over to the library with the right position, also mid-walk', async () => {
    await withTree(SOURCES.clean, (t) => {
      const seen: string[] = [];
      walkAll(fastCursor(t), (c) => {
        if (c.nodeType === 'call') seen.push(c.currentNode.text);
        return '';
      });
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

  it('walks a tree too large to copy from its structs instead, exactly the same, with no records', async () => {
    const limit = FLAT_LIMITS.wholeTreeRecords;
    FLAT_LIMITS.wholeTreeRecords = 20; // every SOURCE has more visible nodes; `x = 1` fewer
    try {
      for (const source of Object.values(SOURCES)) {
        await withTree(source, (t) => {
          const c = fastCursor(t);
          expect(c.constructor.name).toBe('SubtreeCursor');
          expect(trace(c)).toEqual(trace(t.walk()));
          expect(traceWithPeeks(fastCursor(t))).toEqual(traceWithPeeks(t.walk()));
        });
      }
      await withTree('x = 1\n', (t) => expect(fastCursor(t).constructor.name).toBe('FlatCursor'));
    } finally {
      FLAT_LIMITS.wholeTreeRecords = limit;
    }
  });

  // each case parses a larger tree than the last, so that each grows the memory again
  for (const [name, limit, lines] of [['FlatCursor', 1 << 18, 300_000], ['SubtreeCursor', 20, 700_000]] as const) {
    it(`${name} walks on exactly after WebAssembly memory grew under it (a large parse mid-walk)`, async () => {
      const parser = await pythonParser();
      const saved = FLAT_LIMITS.wholeTreeRecords;
      FLAT_LIMITS.wholeTreeRecords = limit;
      try {
        await withTree(SOURCES.tricky, (t) => {
          const reference = trace(t.walk());
          const c = fastCursor(t);
          expect(c.constructor.name).toBe(name);
          let visited = 0;
          let endAfterGrowth = '';
          const seen = walkAll(c, (at) => {
            if (++visited === 5) {
              // a tree far larger than the Wasm memory so far: the heap grows and its old views detach
              parser.parse('a = 1\n'.repeat(lines))!.delete();
              const e = at.endPosition; // the first read after the growth
              endAfterGrowth = `${e.row} ${e.column}`;
            }
            return traceLine(at);
          });
          expect(endAfterGrowth).toBe(seen[4].split(' ').slice(-2).join(' '));
          expect(seen).toEqual(reference);
        });
      } finally {
        FLAT_LIMITS.wholeTreeRecords = saved;
      }
    });
  }

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
  // .ci/run installs wabt; without wat2wasm (a machine that never installed it) there is nothing to compare with
  it.skipIf(!wat2wasm)('carries exactly the bytes wat2wasm assembles from flatten.wat', () => {
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
