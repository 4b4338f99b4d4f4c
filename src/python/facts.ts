/**
 * One walk over a tree-sitter Python tree that records the syntax facts every detector reads:
 * functions, loops, calls, operators (and whether they sit inside loops), imports, classes.
 * Detectors are pure functions of these facts, so a file is walked exactly once.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { fastCursor, type WalkCursor } from '../tree-sitter/fast-cursor.js';

export interface OpCounts {
  arith: number;
  bitops: number;
  compare: number;
  subscript: number;
  slice: number;
  tupleIndex: number;
  augassign: number;
  cheapBuiltin: number;
  calls: number;
  attribute: number;
  charLiterals: number;
  numLiterals: number;
  boolops: number;
  ifs: number;
  yields: number;
  returns: number;
  assigns: number;
  awaits: number;
  raises: number;
  isinstance: number;
  /** Arithmetic inside a subscript or slice index (`buf[pos + 4]`, `data[i:i + n]`): manual offsets. */
  indexArith: number;
  /** `assert` statements. */
  asserts: number;
}

export interface CallFact {
  /** Dotted callee as written (`struct.unpack`, `self.buf.append`, `len`), or `<expr>`. */
  name: string;
  line: number;
  loopDepth: number;
  args: number;
  /** keyword argument names as written (`target`, `metaclass`, ...). */
  keywords: string[];
  hasKwargsSplat: boolean;
  /** Text of the first positional argument when it is short (a string, a name). */
  firstArg?: string;
  /** Text of the second positional argument when it is short. */
  secondArg?: string;
  /** Short keyword-argument values by name (`target` → `worker`), only for names, attributes and literals. */
  kwargValues?: Record<string, string>;
}

export interface LoopFact {
  kind: 'for' | 'while' | 'comprehension';
  line: number;
  endLine: number;
  depth: number;
  /** `for` target / `while` condition text, truncated. */
  target: string;
  /** Iterable (for) or condition (while) text, truncated. */
  iter: string;
  /** Callee of the iterable when it is a call (`range`, `enumerate`, `zip`). */
  iterCallee?: string;
  /** Cheap scalar operations in the body, nested loops included. */
  ops: number;
  calls: number;
  bodyLines: number;
  /** Comparisons against one- or two-character string literals directly in this loop (not in inner loops). */
  charCompares: number;
}

export interface ParamFact {
  name: string;
  annotation?: string;
  kind: 'plain' | 'args' | 'kwargs';
}

export interface FunctionFacts {
  name: string;
  qualname: string;
  line: number;
  endLine: number;
  isAsync: boolean;
  isMethod: boolean;
  decorators: string[];
  params: ParamFact[];
  returns?: string;
  all: OpCounts;
  inLoop: OpCounts;
  /** Cheap operations at loop depth ≥ 2. */
  deepOps: number;
  loops: LoopFact[];
  calls: CallFact[];
  maxLoopDepth: number;
  complexity: number;
  yieldsInLoop: number;
  globals: string[];
  /** Names assigned or augmented at statement level inside the function. */
  lambdas: number;
  nestedDefs: number;
  /** Names (`buf`, `self.grid`) subscripted inside loops, with how often: element-by-element access. */
  indexedInLoop: Record<string, number>;
  /** Lines of code in its span (nested defs included): not blank, not comment-only, not in a docstring. */
  codeLines: number;
  /** Line of the last statement that starts in its body (nested blocks included, nested defs' bodies not); 0: none. */
  lastStatementLine: number;
  /** Line of its last `assert` statement; 0: none. */
  lastAssertLine: number;
  /** Its `with` statements' first and last lines, in pairs: [first, last, first, last, …]. */
  withLines: number[];
}

export interface ImportFact {
  module: string;
  names: string[];
  /** Local names bound by the import (aliases included). */
  bound: string[];
  level: number;
  line: number;
  inFunction: boolean;
  /** Line of the innermost `try` statement the import sits in (body or handler), when it sits in one. */
  tryLine?: number;
}

export interface ClassFact {
  name: string;
  line: number;
  endLine: number;
  bases: string[];
  keywords: string[];
  metaclass?: string;
  methods: number;
}

/** `name = callee(...)`, `self.x = callee(...)` or `with callee(...) as name`: what a name was made by. */
export interface BindingFact {
  name: string;
  callee: string;
  line: number;
  /** Qualified name of the function the binding is in; `<module>` at top level. */
  function: string;
}

export interface TryFact {
  line: number;
  endLine: number;
  /** First line of the first `except` clause (0 when there is none). */
  handlerLine: number;
  /** An except clause names ImportError or ModuleNotFoundError. */
  catchesImportError: boolean;
}

export interface AttributeAssignFact {
  object: string;
  attribute: string;
  line: number;
  inFunction: boolean;
}

export interface PyFileFacts {
  totalLines: number;
  loc: number;
  syntaxErrors: number[];
  python2: boolean;
  imports: ImportFact[];
  /** functions[0] is `<module>`: the top-level code. */
  functions: FunctionFacts[];
  classes: ClassFact[];
  attributeAssigns: AttributeAssignFact[];
  mainGuardLine: number | null;
  bindings: BindingFact[];
  /** Names assigned at module level (`CACHE = {}`, `TABLE = [...]`): the module's global state. */
  moduleNames: string[];
  tries: TryFact[];
  /** Reads of a few process-level attributes (`sys.argv`, `os.environ`, `sys.modules`). */
  attributeReads: { name: string; line: number }[];
  /** `# rustscout: ...` directive comments (the only comments rustscout reads). */
  directives: { line: number; text: string }[];
  /** Lines of code taken by bare string statements (docstrings): `loc` minus these is executable code. */
  docstringLines: number;
}

/** Builtins counted as scalar work (`cheapBuiltin`), not as calls out. */
export const CHEAP_BUILTINS = new Set(['ord', 'chr', 'len', 'range', 'int', 'divmod', 'min', 'max', 'abs', 'float', 'bool', 'hex', 'bin']);
const ARITH_TOKENS = new Set(['+', '-', '*', '/', '//', '%', '**', '@']);
const BIT_TOKENS = new Set(['&', '|', '^', '<<', '>>', '~']);
const BRANCH_TYPES = new Set(['if_statement', 'elif_clause', 'for_statement', 'while_statement', 'except_clause', 'conditional_expression', 'if_clause', 'case_clause', 'for_in_clause']);
const TEXT_LIMIT = 120;
const SPECIAL_ATTRIBUTES = new Set(['sys.argv', 'os.environ', 'sys.modules', 'sys.stdin', 'sys.stdout', 'os.environb', 'sys.path']);
const ARG_LIMIT = 60;
const SHORT_VALUE_TYPES = new Set(['identifier', 'attribute', 'string', 'integer', 'float', 'true', 'false', 'none']);

