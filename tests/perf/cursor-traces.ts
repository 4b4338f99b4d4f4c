/** Cursor traces shared by the cursor tests: every node a walk visits, with everything the facts walker reads. */
import type { WalkCursor } from '../../src/tree-sitter/fast-cursor.js';
import { py } from '../helpers.js';

/** Walks every node in preorder, recording each with `record`, then deletes the cursor. */
export function walkAll(c: WalkCursor, record: (c: WalkCursor) => string): string[] {
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

/** Everything the facts walker reads from a cursor about its current node, as one line. */
export function traceLine(c: WalkCursor): string {
  const s = c.startPosition;
  const e = c.endPosition;
  return [c.nodeType, c.nodeTypeId, c.nodeIsNamed, c.nodeIsMissing, c.currentFieldName ?? '-', c.startIndex, c.endIndex, s.row, s.column, e.row, e.column].join(' ');
}

/** Every node in walk order with everything the facts walker reads from a cursor. */
export function trace(cursor: WalkCursor): string[] {
  return walkAll(cursor, traceLine);
}

export const SOURCES = {
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
export function traceWithPeeks(cursor: WalkCursor): string[] {
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
