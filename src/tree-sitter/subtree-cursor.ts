/**
 * A tree cursor that walks tree-sitter's subtrees straight out of WebAssembly memory from
 * JavaScript, one typed-array load at a time: the cursor for trees too large for the flat cursor's
 * record buffer (flat-cursor.ts), whose walk it mirrors step by step. It is a port of tree-sitter's
 * own cursor (lib/tree_cursor.c: goto_first_child, goto_next_sibling, goto_parent,
 * current_field_id, current_node) onto the structs it reads (lib/subtree.h, wasm32, ABI 14/15), so
 * it visits the same nodes in the same order with the same types, flags, fields and positions as
 * the library's cursor, and needs no memory beyond its frames.
 */
import type { Node, Point, Tree } from 'web-tree-sitter';
import { languageTables, type HeapViews, type LanguageTables } from './language-tables.js';
import { endPositionOf, libraryNode } from './subtree-reads.js';

const INITIAL_DEPTH = 64;

/**
 * A frame's words in the cursor's one frame array (frame k starts at k * FRAME): the address of its
 * `Subtree` slot, its start (UTF-16 bytes, row, byte column), its index among its parent's
 * structural children, its alias, its kind, then its child iterator (the next child's index,
 * structural index and start). The kind word packs what the walker asks of every node, read from
 * the subtree while advance() has it in cache: bit 0 visible, bit 1 extra, bit 2 named, bit 3
 * missing, bits 8 and up the public type id.
 */
const enum F {
  Slot, Bytes, Rows, Cols, Struct, Alias, Kind, ItIndex, ItStruct, ItBytes, ItRows, ItCols,
}
const FRAME = 12;

/**
 * The cursor. Frame k is one subtree on the path from the root, visible or hidden (tree-sitter
 * flattens hidden ones into their parent): the address of its `Subtree` slot, its start (UTF-16
 * bytes, row, byte column), its index among its parent's structural (non-extra) children, its
 * alias, whether it is visible or extra; and an iterator over its own children (the next child's
 * index, structural index and start). Keeping each parent's iterator on the stack makes a step to
 * the next sibling continue where the parent left off instead of re-scanning it as the C cursor
 * does; the nodes, their order and every answer are the C cursor's. The frames live in one
 * Int32Array (see F), so a step touches one array and one cache line or two per frame.
 */
export class SubtreeCursor {
  private u8: Uint8Array;
  private u16: Uint16Array;
  private i32: Int32Array;
  /*
   * The fields below are declared without initialisers and assigned in the constructor: a class
   * field initialiser makes V8 track the field as constant, and the first store of another value
   * (grow() replacing the frame array on the first deep tree) then throws away every optimised
   * function that read it, walker included, in the middle of a scan.
   */
  /** Frames in use; the top one (depth-1) is always a visible node. */
  private depth: number;
  /** The frames, FRAME words each (see F). */
  private f: Int32Array;
  private readonly publicSymbol: Uint16Array;
  private readonly namedSymbol: Uint8Array;
  private readonly aliases: Uint16Array;
  private readonly maxAliasLength: number;
  private readonly fieldAt: Uint16Array;
  private readonly fieldStride: number;
  private readonly fields: (string | null)[];
  private readonly types: (string | null)[];

  constructor(private readonly heap: HeapViews, tables: LanguageTables, private readonly tree: Tree, private readonly nodeProto: object) {
    this.u8 = heap.HEAPU8;
    this.u16 = heap.HEAPU16;
    this.i32 = heap.HEAP32;
    this.depth = 1;
    this.f = new Int32Array(INITIAL_DEPTH * FRAME);
    this.publicSymbol = tables.publicSymbol;
    this.namedSymbol = tables.namedSymbol;
    this.aliases = tables.aliases;
    this.maxAliasLength = tables.maxAliasLength;
    this.fieldAt = tables.fieldAt;
    this.fieldStride = tables.fieldStride;
    this.fields = tables.fields;
    this.types = tables.types;
    const root = (tree as unknown as Record<0, number>)[0];
    // ts_tree_root_node: the root slot is the tree's first field; its start is its padding.
    const f = this.f;
    f[F.Slot] = root;
    const lo = this.i32[root >> 2];
    if (lo & 1) {
      f[F.Bytes] = this.u8[root + 6];
      f[F.Rows] = this.u8[root + 5] & 15;
      f[F.Cols] = this.u8[root + 4];
      const fl = this.u8[root];
      f[F.Kind] = 1 | (fl & 4) | ((fl >> 2) & 8) | (this.publicSymbol[this.u8[root + 1]] << 8);
    } else {
      const p = lo >>> 0;
      f[F.Bytes] = this.i32[(p + 4) >> 2];
      f[F.Rows] = this.i32[(p + 8) >> 2];
      f[F.Cols] = this.i32[(p + 12) >> 2];
      const fl = this.u16[(p + 44) >> 1];
      f[F.Kind] = 1 | ((fl << 1) & 4) | ((fl >> 6) & 8) | (this.publicSymbol[this.u16[(p + 40) >> 1]] << 8);
    }
  }