export function emptyCounts(): OpCounts {
  return {
    arith: 0, bitops: 0, compare: 0, subscript: 0, slice: 0, tupleIndex: 0, augassign: 0, cheapBuiltin: 0,
    calls: 0, attribute: 0, charLiterals: 0, numLiterals: 0, boolops: 0, ifs: 0, yields: 0, returns: 0,
    assigns: 0, awaits: 0, raises: 0, isinstance: 0, indexArith: 0, asserts: 0,
  };
}

/** Scalar work the interpreter pays for per element and Rust does in a cycle or two. */
export function cheapOps(c: OpCounts): number {
  return c.arith + c.bitops + c.compare + c.subscript + c.slice + c.augassign + c.cheapBuiltin + c.charLiterals;
}

/*
 * Every fact object below is made by one function, with all its fields (an optional one is
 * undefined, placed where it used to be appended, so JSON is unchanged): one shape per kind of
 * fact, which keeps the walker's and the detectors' property accesses monomorphic.
 */

/** Placeholder for a function's counts until extractFacts fills them in from its counters. */
const PENDING_COUNTS: OpCounts = emptyCounts();

function newFunction(
  name: string, qualname: string, line: number, endLine: number, isAsync: boolean, isMethod: boolean,
  decorators: string[], params: ParamFact[], returns: string | undefined,
): FunctionFacts {
  return {
    name, qualname, line, endLine, isAsync, isMethod, decorators, params,
    all: PENDING_COUNTS, inLoop: PENDING_COUNTS, deepOps: 0, loops: [], calls: [], maxLoopDepth: 0,
    complexity: 1, yieldsInLoop: 0, globals: [], lambdas: 0, nestedDefs: 0, indexedInLoop: Object.create(null) as Record<string, number>, codeLines: 0,
    lastStatementLine: 0, lastAssertLine: 0, withLines: NO_WITH_LINES, returns,
  };
}

/** The `with` lines of every function that has none (most): one frozen array, replaced on its first `with`. */
const NO_WITH_LINES: number[] = Object.freeze([]) as unknown as number[];

/** The keywords of every call that has none (most calls): one frozen array, replaced on a call's first keyword. */
const NO_KEYWORDS: string[] = Object.freeze([]) as unknown as string[];

function newCall(line: number, loopDepth: number): CallFact {
  return {
    name: '<expr>', line, loopDepth, args: 0, keywords: NO_KEYWORDS, hasKwargsSplat: false,
    firstArg: undefined, secondArg: undefined, kwargValues: undefined,
  };
}

function newLoop(kind: LoopFact['kind'], line: number, endLine: number, depth: number, target: string, iter: string, iterCallee: string | undefined): LoopFact {
  return { kind, line, endLine, depth, target, iter, iterCallee, ops: 0, calls: 0, bodyLines: endLine - line + 1, charCompares: 0 };
}

function newClass(name: string, line: number, endLine: number): ClassFact {
  return { name, line, endLine, bases: [], keywords: [], methods: 0, metaclass: undefined };
}

function newTry(line: number, endLine: number): TryFact {
  return { line, endLine, handlerLine: 0, catchesImportError: false };
}

function newFileFacts(totalLines: number, loc: number, functions: FunctionFacts[]): PyFileFacts {
  return {
    totalLines, loc, syntaxErrors: [], python2: false, imports: [], functions,
    classes: [], attributeAssigns: [], mainGuardLine: null, bindings: [], moduleNames: [], tries: [], attributeReads: [], directives: [], docstringLines: 0,
  };
}

/** A function's OpCounts from its counter slots (one literal, in OpCounts key order). */
function countsFrom(v: Int32Array, o: number): OpCounts {
  return {
    arith: v[o], bitops: v[o + 1], compare: v[o + 2], subscript: v[o + 3], slice: v[o + 4], tupleIndex: v[o + 5],
    augassign: v[o + 6], cheapBuiltin: v[o + 7], calls: v[o + 8], attribute: v[o + 9], charLiterals: v[o + 10],
    numLiterals: v[o + 11], boolops: v[o + 12], ifs: v[o + 13], yields: v[o + 14], returns: v[o + 15],
    assigns: v[o + 16], awaits: v[o + 17], raises: v[o + 18], isinstance: v[o + 19], indexArith: v[o + 20],
    asserts: v[o + 21],
  };
}

export function countLoc(source: string): { total: number; loc: number } {
  let total = 0;
  let loc = 0;
  let start = 0;
  const n = source.length;
  while (start <= n) {
    let end = source.indexOf('\n', start);
    if (end < 0) end = n;
    total++;
    let i = start;
    while (i < end) {
      const ch = source.charCodeAt(i);
      if (ch !== 32 && ch !== 9 && ch !== 13 && ch !== 12) break;
      i++;
    }
    if (i < end && source.charCodeAt(i) !== 35 /* # */) loc++;
    start = end + 1;
    if (end === n) break;
  }
  return { total, loc };
}

/**
 * prefix[i] = lines 1..i that hold code by countLoc's rule (not blank, not starting with #);
 * starts[i] = the index of line i's first character.
 */
function codeLinePrefix(source: string, total: number, starts: Int32Array): Int32Array {
  const prefix = new Int32Array(total + 1);
  let start = 0;
  for (let row = 1; row <= total; row++) {
    starts[row] = start;
    let end = source.indexOf('\n', start);
    if (end < 0) end = source.length;
    let i = start;
    while (i < end) {
      const ch = source.charCodeAt(i);
      if (ch !== 32 && ch !== 9 && ch !== 13 && ch !== 12) break;
      i++;
    }
    prefix[row] = prefix[row - 1] + (i < end && source.charCodeAt(i) !== 35 ? 1 : 0);
    start = end + 1;
  }
  return prefix;
}

/** Collapses whitespace runs to one space and trims (like `replace(/\s+/g, ' ').trim()`), then truncates. */
function oneLine(text: string): string {
  let flat = text;
  // Fast path: printable ASCII whose only whitespace is single inner spaces is already flat.
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch > 32 && ch < 127) continue;
    if (ch === 32 && i > 0 && i < n - 1 && text.charCodeAt(i + 1) !== 32) continue;
    flat = text.replace(/\s+/g, ' ').trim();
    break;
  }
  return flat.length > TEXT_LIMIT ? flat.slice(0, TEXT_LIMIT) + '…' : flat;
}

/** What the walk does on entering a node, by node type (one small integer per type id). */
const enum Act {
  Other, Function, Class, Decorated, ExpressionStatement, Decorator, ForWhile, Comprehension, Call, ArgumentList,
  Lambda, Binary, Unary, AugAssign, Compare, BoolOp, Subscript, Slice, Attribute, String, Try, Except, AsPattern,
  WithItem, Number, If, Yield, Return, Raise, Await, Assignment, Global, Import, Comment, Python2, Error, Block,
  ConcatenatedString, Assert, With,
}

