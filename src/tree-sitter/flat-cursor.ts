/**
 * A tree cursor over a flat copy of the tree. One call into WebAssembly (`flatten`, assembled from
 * flatten.wat: a port of tree-sitter's lib/tree_cursor.c onto lib/subtree.h's structs) walks the
 * subtree structs and writes every visible node in preorder as an 8-word record (type, flags and
 * field; start; subtree address; alias; end of its subtree; end byte); the cursor then moves by
 * index, each step one or two array reads, keeping its own stack of ancestors. A node's end
 * position is read from its subtree when asked (as tree-sitter does). The records cost 32 bytes a
 * node, for trees up to FLAT_LIMITS. It visits the same nodes in the same order with the
 * same types, flags, fields and positions as the library's cursor (fastCursor verifies it against
 * the call-per-step cursor on the first tree of each language). Reading the structs from JavaScript
 * instead, one typed-array load at a time, cost about a third more of the whole profile stage.
 *
 * `flatten` imports web-tree-sitter's own memory (initTreeSitter hands Emscripten the Memory
 * object), uses the language tables of language-tables.ts, and writes only the frame stack and
 * the record buffer allocated here with the library's malloc. The records of one tree at a time
 * live in that buffer: flattening another tree invalidates earlier cursors, which throw if used.
 */
import type { Node, Point, Tree } from 'web-tree-sitter';
import { FLATTEN_WASM_BASE64 } from './flatten-wasm.js';
import { languageTables, type HeapViews, type LanguageTables } from './language-tables.js';
import { endPositionOf, libraryNode } from './subtree-reads.js';

/** What the flat cursor needs of the Emscripten module. */
export interface FlatBinding extends HeapViews {
  _malloc(bytes: number): number;
  _free(address: number): void;
  wasmMemory?: WebAssembly.Memory;
}

type Flatten = (tree: number, tables: number, out: number, outCap: number, stack: number, stackCap: number, stop: number, leaveOut: number) => number;

/** Words per record (see flatten.wat). */
const REC = 8;
const enum R {
  Kind, Bytes, Rows, Cols, Slot, Alias, After, EndBytes,
}
const INITIAL_DEPTH = 64;
const FRAME_BYTES = 64;
/**
 * Trees with more visible nodes than `wholeTreeRecords` (67 MB of records) are not copied: the
 * caller walks them with the SubtreeCursor, which needs no memory of its own but costs about half
 * as much again per node. sympy's largest file (1.5 MB, 1.6 M nodes, mostly in five functions) is
 * copied: 51 MB beside its tree, in a worker thread (files that large go to workers,
 * src/pool/task-board.ts). The old limit, 2^18 records, sent five sympy files, a quarter of its nodes, the slow
 * way (−1.2 % CPU on a sympy scan, +60 MB peak RSS). Mutable so that tests can send small trees that way.
 */
export const FLAT_LIMITS = { wholeTreeRecords: 1 << 21 };
const TABLE_WORDS = 6;

interface Region {
  address: number;
  capacity: number;
}

/** Per thread: the instantiated walker, the record buffer, the frame stack, each language's tables in Wasm memory. */
let flattenFn: Flatten | null | undefined;
const records: Region = { address: 0, capacity: 0 };
const frames: Region = { address: 0, capacity: 0 };
const TABLES_IN_WASM = new WeakMap<LanguageTables, number>();
const LEAVE_OUT_IN_WASM = new WeakMap<Uint8Array, number>();
let generation = 0;

function instantiate(memory: WebAssembly.Memory | undefined): Flatten | null {
  if (!(memory instanceof WebAssembly.Memory)) return null;
  try {
    const module = new WebAssembly.Module(Buffer.from(FLATTEN_WASM_BASE64, 'base64'));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return instance.exports.flatten as Flatten;
  } catch {
    return null;
  }
}

/** Copies a typed array into memory from the library's malloc; its address. */
function copyIn(binding: FlatBinding, array: Uint8Array | Uint16Array): number {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const address = binding._malloc(Math.max(4, bytes.length));
  binding.HEAPU8.set(bytes, address);
  return address;
}

/** The language's tables laid out for flatten (see flatten.wat: Tables), once per thread. */
function tablesAddress(binding: FlatBinding, tables: LanguageTables): number {
  let address = TABLES_IN_WASM.get(tables);
  if (address === undefined) {
    const words = [copyIn(binding, tables.publicSymbol), copyIn(binding, tables.namedSymbol), copyIn(binding, tables.aliases), tables.maxAliasLength, copyIn(binding, tables.fieldAt), tables.fieldStride];
    address = binding._malloc(TABLE_WORDS * 4);
    for (let k = 0; k < TABLE_WORDS; k++) binding.HEAP32[(address >> 2) + k] = words[k];
    TABLES_IN_WASM.set(tables, address);
  }
  return address;
}

/** A leave-out table in Wasm memory, one byte per public type id (copied once per thread and table). */
function leaveOutAddress(binding: FlatBinding, leaveOut: Uint8Array): number {
  let address = LEAVE_OUT_IN_WASM.get(leaveOut);
  if (address === undefined) {
    const full = new Uint8Array(1 << 16);
    full.set(leaveOut.subarray(0, full.length));
    address = copyIn(binding, full);
    LEAVE_OUT_IN_WASM.set(leaveOut, address);
  }
  return address;
}

function ensure(binding: FlatBinding, buffer: Region, capacity: number, unit: number): void {
  if (buffer.capacity >= capacity) return;
  if (buffer.address) binding._free(buffer.address);
  buffer.address = binding._malloc(capacity * unit);
  buffer.capacity = capacity;
}