  /** Wasm memory growth (any library call that allocates) detaches the views: take the module's new ones. */
  private fresh(): void {
    if (this.i32.length === 0) {
      this.u8 = this.heap.HEAPU8;
      this.u16 = this.heap.HEAPU16;
      this.i32 = this.heap.HEAP32;
    }
  }

  private grow(): void {
    const f = new Int32Array(this.f.length * 2);
    f.set(this.f);
    this.f = f;
  }

  /** Points frame k's child iterator at its first child. */
  private rewind(k: number): void {
    const f = this.f;
    const b = k * FRAME;
    f[b + F.ItIndex] = 0;
    f[b + F.ItStruct] = 0;
    f[b + F.ItBytes] = f[b + F.Bytes];
    f[b + F.ItRows] = f[b + F.Rows];
    f[b + F.ItCols] = f[b + F.Cols];
  }

  /**
   * Advances frame k's child iterator to the next child that is visible (pushed as frame k+1,
   * returns 1) or hidden with visible children (pushed, returns 2); 0 when its children are done.
   * This is ts_tree_cursor_child_iterator_next plus the visibility test of the goto_* loops.
   */
  private advance(k: number): number {
    const u8 = this.u8;
    const u16 = this.u16;
    const i32 = this.i32;
    let f = this.f;
    const b = k * FRAME;
    const lo = i32[f[b + F.Slot] >> 2];
    if (lo & 1) return 0;
    const p = lo >>> 0;
    const count = i32[(p + 36) >> 2];
    let i = f[b + F.ItIndex];
    if (i >= count) return 0;
    const production = u16[(p + 66) >> 1];
    const aliasBase = production ? production * this.maxAliasLength : -1;
    const first = p - count * 8;
    let structural = f[b + F.ItStruct];
    let bytes = f[b + F.ItBytes];
    let row = f[b + F.ItRows];
    let col = f[b + F.ItCols];
    let found = 0;
    while (found === 0 && i < count) {
      const c = first + i * 8;
      const clo = i32[c >> 2];
      let visible: number;
      let extra: number;
      /** bit 2 named, bit 3 missing (the kind word's). */
      let marks: number;
      let symbol: number;
      let visibleChildren: number;
      let sizeBytes: number;
      let sizeRows: number;
      let sizeCols: number;
      if (clo & 1) {
        const fl = u8[c];
        visible = (fl >> 1) & 1;
        extra = (fl >> 3) & 1;
        marks = (fl & 4) | ((fl >> 2) & 8);
        symbol = u8[c + 1];
        visibleChildren = 0;
        sizeBytes = u8[c + 7];
        sizeRows = 0;
        sizeCols = sizeBytes;
      } else {
        const q = clo >>> 0;
        const fl = u16[(q + 44) >> 1];
        visible = fl & 1;
        extra = (fl >> 2) & 1;
        marks = ((fl << 1) & 4) | ((fl >> 6) & 8);
        symbol = u16[(q + 40) >> 1];
        visibleChildren = i32[(q + 36) >> 2] > 0 ? i32[(q + 48) >> 2] : 0;
        sizeBytes = i32[(q + 16) >> 2];
        sizeRows = i32[(q + 20) >> 2];
        sizeCols = i32[(q + 24) >> 2];
      }
      let aliasSymbol = 0;
      const childStructural = structural;
      if (extra === 0) {
        if (aliasBase >= 0) {
          aliasSymbol = this.aliases[aliasBase + structural];
          if (aliasSymbol) visible = 1;
        }
        structural++;
      }
      if (visible || visibleChildren > 0) {
        const d = b + FRAME;
        if (d + FRAME > f.length) {
          this.grow();
          f = this.f;
        }
        f[d + F.Slot] = c;
        f[d + F.Bytes] = bytes;
        f[d + F.Rows] = row;
        f[d + F.Cols] = col;
        f[d + F.Struct] = childStructural;
        f[d + F.Alias] = aliasSymbol;
        if (aliasSymbol) {
          symbol = aliasSymbol;
          marks = (marks & 8) | (this.namedSymbol[aliasSymbol] === 1 ? 4 : 0);
        }
        f[d + F.Kind] = visible | (extra << 1) | marks | (this.publicSymbol[symbol] << 8);
        // A visible node's iterator is set by gotoFirstChild (rewind); a hidden one is entered now.
        if (!visible) {
          f[d + F.ItIndex] = 0;
          f[d + F.ItStruct] = 0;
          f[d + F.ItBytes] = bytes;
          f[d + F.ItRows] = row;
          f[d + F.ItCols] = col;
        }
        this.depth = k + 2;
        found = visible ? 1 : 2;
      }
      // position += size(child), then += padding(next child)
      bytes += sizeBytes;
      if (sizeRows > 0) {
        row += sizeRows;
        col = sizeCols;
      } else col += sizeCols;
      i++;
      if (i < count) {
        const n = first + i * 8;
        const nlo = i32[n >> 2];
        if (nlo & 1) {
          bytes += u8[n + 6];
          const padRows = u8[n + 5] & 15;
          if (padRows > 0) {
            row += padRows;
            col = u8[n + 4];
          } else col += u8[n + 4];
        } else {
          const q = nlo >>> 0;
          bytes += i32[(q + 4) >> 2];
          const padRows = i32[(q + 8) >> 2];
          if (padRows > 0) {
            row += padRows;
            col = i32[(q + 12) >> 2];
          } else col += i32[(q + 12) >> 2];
        }
      }
    }
    f[b + F.ItIndex] = i;
    f[b + F.ItStruct] = structural;
    f[b + F.ItBytes] = bytes;
    f[b + F.ItRows] = row;
    f[b + F.ItCols] = col;
    return found;
  }

