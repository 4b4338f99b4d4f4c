/**
 * What both direct cursors (flat-cursor.ts, subtree-cursor.ts) read or build the same way from a
 * node's `Subtree` slot in WebAssembly memory (lib/subtree.h, wasm32): its end position, and the
 * library Node that ts_tree_cursor_current_node would return.
 */
import type { Node, Point, Tree } from 'web-tree-sitter';

/** The end of the node in `slot` that starts at `row`, `colBytes` (tree-sitter counts columns in bytes of UTF-16). */
export function endPositionOf(i32: Int32Array, u8: Uint8Array, slot: number, row: number, colBytes: number): Point {
  const lo = i32[slot >> 2];
  let sizeRows = 0;
  let sizeCols: number;
  if (lo & 1) sizeCols = u8[slot + 7];
  else {
    const p = lo >>> 0;
    sizeRows = i32[(p + 20) >> 2];
    sizeCols = i32[(p + 24) >> 2];
  }
  return sizeRows > 0 ? { row: row + sizeRows, column: sizeCols >>> 1 } : { row, column: (colBytes + sizeCols) >>> 1 };
}

/** A library Node (its prototype taken from any Node of the tree) for the node in `slot`, as the library's cursor builds it. */
export function libraryNode(nodeProto: object, tree: Tree, slot: number, alias: number, startBytes: number, row: number, colBytes: number): Node {
  const node = Object.create(nodeProto) as Record<string | number, unknown>;
  node[0] = alias;
  node._children = undefined;
  node._namedChildren = undefined;
  node.id = slot;
  node.tree = tree;
  node.startIndex = startBytes >>> 1;
  node.startPosition = { row, column: colBytes >>> 1 };
  return node as unknown as Node;
}