/**
 * Flattens the tree into the record buffer; the number of records, or null when this cursor
 * cannot be used (no Memory object, the walker did not instantiate) or the tree is too large.
 */
function flattenTree(tree: Tree, binding: FlatBinding, tables: LanguageTables, leaveOut: Uint8Array | undefined): number | null {
  flattenFn ??= instantiate(binding.wasmMemory);
  if (!flattenFn) return null;
  const tab = tablesAddress(binding, tables);
  const left = leaveOut ? leaveOutAddress(binding, leaveOut) : 0;
  ensure(binding, records, Math.min(1 << 14, FLAT_LIMITS.wholeTreeRecords), REC * 4);
  ensure(binding, frames, 256, FRAME_BYTES);
  const treeAddress = (tree as unknown as Record<0, number>)[0];
  for (;;) {
    const n = flattenFn(treeAddress, tab, records.address, records.capacity, frames.address, frames.capacity, FLAT_LIMITS.wholeTreeRecords, left);
    if (n === -1) ensure(binding, frames, frames.capacity * 2, FRAME_BYTES);
    else if (n < 0) return null;
    else if (n > FLAT_LIMITS.wholeTreeRecords) return null;
    else if (n > records.capacity) ensure(binding, records, Math.min(FLAT_LIMITS.wholeTreeRecords, Math.max(n, records.capacity + (records.capacity >> 2))), REC * 4); // it counted past the room
    else return n;
  }
}

export class FlatCursor {
  private i: number;
  /** Record indices of the current node's visible ancestors, the parent last. */
  private ancestors: Int32Array;
  private depth: number;
  private i32: Int32Array;
  private u8: Uint8Array;

  constructor(private readonly binding: FlatBinding, private readonly base: number, private readonly generation: number, private readonly tables: LanguageTables, private readonly tree: Tree, private readonly nodeProto: object) {
    this.i = 0;
    this.ancestors = new Int32Array(INITIAL_DEPTH);
    this.depth = 0;
    this.i32 = binding.HEAP32;
    this.u8 = binding.HEAPU8;
  }

  /** Word `word` of record `i`. */
  private at(i: number, word: number): number {
    // Wasm memory growth (any library call that allocates) detaches the views: take the module's new ones
    if (this.i32.length === 0) {
      this.i32 = this.binding.HEAP32;
      this.u8 = this.binding.HEAPU8;
    }
    return this.i32[this.base + i * REC + word];
  }

  gotoFirstChild(): boolean {
    if (this.generation !== generation) throw new Error('flat cursor used after another tree was flattened');
    const i = this.i;
    if (this.at(i, R.After) <= i + 1) return false;
    if (this.depth === this.ancestors.length) {
      const grown = new Int32Array(this.depth * 2);
      grown.set(this.ancestors);
      this.ancestors = grown;
    }
    this.ancestors[this.depth++] = i;
    this.i = i + 1;
    return true;
  }

  gotoNextSibling(): boolean {
    if (this.depth === 0) return false;
    const next = this.at(this.i, R.After);
    if (next >= this.at(this.ancestors[this.depth - 1], R.After)) return false;
    this.i = next;
    return true;
  }

  gotoParent(): boolean {
    if (this.depth === 0) return false;
    this.i = this.ancestors[--this.depth];
    return true;
  }

  get nodeTypeId(): number {
    return this.at(this.i, R.Kind) >>> 16;
  }

  get nodeType(): string {
    return this.tables.types[this.nodeTypeId] || 'ERROR';
  }

  get nodeIsNamed(): boolean {
    return (this.at(this.i, R.Kind) & 4) !== 0;
  }

  get nodeIsMissing(): boolean {
    return (this.at(this.i, R.Kind) & 8) !== 0;
  }

  get currentFieldId(): number {
    return (this.at(this.i, R.Kind) >>> 4) & 0xfff;
  }

  get currentFieldName(): string | null | undefined {
    return this.tables.fields[this.currentFieldId];
  }

  get startIndex(): number {
    return this.at(this.i, R.Bytes) >>> 1;
  }

  get startPosition(): Point {
    return { row: this.at(this.i, R.Rows), column: this.at(this.i, R.Cols) >>> 1 };
  }

  get endIndex(): number {
    return this.at(this.i, R.EndBytes) >>> 1;
  }

  get endPosition(): Point {
    const slot = this.at(this.i, R.Slot); // first: at() takes new heap views if the memory grew
    return endPositionOf(this.i32, this.u8, slot, this.at(this.i, R.Rows), this.at(this.i, R.Cols));
  }

  /** A library Node for the current node (as ts_tree_cursor_current_node builds it). */
  get currentNode(): Node {
    const i = this.i;
    const alias = this.at(i, R.Kind) & 2 ? 0 : this.at(i, R.Alias);
    return libraryNode(this.nodeProto, this.tree, this.at(i, R.Slot), alias, this.at(i, R.Bytes), this.at(i, R.Rows), this.at(i, R.Cols));
  }

  delete(): void {
    /* the record buffer is reused by the next tree */
  }
}

/**
 * A FlatCursor on the tree's root, or null when the layout check fails, the walker is unavailable or
 * the tree is too large. With `leaveOut` (by type id, 1 = leave out), visible anonymous leaves of
 * those types are not visited (MISSING ones always are); every other node is, as without it.
 */
export function flatCursor(tree: Tree, binding: FlatBinding, leaveOut?: Uint8Array): FlatCursor | null {
  const tables = languageTables(tree, binding);
  if (!tables) return null;
  const count = flattenTree(tree, binding, tables, leaveOut);
  if (count === null) return null;
  return new FlatCursor(binding, records.address >> 2, ++generation, tables, tree, Object.getPrototypeOf(tree.rootNode) as object);
}