  /** Descends from the frame on top (hidden frames included) to its first visible descendant. */
  private descend(): boolean {
    for (;;) {
      const step = this.advance(this.depth - 1);
      if (step === 1) return true;
      if (step !== 2) return false;
    }
  }

  gotoFirstChild(): boolean {
    this.fresh();
    this.rewind(this.depth - 1);
    return this.descend();
  }

  gotoNextSibling(): boolean {
    this.fresh();
    const initial = this.depth;
    let k = initial - 2; // the parent frame, whose iterator already stands past the current node
    while (k >= 0) {
      this.depth = k + 1;
      const step = this.advance(k);
      if (step === 1) return true;
      if (step === 2) {
        this.descend();
        return true;
      }
      if (this.f[k * FRAME + F.Kind] & 1) break; // a visible parent has no more children: no sibling
      k--;
    }
    this.depth = initial;
    return false;
  }

  gotoParent(): boolean {
    const f = this.f;
    for (let i = this.depth - 2; i >= 0; i--) {
      if (f[i * FRAME + F.Kind] & 1) {
        this.depth = i + 1;
        return true;
      }
    }
    return false;
  }

  get nodeTypeId(): number {
    return this.f[(this.depth - 1) * FRAME + F.Kind] >>> 8;
  }

  get nodeType(): string {
    return this.types[this.nodeTypeId] || 'ERROR';
  }

  get nodeIsNamed(): boolean {
    return (this.f[(this.depth - 1) * FRAME + F.Kind] & 4) !== 0;
  }

  get nodeIsMissing(): boolean {
    return (this.f[(this.depth - 1) * FRAME + F.Kind] & 8) !== 0;
  }

  private production(k: number): number {
    const lo = this.i32[this.f[k * FRAME + F.Slot] >> 2];
    if (lo & 1) return 0;
    const p = lo >>> 0;
    return this.i32[(p + 36) >> 2] > 0 ? this.u16[(p + 66) >> 1] : 0;
  }

  /** ts_tree_cursor_current_field_id: the field of the node, or of the hidden frames wrapping it. */
  get currentFieldId(): number {
    this.fresh();
    const f = this.f;
    const last = this.depth - 1;
    for (let i = last; i > 0; i--) {
      const kind = f[i * FRAME + F.Kind];
      if (i !== last && kind & 1) break;
      if (kind & 2) break;
      const structural = f[i * FRAME + F.Struct];
      if (structural >= this.fieldStride) continue;
      const id = this.fieldAt[this.production(i - 1) * this.fieldStride + structural];
      if (id) return id;
    }
    return 0;
  }

  get currentFieldName(): string | null | undefined {
    return this.fields[this.currentFieldId];
  }

  get startIndex(): number {
    return this.f[(this.depth - 1) * FRAME + F.Bytes] >>> 1;
  }

  get endIndex(): number {
    this.fresh();
    const b = (this.depth - 1) * FRAME;
    const s = this.f[b + F.Slot];
    const lo = this.i32[s >> 2];
    const size = lo & 1 ? this.u8[s + 7] : this.i32[((lo >>> 0) + 16) >> 2];
    return (this.f[b + F.Bytes] + size) >>> 1;
  }

  get startPosition(): Point {
    const b = (this.depth - 1) * FRAME;
    return { row: this.f[b + F.Rows], column: this.f[b + F.Cols] >>> 1 };
  }

  get endPosition(): Point {
    this.fresh();
    const b = (this.depth - 1) * FRAME;
    return endPositionOf(this.i32, this.u8, this.f[b + F.Slot], this.f[b + F.Rows], this.f[b + F.Cols]);
  }

  /** A library Node for the top frame (as ts_tree_cursor_current_node builds it). */
  get currentNode(): Node {
    this.fresh();
    const b = (this.depth - 1) * FRAME;
    const f = this.f;
    return libraryNode(this.nodeProto, this.tree, f[b + F.Slot], f[b + F.Kind] & 2 ? 0 : f[b + F.Alias], f[b + F.Bytes], f[b + F.Rows], f[b + F.Cols]);
  }

  delete(): void {
    /* nothing allocated in Wasm */
  }
}

/** A SubtreeCursor on the tree's root, or null when the layout check fails for its language. */
export function subtreeCursor(tree: Tree, heap: HeapViews): SubtreeCursor | null {
  const tables = languageTables(tree, heap);
  if (!tables) return null;
  return new SubtreeCursor(heap, tables, tree, Object.getPrototypeOf(tree.rootNode) as object);
}
