/**
 * A tree cursor that talks to web-tree-sitter's WebAssembly exports directly.
 *
 * web-tree-sitter's own TreeCursor copies its four-word state into the Wasm transfer buffer
 * through generic `setValue`/`getValue` calls (a DataView and a type switch per word) around
 * every single call: on a large scan that marshalling cost more than the walk itself. This
 * cursor keeps the same four words, moves them with one typed-array store each, and calls the
 * same exported C functions, so it visits the same nodes in the same order with the same
 * answers — only faster. Anything it does not implement (`currentNode`) is delegated to the
 * library's cursor after handing it the current state.
 *
 * The exports are reachable because Emscripten fills in the options object given to
 * `Parser.init()`; `initTreeSitter()` passes ours. When another caller initialised
 * web-tree-sitter first, `fastCursor()` falls back to the library's TreeCursor.
 */
import { Parser, type Node, type Point, type Tree, type TreeCursor } from 'web-tree-sitter';
import { flatCursor, type FlatBinding } from './flat-cursor.js';
import { subtreeCursor } from './subtree-cursor.js';

/** The subset of the Emscripten module this cursor calls (names as web-tree-sitter exports them). */
interface WasmBinding extends FlatBinding {
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_named_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_start_position_wasm(tree: number): void;
  _ts_tree_cursor_end_position_wasm(tree: number): void;
}

const binding: Partial<WasmBinding> = {};
let initPromise: Promise<void> | null = null;
let transferWord = -1;

/** Initialises web-tree-sitter once per thread (every parser calls this instead of Parser.init). */
export function initTreeSitter(): Promise<void> {
  initPromise ??= (async () => {
    settleArrayBufferDetaching();
    // Emscripten takes its memory from the options when given one (the size it would make itself):
    // the flat cursor's walker (flat-cursor.ts) imports this very Memory.
    (binding as Record<string, unknown>).wasmMemory = new WebAssembly.Memory({ initial: 512, maximum: 32768 });
    await Parser.init(binding as object);
    settleHeapViews(binding as Record<string, unknown>);
    if (typeof binding._ts_init === 'function' && binding.HEAP32 instanceof Int32Array) {
      // Returns the address of the static transfer buffer (and rewrites two version words there).
      transferWord = binding._ts_init() >> 2;
    }
  })();
  return initPromise;
}

/**
 * Detaches one throwaway ArrayBuffer, once per thread, before any walker code is optimised.
 *
 * The first time any ArrayBuffer in an isolate is detached, V8 invalidates its "no ArrayBuffer was
 * ever detached" protector and throws away every optimised function that indexes a typed array.
 * Wasm memory growth detaches the old heap buffer, so without this the first large file of a scan
 * (the parser grows the heap) discards the optimised tree walker, cursor and facts code mid-scan and
 * V8 compiles them all again. Settling the protector up front costs nothing later: once the heap has
 * grown, the optimised code carries the same detach checks anyway.
 */
function settleArrayBufferDetaching(): void {
  try {
    const buffer = new ArrayBuffer(8);
    structuredClone(buffer, { transfer: [buffer] });
  } catch {
    /* structuredClone without transfer support: nothing to settle */
  }
}

/** The views Emscripten's updateMemoryViews() stores on the module object whenever Wasm memory grows. */
const HEAP_VIEWS = ['HEAP8', 'HEAP16', 'HEAPU8', 'HEAPU16', 'HEAP32', 'HEAPU32', 'HEAPF32', 'HEAPF64', 'HEAP64', 'HEAPU64', 'HEAP_DATA_VIEW'];

/**
 * Stores each heap view on the module object a second time (another view of the same memory, then
 * the original again), as the first Wasm memory growth would. V8 tracks a property that was only ever
 * written once as constant; the first real growth, which comes with the first large file, would flip
 * those properties to mutable and throw away every optimised function that read them (the cursors,
 * the facts walker) in the middle of a scan. Done here, before any of that code runs, it costs
 * nothing; the module ends up with exactly the views it had.
 */
function settleHeapViews(module: Record<string, unknown>): void {
  for (const key of HEAP_VIEWS) {
    const view = module[key];
    if (!ArrayBuffer.isView(view)) continue;
    const Ctor = view.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => ArrayBufferView;
    module[key] = new Ctor(view.buffer, 0, 0);
    module[key] = view;
  }
}

const REQUIRED: (keyof WasmBinding)[] = [
  '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_current_node_is_named_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm', '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm', '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_start_position_wasm', '_ts_tree_cursor_end_position_wasm',
];

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bindingReady(): boolean {
  return LITTLE_ENDIAN && transferWord >= 0 && REQUIRED.every((k) => typeof binding[k] === 'function');
}