const ACT_BY_TYPE: Record<string, Act> = {
  function_definition: Act.Function, class_definition: Act.Class, decorated_definition: Act.Decorated,
  expression_statement: Act.ExpressionStatement, decorator: Act.Decorator, for_statement: Act.ForWhile,
  while_statement: Act.ForWhile, list_comprehension: Act.Comprehension, set_comprehension: Act.Comprehension,
  dictionary_comprehension: Act.Comprehension, generator_expression: Act.Comprehension, call: Act.Call,
  argument_list: Act.ArgumentList, lambda: Act.Lambda, binary_operator: Act.Binary, unary_operator: Act.Unary,
  augmented_assignment: Act.AugAssign, comparison_operator: Act.Compare, boolean_operator: Act.BoolOp,
  subscript: Act.Subscript, slice: Act.Slice, attribute: Act.Attribute, string: Act.String, try_statement: Act.Try,
  except_clause: Act.Except, as_pattern: Act.AsPattern, with_item: Act.WithItem, integer: Act.Number,
  float: Act.Number, if_statement: Act.If, yield: Act.Yield, return_statement: Act.Return,
  raise_statement: Act.Raise, await: Act.Await, assignment: Act.Assignment, global_statement: Act.Global,
  import_statement: Act.Import, import_from_statement: Act.Import, future_import_statement: Act.Import,
  comment: Act.Comment, print_statement: Act.Python2, exec_statement: Act.Python2, ERROR: Act.Error, block: Act.Block,
  concatenated_string: Act.ConcatenatedString, assert_statement: Act.Assert, with_statement: Act.With,
};

/**
 * Named node types that are terminals of tree-sitter-python (lexical or external tokens): they never
 * have children, so the walk does not step into them. (Rules such as `import_prefix` or
 * `pass_statement` are not tokens and can hold comments or ERROR nodes.)
 */
const LEAF_TYPES = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'comment', 'ellipsis', 'escape_sequence',
  'escape_interpolation', 'line_continuation', 'type_conversion', 'string_start', 'string_end']);
/** Anonymous nodes with children: aliases of two-keyword sequences. */
const COMPOSITE_TOKENS = new Set(['not in', 'is not']);

/** Counter slots, in OpCounts key order. */
const K = {
  arith: 0, bitops: 1, compare: 2, subscript: 3, slice: 4, tupleIndex: 5, augassign: 6, cheapBuiltin: 7,
  calls: 8, attribute: 9, charLiterals: 10, numLiterals: 11, boolops: 12, ifs: 13, yields: 14, returns: 15,
  assigns: 16, awaits: 17, raises: 18, isinstance: 19, indexArith: 20, asserts: 21,
} as const;
const COUNT_KEYS = Object.keys(K) as (keyof OpCounts)[];
const SLOTS = COUNT_KEYS.length;


/** Token classes for operator tokens (anonymous nodes), by type id. */
const enum Tok { None, Arith, Bit, Tilde, Minus, AugArith, AugBit, AugOther }

interface TypeTables {
  act: Uint8Array;
  /** 1: the walk never needs to step into this node type. */
  leaf: Uint8Array;
  /** 1: a branch for cyclomatic complexity (only consulted for Act.Other). */
  branch: Uint8Array;
  tok: Uint8Array;
  /** 1: anonymous punctuation the walk does nothing with, which the cursor may leave out (fastCursor). */
  leaveOut: Uint8Array;
}

/** Anonymous tokens the walk never looks at: no action, no operator class, no branch, no field. */
const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', ';', '.']);

const TYPE_TABLES = new WeakMap<object, TypeTables>();

function typeTables(language: Tree['language']): TypeTables {
  let t = TYPE_TABLES.get(language);
  if (t) return t;
  const size = 65536;
  t = { act: new Uint8Array(size), leaf: new Uint8Array(size), branch: new Uint8Array(size), tok: new Uint8Array(size), leaveOut: new Uint8Array(size) };
  const types = language.types as (string | null | undefined)[];
  // Ids past the language's types read as ERROR, like unnamed ones; filled at once, not named one by one.
  const known = Math.min(types.length, size);
  t.act.fill(ACT_BY_TYPE.ERROR ?? Act.Other, known);
  t.branch.fill(BRANCH_TYPES.has('ERROR') ? 1 : 0, known);
  for (let id = 0; id < known; id++) {
    const name = types[id] || 'ERROR';
    t.act[id] = ACT_BY_TYPE[name] ?? Act.Other;
    if (BRANCH_TYPES.has(name)) t.branch[id] = 1;
    if (!types[id]) continue;
    const named = language.nodeTypeIsNamed(id);
    if (named ? LEAF_TYPES.has(name) : !COMPOSITE_TOKENS.has(name)) t.leaf[id] = 1;
    if (!named && PUNCTUATION.has(name)) t.leaveOut[id] = 1;
    // Operator classes by name (the walk only consults them for nodes the cursor says are anonymous).
    if (ARITH_TOKENS.has(name)) t.tok[id] = name === '-' ? Tok.Minus : Tok.Arith;
    else if (BIT_TOKENS.has(name)) t.tok[id] = name === '~' ? Tok.Tilde : Tok.Bit;
    else if (name.endsWith('=')) {
      const op = name.slice(0, -1);
      t.tok[id] = BIT_TOKENS.has(op) ? Tok.AugBit : ARITH_TOKENS.has(op) ? Tok.AugArith : Tok.AugOther;
    }
  }
  TYPE_TABLES.set(language, t);
  return t;
}

/** What a frame carries beyond its type: the fact it opened, closed when the walk leaves it. */
type FrameData = FunctionFacts | ClassFact | LoopFact | CallFact | TryFact | undefined;

/*
 * The walk's per-file state. It lives at module level, and so do the walk's functions below, so
 * each function is created once per thread: as closures made afresh inside extractFacts for every
 * file, V8 re-optimised them over and over (one worker recompiled `enter` 17 times on sympy, about
 * 3 s of JIT CPU per worker). extractFacts is synchronous and never re-entered, so one set of
 * state per thread is enough; it is reset on entry and released on exit.
 */
let source = '';
let facts: PyFileFacts = emptyFileFacts();
let ACT: Uint8Array = new Uint8Array(0);
let LEAF = ACT;
let TOK = ACT;
let BRANCH = ACT;
let LEAVE_OUT = ACT;
let types: (string | null | undefined)[] = [];
/** MISSING nodes only occur in trees with errors; clean trees skip the check. */
let mayHaveMissing = false;
let tryStack: TryFact[] = [];
/** Line ranges of bare string statements (docstrings), to keep them out of code-line counts. */
let stringStatements: [number, number][] = [];
let fnStack: FunctionFacts[] = [];
/** Per function (same index as facts.functions): its `all` counters, then its `inLoop` counters. */
let counters: Int32Array[] = [];
let counterStack: Int32Array[] = [];
/** A function's counter words: its `all` counts, its `inLoop` counts, then LAST_STATEMENT. */
const COUNTER_WORDS = 2 * SLOTS + 1;
/** The counter word holding the start (character index + 1; 0: none) of the last statement begun in the function's body. */
const LAST_STATEMENT = 2 * SLOTS;
let count: Int32Array = new Int32Array(COUNTER_WORDS);
let loopStack: LoopFact[][] = [];
let open: LoopFact[] = [];
let scope: string[] = [];
let classStack: ClassFact[] = [];
// The frames of the nodes the cursor is in: their action, the fact they opened, and for an
// expression_statement its named children so far (0, 1 = one string, 2 = anything else).
// frameAct and frameNamed are kept (grown) across files: a frame's slots are written on entry.
let frameAct = new Uint8Array(256);
let frameNamed = new Uint8Array(256);
const frameData: FrameData[] = [];
let depth = 0;
let pendingDecorators: string[] = [];
/** The cursor of the walk in progress (null between files). */
let c: WalkCursor = null!;