const heapReadable = (): boolean => binding.HEAPU8 instanceof Uint8Array && binding.HEAPU16 instanceof Uint16Array;

/** What the facts walkers use of a cursor; FlatCursor, FastCursor and web-tree-sitter's TreeCursor have it. */
export interface WalkCursor {
  readonly nodeType: string;
  readonly nodeTypeId: number;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly currentFieldName: string | null | undefined;
  readonly currentNode: Node;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}

/** The library cursor's four state words (public indices in web-tree-sitter, typed @internal). */
type CursorWords = TreeCursor & Record<0 | 1 | 2 | 3, number>;

const NAMED_BY_LANGUAGE = new WeakMap<object, Uint8Array>();

class FastCursor implements WalkCursor {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private readonly treeAddress: number;
  private readonly types: (string | null)[];
  private readonly fields: (string | null)[];
  private readonly b: WasmBinding;
  /** Per type id: 0 unknown, 1 anonymous, 2 named (named-ness is a property of the symbol). */
  private readonly named: Uint8Array;
  /** MISSING nodes only occur in trees with errors; clean trees skip the call. */
  private readonly mayHaveMissing: boolean;
  private typeId = -1;

  constructor(tree: Tree, private readonly inner: CursorWords) {
    this.s0 = inner[0];
    this.s1 = inner[1];
    this.s2 = inner[2];
    this.s3 = inner[3];
    this.treeAddress = (tree as unknown as Record<0, number>)[0];
    this.types = tree.language.types;
    this.fields = tree.language.fields;
    this.b = binding as WasmBinding;
    let named = NAMED_BY_LANGUAGE.get(tree.language);
    if (!named) NAMED_BY_LANGUAGE.set(tree.language, (named = new Uint8Array(65536)));
    this.named = named;
    this.mayHaveMissing = tree.rootNode.hasError;
  }

  /** Writes the state into the transfer buffer (other calls may have overwritten it since). */
  private put(): void {
    const heap = this.b.HEAP32;
    const w = transferWord;
    heap[w] = this.s0;
    heap[w + 1] = this.s1;
    heap[w + 2] = this.s2;
    heap[w + 3] = this.s3;
  }

  /** Reads back the state a goto_* call left in the transfer buffer. */
  private take(): void {
    const heap = this.b.HEAP32;
    const w = transferWord;
    this.s0 = heap[w];
    this.s1 = heap[w + 1];
    this.s2 = heap[w + 2];
    this.s3 = heap[w + 3];
    this.typeId = -1;
  }

  private move(fn: (tree: number) => number): boolean {
    this.put();
    const moved = fn(this.treeAddress) === 1;
    this.take();
    return moved;
  }

  gotoFirstChild(): boolean {
    return this.move(this.b._ts_tree_cursor_goto_first_child_wasm);
  }

  gotoNextSibling(): boolean {
    return this.move(this.b._ts_tree_cursor_goto_next_sibling_wasm);
  }

  gotoParent(): boolean {
    return this.move(this.b._ts_tree_cursor_goto_parent_wasm);
  }

  get nodeTypeId(): number {
    if (this.typeId < 0) {
      this.put();
      this.typeId = this.b._ts_tree_cursor_current_node_type_id_wasm(this.treeAddress);
    }
    return this.typeId;
  }

  get nodeType(): string {
    return this.types[this.nodeTypeId] || 'ERROR';
  }

  get nodeIsNamed(): boolean {
    const id = this.nodeTypeId;
    let known = this.named[id];
    if (known === 0) {
      this.put();
      known = this.named[id] = this.b._ts_tree_cursor_current_node_is_named_wasm(this.treeAddress) === 1 ? 2 : 1;
    }
    return known === 2;
  }

  get nodeIsMissing(): boolean {
    if (!this.mayHaveMissing) return false;
    this.put();
    return this.b._ts_tree_cursor_current_node_is_missing_wasm(this.treeAddress) === 1;
  }

  get currentFieldName(): string | null | undefined {
    this.put();
    return this.fields[this.b._ts_tree_cursor_current_field_id_wasm(this.treeAddress)];
  }

  get startIndex(): number {
    this.put();
    return this.b._ts_tree_cursor_start_index_wasm(this.treeAddress);
  }

  get endIndex(): number {
    this.put();
    return this.b._ts_tree_cursor_end_index_wasm(this.treeAddress);
  }

  get startPosition(): Point {
    this.put();
    this.b._ts_tree_cursor_start_position_wasm(this.treeAddress);
    return this.point();
  }

  get endPosition(): Point {
    this.put();
    this.b._ts_tree_cursor_end_position_wasm(this.treeAddress);
    return this.point();
  }