function emptyFileFacts(): PyFileFacts {
  return newFileFacts(0, 0, []);
}

/** Drops the references to the last file's text, facts and cursor. */
function release(): void {
  source = '';
  facts = emptyFileFacts();
  tryStack = [];
  stringStatements = [];
  fnStack = [];
  counters = [];
  counterStack = [];
  loopStack = [];
  open = [];
  scope = [];
  classStack = [];
  frameData.length = 0;
  pendingDecorators = [];
  lateArgCalls = [];
  lateArgMasks = [];
  lateArgLists = [];
  c = null!;
}

const typeName = (id: number): string => types[id] || 'ERROR';
const text = (): string => source.slice(c.startIndex, c.endIndex);
const line = (): number => c.startPosition.row + 1;
const endLine = (): number => c.endPosition.row + 1;
const currentFn = (): FunctionFacts => fnStack[fnStack.length - 1];

/** Walks the tree once and returns the file's facts. `parsedText` must be the text that was parsed. */
export function extractFacts(tree: Tree, parsedText: string): PyFileFacts {
  const total = beginFacts(tree, parsedText);
  try {
    c = fastCursor(tree, LEAVE_OUT);
    walk();
    c.delete();
  } catch (err) {
    c?.delete();
    release();
    throw err;
  }
  finishFacts(tree, total);
  const out = facts;
  release();
  return out;
}

/*
 * extractFacts is kept to the walk: the set-up and the finishing passes below are their own
 * functions, so the allocation sites and loops they hold are not part of the code V8 re-optimises
 * whenever something inlined into the file's walk is invalidated (each re-optimisation of the old
 * one-piece function compiled all of it again).
 */

/** Resets the walk state for one file; returns its line count. */
function beginFacts(tree: Tree, parsedText: string): number {
  source = parsedText;
  const { total, loc } = countLoc(source);
  const moduleFn = newFunction('<module>', '<module>', 1, total, false, false, [], [], undefined);
  facts = newFileFacts(total, loc, [moduleFn]);
  const tables = typeTables(tree.language);
  ACT = tables.act;
  LEAF = tables.leaf;
  TOK = tables.tok;
  BRANCH = tables.branch;
  LEAVE_OUT = tables.leaveOut;
  types = tree.language.types as (string | null | undefined)[];
  mayHaveMissing = tree.rootNode.hasError;
  tryStack = [];
  stringStatements = [];
  fnStack = [moduleFn];
  counters = [new Int32Array(COUNTER_WORDS)];
  counterStack = [counters[0]];
  count = counters[0];
  loopStack = [[]];
  open = loopStack[0];
  scope = [];
  classStack = [];
  frameData.length = 0;
  depth = 0;
  pendingDecorators = [];
  lateArgCalls = [];
  lateArgMasks = [];
  lateArgLists = [];
  return total;
}

/** After the walk: late arguments in order, per-function counts, syntax errors, code and docstring lines. */
function finishFacts(tree: Tree, total: number): void {
  if (lateArgCalls.length) reorderLateArguments();
  for (let i = 0; i < facts.functions.length; i++) {
    facts.functions[i].all = countsFrom(counters[i], 0);
    facts.functions[i].inLoop = countsFrom(counters[i], SLOTS);
  }
  if (tree.rootNode.hasError && facts.syntaxErrors.length === 0) facts.syntaxErrors.push(1);
  codeLinesOf(total);
}

/** Code lines per function (docstring lines excluded) and the file's docstring lines. */
function codeLinesOf(total: number): void {
  const starts = new Int32Array(total + 1);
  const prefix = codeLinePrefix(source, total, starts);
  // the same prefix sum over code lines that sit in a docstring, so each function costs O(1)
  const docPrefix = new Int32Array(total + 1);
  const inDoc = new Uint8Array(total + 2);
  for (let k = 0; k < stringStatements.length; k++) {
    const a = stringStatements[k][0];
    const b = stringStatements[k][1];
    for (let r = Math.max(a, 1); r <= Math.min(b, total); r++) inDoc[r] = 1;
  }
  for (let r = 1; r <= total; r++) docPrefix[r] = docPrefix[r - 1] + (inDoc[r] && prefix[r] > prefix[r - 1] ? 1 : 0);
  facts.docstringLines = docPrefix[total];
  const functions = facts.functions;
  for (let i = 0; i < functions.length; i++) {
    const fn = functions[i];
    fn.codeLines = span(prefix, fn.line, fn.endLine, total) - span(docPrefix, fn.line, fn.endLine, total);
    const last = counters[i][LAST_STATEMENT];
    if (last > 0) fn.lastStatementLine = lineAt(starts, total, last - 1);
  }
}

/** The line (1-based) holding character `index`, by binary search over the lines' first characters. */
function lineAt(starts: Int32Array, total: number, index: number): number {
  let lo = 1;
  let hi = total;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function span(p: Int32Array, a: number, b: number, total: number): number {
  return p[Math.min(b, total)] - p[Math.max(a, 1) - 1];
}

/** Visits every node once, in document order, calling enter and exit. */
function walk(): void {
  for (;;) {
    const id = c.nodeTypeId;
    const act = ACT[id] as Act;
    const parent = depth > 0 ? frameAct[depth - 1] : -1;
    if (parent === Act.Block && act !== Act.Comment) count[LAST_STATEMENT] = c.startIndex + 1;
    if (parent === Act.Call && c.currentFieldName === 'function') nameCallee(id);
    if (parent === Act.ArgumentList || parent === Act.ExpressionStatement) enterChildOf(id, act, parent);
    // The common case (identifiers, punctuation, other plain nodes) stays here; every other action is
    // its own small function, called through a table so that TurboFan compiles (and, when a rare
    // case first shows up, deoptimises and recompiles) each one alone instead of one big switch.
    const data = act === Act.Other ? enterOther(id, parent) : ENTER[act](id, parent);
    if (depth === frameAct.length) growFrames();
    frameAct[depth] = act;
    frameNamed[depth] = 0;
    frameData[depth] = data;
    depth++;
    if (act !== Act.String && LEAF[id] === 0 && c.gotoFirstChild()) continue;
    let done = false;
    for (;;) {
      exit();
      if (c.gotoNextSibling()) break;
      if (!c.gotoParent()) {
        done = true;
        break;
      }
    }
    if (done) break;
  }
}

function growFrames(): void {
  const acts = new Uint8Array(depth * 2);
  acts.set(frameAct);
  frameAct = acts;
  const named = new Uint8Array(depth * 2);
  named.set(frameNamed);
  frameNamed = named;
}

/** The callee of a call: read its text once, while the cursor is on it. */
function nameCallee(id: number): void {
  const t = typeName(id);
  (frameData[depth - 1] as CallFact).name = t === 'identifier' || t === 'attribute' ? oneLine(text()) : '<expr>';
}

/** A child of an argument_list or expression_statement frame (the cursor on it). */
function enterChildOf(id: number, act: Act, parent: number): void {
  if (!c.nodeIsNamed) return;
  if (parent === Act.ExpressionStatement) {
    const seen = frameNamed[depth - 1];
    frameNamed[depth - 1] = seen === 0 && (act === Act.String || act === Act.ConcatenatedString) ? 1 : 2;
  } else {
    const argsOf = frameData[depth - 1] as CallFact | undefined;
    if (argsOf) countArgument(argsOf, act, typeName(id));
  }
}

/** A counted operation that is scalar work: also adds to the open loops' ops (and deepOps at depth ≥ 2). */
function bump(key: number): void {
  count[key]++;
  const n = open.length;
  if (n > 0) {
    count[SLOTS + key]++;
    for (let i = 0; i < n; i++) open[i].ops++;
    if (n >= 2) fnStack[fnStack.length - 1].deepOps++;
  }
}

/** A counted construct that is not scalar work (counts only). */
function tally(key: number): void {
  count[key]++;
  if (open.length > 0) count[SLOTS + key]++;
}

function enterFunction(): FrameData {
  // Fields read with the cursor alone (no Node objects); the cursor ends on the definition.
  let name: string | undefined;
  let isAsync = false;
  let params: ParamFact[] | undefined;
  let returns: string | undefined;
  if (c.gotoFirstChild()) {
    isAsync = c.nodeType === 'async';
    do {
      const field = c.currentFieldName;
      if (field === 'name') name ??= text();
      else if (field === 'parameters') params ??= readParams();
      else if (field === 'return_type') returns ??= oneLine(text());
    } while (c.gotoNextSibling());
    c.gotoParent();
  }
  name ??= '<anonymous>';
  const qual = scope.length === 0 ? name : scope.join('.') + '.' + name;
  const fn = newFunction(name, qual, line(), endLine(), isAsync, parentIsClassBody(), pendingDecorators, params ?? [], returns);
  pendingDecorators = [];
  currentFn().nestedDefs++;
  facts.functions.push(fn);
  fnStack.push(fn);
  count = new Int32Array(COUNTER_WORDS);
  counters.push(count);
  counterStack.push(count);
  open = [];
  loopStack.push(open);
  scope.push(name);
  return fn;
}

/** Every ParamFact has this one shape (an absent annotation is undefined, which JSON leaves out as before). */
function newParam(name: string, annotation: string | undefined, kind: ParamFact['kind']): ParamFact {
  return { name, annotation, kind };
}

/** The parameters of the `parameters` node under the cursor; the cursor ends where it began. */
function readParams(): ParamFact[] {
  const out: ParamFact[] = [];
  if (!c.gotoFirstChild()) return out;
  do {
    if (!c.nodeIsNamed) continue;
    switch (c.nodeType) {
      case 'identifier':
        out.push(newParam(text(), undefined, 'plain'));
        break;
      case 'typed_parameter':
        out.push(readTypedParam());
        break;
      case 'default_parameter':
        readFields(NAME_FIELD, fieldsB);
        out.push(newParam(fieldsB[0] ? sliceOf(fieldsB[0]) : '', undefined, 'plain'));
        break;
      case 'typed_default_parameter': {
        readFields(NAME_TYPE_FIELDS, fieldsB);
        const type = fieldsB[1] ? sliceOf(fieldsB[1]) : undefined;
        out.push(newParam(fieldsB[0] ? sliceOf(fieldsB[0]) : '', type ? oneLine(type) : undefined, 'plain'));
        break;
      }
      case 'list_splat_pattern':
        out.push(newParam(text().replace(/^\*/, ''), undefined, 'args'));
        break;
      case 'dictionary_splat_pattern':
        out.push(newParam(text().replace(/^\*\*/, ''), undefined, 'kwargs'));
        break;
      default:
        break;
    }
  } while (c.gotoNextSibling());
  c.gotoParent();
  return out;
}

/** A `typed_parameter` under the cursor (`x: int`, `*args: str`, `**kw: Any`); the cursor ends where it began. */
function readTypedParam(): ParamFact {
  let inner: FieldRead | null = null;
  if (c.gotoFirstChild()) {
    do {
      if (c.nodeIsNamed) {
        inner = { type: c.nodeType, startIndex: c.startIndex, endIndex: c.endIndex };
        break;
      }
    } while (c.gotoNextSibling());
    c.gotoParent();
  }
  readFields(TYPE_FIELD, fieldsB);
  const type = fieldsB[0] ? sliceOf(fieldsB[0]) : undefined;
  const kind = inner?.type === 'list_splat_pattern' ? 'args' : inner?.type === 'dictionary_splat_pattern' ? 'kwargs' : 'plain';
  return newParam((inner ? sliceOf(inner) : '').replace(/^\*+/, ''), type ? oneLine(type) : undefined, kind);
}

function parentIsClassBody(): boolean {
  // frames: ..., class_definition, block, [decorated_definition]
  for (let i = depth - 1; i >= 0; i--) {
    const t = frameAct[i];
    if (t === Act.Block || t === Act.Decorated) continue;
    return t === Act.Class;
  }
  return false;
}

function enterClass(): FrameData {
  const node = c.currentNode;
  const name = node.childForFieldName('name')?.text ?? '<anonymous>';
  // metaclass last: it was added after `methods` when found, and JSON leaves it out while undefined.
  const cls = newClass(name, line(), endLine());
  const sup = node.childForFieldName('superclasses');
  if (sup) {
    for (const arg of sup.namedChildren) {
      if (!arg) continue;
      if (arg.type === 'keyword_argument') {
        const key = arg.childForFieldName('name')?.text ?? '';
        cls.keywords.push(key);
        if (key === 'metaclass') cls.metaclass = oneLine(arg.childForFieldName('value')?.text ?? '');
      } else cls.bases.push(oneLine(arg.text));
    }
  }
  pendingDecorators = [];
  facts.classes.push(cls);
  classStack.push(cls);
  scope.push(name);
  return cls;
}

function enterLoop(type: string): FrameData {
  const depth = open.length + 1;
  const node = c.currentNode;
  let target = '';
  let iter = '';
  let iterCallee: string | undefined;
  let kind: LoopFact['kind'] = 'comprehension';
  if (type === 'for_statement') {
    kind = 'for';
    target = oneLine(node.childForFieldName('left')?.text ?? '');
    const right = node.childForFieldName('right');
    if (right) {
      iter = oneLine(right.text.slice(0, TEXT_LIMIT * 2));
      if (right.type === 'call') iterCallee = oneLine(right.childForFieldName('function')?.text ?? '');
    }
  } else if (type === 'while_statement') {
    kind = 'while';
    iter = oneLine(node.childForFieldName('condition')?.text.slice(0, TEXT_LIMIT * 2) ?? '');
  } else {
    let clause: Node | null = null;
    for (const n of node.namedChildren) {
      if (n?.type === 'for_in_clause') {
        clause = n;
        break;
      }
    }
    if (clause) {
      target = oneLine(clause.childForFieldName('left')?.text ?? '');
      const right = clause.childForFieldName('right');
      if (right) {
        iter = oneLine(right.text.slice(0, TEXT_LIMIT * 2));
        if (right.type === 'call') iterCallee = oneLine(right.childForFieldName('function')?.text ?? '');
      }
    }
  }
  const startLine = line();
  const end = endLine();
  const loop = newLoop(kind, startLine, end, depth, target, iter, iterCallee);
  const fn = currentFn();
  fn.loops.push(loop);
  if (depth > fn.maxLoopDepth) fn.maxLoopDepth = depth;
  open.push(loop);
  return loop;
}

function enterCall(): FrameData {
  // The optional fields exist from the start (see keepArgumentOrder for the rare call whose keyword
  // values came before a short positional argument).
  const call = newCall(line(), open.length);
  currentFn().calls.push(call);
  tally(K.calls);
  for (let i = 0; i < open.length; i++) open[i].calls++;
  return call;
}

/** The default action: plain nodes (and Block, Slice, WithItem, ConcatenatedString, which only parents look at). */
function enterOther(id: number, parent: number): FrameData {
  if (BRANCH[id]) currentFn().complexity++;
  // A MISSING node (often an anonymous token such as `)`) marks where the syntax error is.
  if (mayHaveMissing && c.nodeIsMissing) facts.syntaxErrors.push(line());
  else if (TOK[id] !== Tok.None && (parent === Act.Binary || parent === Act.Unary || parent === Act.AugAssign) && !c.nodeIsNamed) countToken(TOK[id], parent);
  return undefined;
}

/** What the walk does on entering a node, by action: (type id, parent frame's action) → the fact the frame opens. */
type Enter = (id: number, parent: number) => FrameData;

const enterNothing: Enter = () => undefined;

function enterSubscript(): FrameData {
  // Read the `value` and `subscript` fields with the cursor alone (no Node objects).
  const inLoop = open.length > 0;
  let subs = 0;
  let sub = -1;
  let valueType = -1;
  let valueStart = 0;
  let valueEnd = 0;
  if (c.gotoFirstChild()) {
    do {
      const field = c.currentFieldName;
      if (field === 'subscript') {
        if (subs++ === 0) sub = c.nodeTypeId;
      } else if (field === 'value' && valueType < 0 && inLoop) {
        valueType = c.nodeTypeId;
        valueStart = c.startIndex;
        valueEnd = c.endIndex;
      }
    } while (c.gotoNextSibling());
    c.gotoParent();
  }
  const subName = sub < 0 ? '' : typeName(sub);
  if (subName === 'slice') bump(K.slice);
  else {
    bump(K.subscript);
    if (subName === 'tuple' || subs > 1) bump(K.tupleIndex);
  }
  if (inLoop && valueType >= 0) recordIndexedName(typeName(valueType), valueStart, valueEnd);
  return undefined;
}

function enterAttribute(): FrameData {
  tally(K.attribute);
  const len = c.endIndex - c.startIndex;
  if (len >= 8 && len <= 11) {
    const t = text();
    if (SPECIAL_ATTRIBUTES.has(t)) facts.attributeReads.push({ name: t, line: line() });
  }
  return undefined;
}

function enterString(_id: number, parent: number): FrameData {
  if (open.length && c.endIndex - c.startIndex <= 6 && /^[bBrRuU]*(['"]).{0,2}\1$/s.test(text())) {
    bump(K.charLiterals);
    if (parent === Act.Compare) open[open.length - 1].charCompares++;
  }
  return undefined;
}

function enterTry(): FrameData {
  const tryFact = newTry(line(), endLine());
  facts.tries.push(tryFact);
  tryStack.push(tryFact);
  return tryFact;
}

function enterExcept(_id: number, parent: number): FrameData {
  const openTry = tryStack[tryStack.length - 1];
  if (openTry && parent === Act.Try) {
    openTry.handlerLine ||= line();
    const caught = c.currentNode.namedChildren[0];
    if (caught && caught.type !== 'block' && /\b(ImportError|ModuleNotFoundError)\b/.test(caught.text)) openTry.catchesImportError = true;
  }
  return undefined;
}

function enterIf(): FrameData {
  tally(K.ifs);
  currentFn().complexity++;
  if (fnStack.length === 1 && scope.length === 0 && /__name__\s*==\s*['"]__main__['"]|['"]__main__['"]\s*==\s*__name__/.test(c.currentNode.childForFieldName('condition')?.text ?? '')) {
    facts.mainGuardLine = line();
  }
  return undefined;
}

function enterComment(): FrameData {
  const t = text();
  if (t.includes('rustscout')) {
    const m = /rustscout\s*:\s*(.*)$/.exec(t);
    if (m) facts.directives.push({ line: line(), text: m[1].trim() });
  }
  return undefined;
}

function enterGlobal(): FrameData {
  for (const n of c.currentNode.namedChildren) if (n) currentFn().globals.push(n.text);
  return undefined;
}

/** A handler that only counts its node under `key`. */
const counting = (key: number): Enter => () => {
  tally(key);
  return undefined;
};

/** Indexed by Act (every slot filled, in order). */
const ENTER: Enter[] = [];
{
  const handlers: Record<number, Enter> = {
    [Act.Other]: enterOther,
    [Act.Function]: () => enterFunction(),
    [Act.Class]: () => enterClass(),
    [Act.Decorated]: () => {
      pendingDecorators = [];
      return undefined;
    },
    [Act.ExpressionStatement]: enterNothing,
    [Act.Decorator]: () => {
      pendingDecorators.push(oneLine(text().replace(/^@/, '')));
      return undefined;
    },
    [Act.ForWhile]: (id) => {
      currentFn().complexity++;
      return enterLoop(typeName(id));
    },
    [Act.Comprehension]: (id) => enterLoop(typeName(id)),
    [Act.Call]: () => enterCall(),
    [Act.ArgumentList]: (_id, parent) => (parent === Act.Call ? frameData[depth - 1] : undefined),
    [Act.Lambda]: () => {
      currentFn().lambdas++;
      return undefined;
    },
    [Act.Binary]: enterNothing,
    [Act.Unary]: enterNothing,
    [Act.AugAssign]: enterNothing,
    [Act.Compare]: () => {
      bump(K.compare);
      return undefined;
    },
    [Act.BoolOp]: () => {
      bump(K.boolops);
      currentFn().complexity++;
      return undefined;
    },
    [Act.Subscript]: enterSubscript,
    [Act.Slice]: enterOther,
    [Act.Attribute]: enterAttribute,
    [Act.String]: enterString,
    [Act.Try]: enterTry,
    [Act.Except]: enterExcept,
    [Act.AsPattern]: (_id, parent) => {
      if (parent === Act.WithItem) recordWithBinding();
      return undefined;
    },
    [Act.WithItem]: enterOther,
    [Act.Number]: counting(K.numLiterals),
    [Act.If]: enterIf,
    [Act.Yield]: () => {
      tally(K.yields);
      if (open.length) currentFn().yieldsInLoop++;
      return undefined;
    },
    [Act.Return]: counting(K.returns),
    [Act.Raise]: counting(K.raises),
    [Act.Await]: counting(K.awaits),
    [Act.Assignment]: () => {
      tally(K.assigns);
      recordAssignment();
      return undefined;
    },
    [Act.Global]: enterGlobal,
    [Act.Import]: (id) => {
      recordImport(typeName(id));
      return undefined;
    },
    [Act.Comment]: enterComment,
    [Act.Python2]: () => {
      facts.python2 = true;
      return undefined;
    },
    [Act.Error]: () => {
      facts.syntaxErrors.push(line());
      return undefined;
    },
    [Act.Block]: enterOther,
    [Act.ConcatenatedString]: enterOther,
    [Act.Assert]: () => {
      tally(K.asserts);
      currentFn().lastAssertLine = line();
      return undefined;
    },
    [Act.With]: (id, parent) => {
      const fn = currentFn();
      if (fn.withLines === NO_WITH_LINES) fn.withLines = [];
      fn.withLines.push(line(), endLine());
      return enterOther(id, parent);
    },
  };
  const acts = Object.keys(handlers).length;
  for (let a = 0; a < acts; a++) ENTER.push(handlers[a]);
}

function countToken(tok: Tok, parent: number): void {
  if (parent === Act.Binary) {
    if (tok === Tok.Arith || tok === Tok.Minus) {
      bump(K.arith);
      const holder = depth >= 2 ? frameAct[depth - 2] : -1;
      if (holder === Act.Subscript || holder === Act.Slice) tally(K.indexArith);
    } else if (tok === Tok.Bit || tok === Tok.Tilde) bump(K.bitops);
  } else if (parent === Act.Unary) {
    if (tok === Tok.Tilde) bump(K.bitops);
    else if (tok === Tok.Minus) bump(K.arith);
  } else if (tok >= Tok.AugArith) {
    bump(K.augassign);
    if (tok === Tok.AugBit) bump(K.bitops);
    else if (tok === Tok.AugArith) bump(K.arith);
  }
}

/** One named child of a call's argument_list, met by the walk (cursor on it). */
function countArgument(call: CallFact, act: Act, type: string): void {
  if (act === Act.Comment) return;
  if (type === 'keyword_argument') countKeyword(call);
  else if (type === 'dictionary_splat') call.hasKwargsSplat = true;
  else {
    if (call.args < 2) shortArgument(call);
    call.args++;
  }
}

function countKeyword(call: CallFact): void {
  readFields(KEYWORD_FIELDS, fieldsB);
  const name = fieldsB[0];
  const value = fieldsB[1];
  const key = name ? sliceOf(name) : '';
  if (call.keywords === NO_KEYWORDS) call.keywords = [key];
  else call.keywords.push(key);
  if (value && value.endIndex - value.startIndex <= ARG_LIMIT && SHORT_VALUE_TYPES.has(value.type)) {
    if (call.kwargValues === undefined) call.kwargValues = Object.create(null) as Record<string, string>;
    call.kwargValues[key] = sliceOf(value);
  }
}

/** The first or second positional argument (cursor on it), kept when short. */
function shortArgument(call: CallFact): void {
  const start = c.startIndex;
  const end = c.endIndex;
  if (end - start > ARG_LIMIT) return;
  const first = call.args === 0;
  if (call.kwargValues !== undefined) keepArgumentOrder(call, first ? 1 : 2);
  if (first) call.firstArg = oneLine(source.slice(start, end));
  else call.secondArg = oneLine(source.slice(start, end));
}

/**
 * Calls whose kwargValues were set before firstArg/secondArg (`f(k=v, *rest)`), with which of the
 * two came later (bit 1 first, bit 2 second): rebuilt at the end with their properties in the order
 * they used to be added, so the facts serialise exactly as before.
 */
let lateArgCalls: CallFact[] = [];
let lateArgMasks: number[] = [];
let lateArgLists: CallFact[][] = [];

function keepArgumentOrder(call: CallFact, bit: number): void {
  for (let i = lateArgCalls.length - 1; i >= 0; i--) {
    if (lateArgCalls[i] === call) {
      lateArgMasks[i] |= bit;
      return;
    }
  }
  lateArgCalls.push(call);
  lateArgMasks.push(bit);
  lateArgLists.push(currentFn().calls);
}

function reorderLateArguments(): void {
  for (let i = 0; i < lateArgCalls.length; i++) {
    const call = lateArgCalls[i];
    const mask = lateArgMasks[i];
    const out: Record<string, unknown> = {
      name: call.name, line: call.line, loopDepth: call.loopDepth, args: call.args, keywords: call.keywords, hasKwargsSplat: call.hasKwargsSplat,
    };
    if (call.firstArg !== undefined && !(mask & 1)) out.firstArg = call.firstArg;
    if (call.secondArg !== undefined && !(mask & 2)) out.secondArg = call.secondArg;
    out.kwargValues = call.kwargValues;
    if (mask & 1) out.firstArg = call.firstArg;
    if (mask & 2) out.secondArg = call.secondArg;
    const list = lateArgLists[i];
    const at = list.lastIndexOf(call);
    if (at >= 0) list[at] = out as unknown as CallFact;
  }
}

function recordIndexedName(type: string, start: number, end: number): void {
  if ((type !== 'identifier' && type !== 'attribute') || end - start > ARG_LIMIT) return;
  const indexed = currentFn().indexedInLoop;
  const name = source.slice(start, end);
  indexed[name] = (indexed[name] ?? 0) + 1;
}

/** A child field of the cursor's node, read with the cursor alone (no Node objects); the cursor ends where it began. */
interface FieldRead { type: string; startIndex: number; endIndex: number }
function readFields(wanted: readonly string[], out: (FieldRead | null)[]): void {
  for (let i = 0; i < wanted.length; i++) out[i] = null;
  if (!c.gotoFirstChild()) return;
  do {
    const k = wanted.indexOf(c.currentFieldName ?? '');
    if (k >= 0 && !out[k]) out[k] = { type: c.nodeType, startIndex: c.startIndex, endIndex: c.endIndex };
  } while (c.gotoNextSibling());
  c.gotoParent();
}
const sliceOf = (f: FieldRead): string => source.slice(f.startIndex, f.endIndex);
const ASSIGNMENT_FIELDS = ['left', 'right'] as const;
const ATTRIBUTE_FIELDS = ['object', 'attribute'] as const;
const CALL_FIELDS = ['function'] as const;
const KEYWORD_FIELDS = ['name', 'value'] as const;
const ALIASED_IMPORT_FIELDS = ['name', 'alias'] as const;
const TYPE_FIELD = ['type'] as const;
const NAME_FIELD = ['name'] as const;
const NAME_TYPE_FIELDS = ['name', 'type'] as const;
const fieldsA: (FieldRead | null)[] = [null, null];
const fieldsB: (FieldRead | null)[] = [null, null];

function recordAssignment(): void {
  // Cursor on the assignment; every field below is read by stepping the cursor, which returns here.
  readFields(ASSIGNMENT_FIELDS, fieldsA);
  const left = fieldsA[0];
  const right = fieldsA[1];
  if (!left) return;
  const at = line();
  if (left.type === 'attribute') {
    if (!c.gotoFirstChild()) return;
    do { if (c.currentFieldName === 'left') break; } while (c.gotoNextSibling());
    readFields(ATTRIBUTE_FIELDS, fieldsB);
    c.gotoParent();
    const obj = fieldsB[0];
    const attr = fieldsB[1];
    if (obj?.type === 'identifier' && attr) {
      facts.attributeAssigns.push({ object: sliceOf(obj), attribute: sliceOf(attr), line: at, inFunction: fnStack.length > 1 });
    }
  } else if (left.type !== 'identifier') return;
  else if (fnStack.length === 1 && scope.length === 0) facts.moduleNames.push(sliceOf(left));
  if (right?.type !== 'call' || left.endIndex - left.startIndex > ARG_LIMIT) return;
  if (!c.gotoFirstChild()) return;
  do { if (c.currentFieldName === 'right') break; } while (c.gotoNextSibling());
  readFields(CALL_FIELDS, fieldsB);
  c.gotoParent();
  const callee = fieldsB[0];
  if (callee && (callee.type === 'identifier' || callee.type === 'attribute') && callee.endIndex - callee.startIndex <= TEXT_LIMIT) {
    facts.bindings.push({ name: sliceOf(left), callee: sliceOf(callee), line: at, function: currentFn().qualname });
  }
}

function recordWithBinding(): void {
  const node = c.currentNode;
  const value = node.namedChildren[0];
  const alias = node.childForFieldName('alias');
  if (value?.type !== 'call' || !alias) return;
  const callee = value.childForFieldName('function');
  const target = alias.namedChildren[0] ?? alias;
  if (callee && (callee.type === 'identifier' || callee.type === 'attribute') && target.type === 'identifier') {
    facts.bindings.push({ name: target.text, callee: oneLine(callee.text), line: line(), function: currentFn().qualname });
  }
}

function recordImport(type: string): void {
  const before = facts.imports.length;
  recordImportOf(type);
  const open = tryStack[tryStack.length - 1];
  if (open) for (let i = before; i < facts.imports.length; i++) facts.imports[i].tryLine = open.line;
}

/** Every ImportFact has this one shape (tryLine last, where it used to be added; JSON leaves it out while undefined). */
function newImport(module: string, names: string[], bound: string[], level: number, line: number, inFunction: boolean): ImportFact {
  return { module, names, bound, level, line, inFunction, tryLine: undefined };
}

/** The name and local alias of the aliased_import under the cursor (aliasedName, aliasedAs). */
let aliasedName = '';
let aliasedAs = '';
function readAliased(): void {
  readFields(ALIASED_IMPORT_FIELDS, fieldsB);
  aliasedName = fieldsB[0] ? sliceOf(fieldsB[0]) : '';
  aliasedAs = fieldsB[1] ? sliceOf(fieldsB[1]) : aliasedName;
}

/** Reads an import with the cursor alone (no Node objects); the cursor ends on the statement. */
function recordImportOf(type: string): void {
  const inFunction = fnStack.length > 1;
  const at = line();
  if (type === 'future_import_statement') return;
  if (type === 'import_statement') {
    if (!c.gotoFirstChild()) return;
    do {
      if (!c.nodeIsNamed) continue;
      const t = c.nodeType;
      if (t === 'dotted_name') {
        const name = text();
        facts.imports.push(newImport(name, [], [name.split('.')[0]], 0, at, inFunction));
      } else if (t === 'aliased_import') {
        readAliased();
        facts.imports.push(newImport(aliasedName, [], [aliasedAs], 0, at, inFunction));
      }
    } while (c.gotoNextSibling());
    c.gotoParent();
    return;
  }
  let module = '';
  let level = 0;
  let haveModule = false;
  let wildcard = false;
  const names: string[] = [];
  const bound: string[] = [];
  if (c.gotoFirstChild()) {
    do {
      const field = c.currentFieldName;
      const t = c.nodeType;
      if (field === 'module_name') {
        if (!haveModule) {
          haveModule = true;
          const m = text();
          if (t === 'relative_import') {
            level = m.length - m.replace(/^\.+/, '').length;
            module = m.slice(level);
          } else module = m;
        }
      } else if (field === 'name') {
        if (t === 'aliased_import') {
          readAliased();
          names.push(aliasedName);
          bound.push(aliasedAs);
        } else {
          const name = text();
          names.push(name);
          bound.push(name.split('.')[0]);
        }
      }
      if (t === 'wildcard_import' && c.nodeIsNamed) wildcard = true;
    } while (c.gotoNextSibling());
    c.gotoParent();
  }
  if (wildcard) names.push('*');
  facts.imports.push(newImport(module, names, bound, level, at, inFunction));
}

/** 1 for the actions whose frames do something when the walk leaves them (see exit). */
const EXITS = new Uint8Array(256);
for (const a of [Act.Function, Act.Class, Act.Try, Act.ForWhile, Act.Comprehension, Act.Call, Act.ExpressionStatement]) EXITS[a] = 1;

/** Leaves the frame on top, closing the fact it opened; the cursor is on its node. */
function exit(): void {
  depth--;
  const act = frameAct[depth];
  if (EXITS[act] !== 0) {
    if (act === Act.Call) exitCall(frameData[depth] as CallFact);
    else if (act === Act.ExpressionStatement) {
      // A bare string statement (a docstring): its only named child was a string.
      if (frameNamed[depth] === 1) stringStatements.push([line(), endLine()]);
    } else exitScope(act);
  }
  frameData[depth] = undefined;
}

function exitCall(call: CallFact): void {
  if (CHEAP_BUILTINS.has(call.name)) bump(K.cheapBuiltin);
  if (call.name === 'isinstance') tally(K.isinstance);
}

function exitScope(act: number): void {
  switch (act) {
    case Act.Function: {
      const fn = frameData[depth] as FunctionFacts;
      fnStack.pop();
      counterStack.pop();
      count = counterStack[counterStack.length - 1];
      loopStack.pop();
      open = loopStack[loopStack.length - 1];
      scope.pop();
      if (classStack.length && fn.isMethod) classStack[classStack.length - 1].methods++;
      break;
    }
    case Act.Class:
      classStack.pop();
      scope.pop();
      break;
    case Act.Try:
      tryStack.pop();
      break;
    default:
      // ForWhile, Comprehension
      open.pop();
      break;
  }
}