  private point(): Point {
    const heap = this.b.HEAP32;
    return { row: heap[transferWord] >>> 0, column: heap[transferWord + 1] >>> 0 };
  }

  /** Hands the state to the library cursor (which marshals it itself) and lets it build the Node. */
  private sync(): CursorWords {
    const inner = this.inner;
    inner[0] = this.s0;
    inner[1] = this.s1;
    inner[2] = this.s2;
    inner[3] = this.s3;
    return inner;
  }

  get currentNode(): Node {
    return this.sync().currentNode;
  }

  delete(): void {
    this.sync().delete();
  }
}

/**
 * A cursor on the tree's root: one that reads the tree from Wasm memory when the heap and the
 * language layout are recognised (directCursor), else the call-per-step
 * FastCursor when the Wasm exports are reachable, else the library's.
 *
 * `leaveOut` (by type id, 1 = may leave out) names anonymous leaf types the caller does nothing
 * with: the flat cursor skips them (never a MISSING one), the others visit them. A walker that
 * passes it must give the same answers either way.
 */
export function fastCursor(tree: Tree, leaveOut?: Uint8Array): WalkCursor {
  if (bindingReady() && heapReadable()) {
    const state = VERIFIED.get(tree.language);
    if (state !== false) {
      // the check compares every node with the library's cursor: it gets a cursor that leaves none out
      const direct = directCursor(tree, state === true ? leaveOut : undefined);
      if (!direct) VERIFIED.set(tree.language, false);
      else if (state === true) return direct;
      // verify() walks its cursor to the end: the walker gets a fresh one on the root.
      else if (verify(tree, direct)) return directCursor(tree, leaveOut)!;
    }
  }
  return callCursor(tree);
}

/**
 * A cursor that reads the tree from Wasm memory: over the tree flattened in Wasm (flat-cursor.ts),
 * or, for a tree too large to copy, straight from its structs (subtree-cursor.ts); null when the
 * layout is unknown.
 */
function directCursor(tree: Tree, leaveOut: Uint8Array | undefined): WalkCursor | null {
  return flatCursor(tree, binding as WasmBinding, leaveOut) ?? subtreeCursor(tree, binding as WasmBinding);
}

/** Per language: true once the direct cursor matched the call cursor on a real tree, false if it ever did not. */
const VERIFIED = new WeakMap<object, boolean>();
/** A tree with at least this many nodes settles the check. */
const VERIFY_NODES = 200;
/**
 * The check stops after this many nodes: the call cursor costs several µs a node before the JIT has
 * warmed up, and every worker pays it on its first file (2,000 nodes took 33 ms of each worker's
 * start on django). A layout this port does not know shows on the first nodes already (the root,
 * its first children); the tests compare the cursors node by node on whole trees.
 */
const VERIFY_MAX_NODES = 500;

/**
 * Walks the tree with both cursors and compares every answer the facts walker reads, so a struct
 * layout this port does not know (a web-tree-sitter upgrade) falls back instead of misreading.
 * Runs until one tree of VERIFY_NODES nodes has matched (comparing at most VERIFY_MAX_NODES of it).
 */
function verify(tree: Tree, direct: WalkCursor): boolean {
  const calls = callCursor(tree);
  const answers = (c: WalkCursor): string => `${c.nodeTypeId} ${c.nodeIsNamed} ${c.nodeIsMissing} ${c.currentFieldName} ${c.startIndex} ${c.endIndex} ${c.startPosition.row} ${c.endPosition.row}`;
  let nodes = 0;
  let same = true;
  walk: for (;;) {
    if (++nodes > VERIFY_MAX_NODES) break;
    if (answers(direct) !== answers(calls)) {
      same = false;
      break;
    }
    const down = direct.gotoFirstChild();
    if (down !== calls.gotoFirstChild()) {
      same = false;
      break;
    }
    if (down) continue;
    for (;;) {
      const next = direct.gotoNextSibling();
      if (next !== calls.gotoNextSibling()) {
        same = false;
        break walk;
      }
      if (next) break;
      const up = direct.gotoParent();
      if (up !== calls.gotoParent()) {
        same = false;
        break walk;
      }
      if (!up) break walk;
    }
  }
  calls.delete();
  if (!same) VERIFIED.set(tree.language, false);
  else if (nodes >= VERIFY_NODES) VERIFIED.set(tree.language, true);
  return same;
}

/** The cursor that calls into Wasm for every step (FastCursor), or the library's; kept as the fallback. */
export function callCursor(tree: Tree): WalkCursor {
  const inner = tree.walk();
  if (!bindingReady()) return inner;
  return new FastCursor(tree, inner as CursorWords);
}
