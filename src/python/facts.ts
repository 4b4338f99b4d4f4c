/**
 * One walk over a tree-sitter Python tree that records the syntax facts every detector reads:
 * functions, loops, calls, operators (and whether they sit inside loops), imports, classes.
 * Detectors are pure functions of these facts, so a file is walked exactly once.
 */
import type { Tree } from 'web-tree-sitter';
import { fastCursor } from '../tree-sitter/fast-cursor.js';

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

const CHEAP_BUILTINS = new Set(['ord', 'chr', 'len', 'range', 'int', 'divmod', 'min', 'max', 'abs', 'float', 'bool', 'hex', 'bin']);
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
    assigns: 0, awaits: 0, raises: 0, isinstance: 0, indexArith: 0,
  };
}

/** Scalar work the interpreter pays for per element and Rust does in a cycle or two. */
export function cheapOps(c: OpCounts): number {
  return c.arith + c.bitops + c.compare + c.subscript + c.slice + c.augassign + c.cheapBuiltin + c.charLiterals;
}

function newFunction(name: string, qualname: string, line: number, endLine: number): FunctionFacts {
  return {
    name, qualname, line, endLine, isAsync: false, isMethod: false, decorators: [], params: [],
    all: emptyCounts(), inLoop: emptyCounts(), deepOps: 0, loops: [], calls: [], maxLoopDepth: 0,
    complexity: 1, yieldsInLoop: 0, globals: [], lambdas: 0, nestedDefs: 0, indexedInLoop: Object.create(null) as Record<string, number>, codeLines: 0,
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

/** prefix[i] = lines 1..i that hold code by countLoc's rule (not blank, not starting with #). */
function codeLinePrefix(source: string, total: number): Int32Array {
  const prefix = new Int32Array(total + 1);
  let start = 0;
  for (let row = 1; row <= total; row++) {
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

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > TEXT_LIMIT ? flat.slice(0, TEXT_LIMIT) + '…' : flat;
}

interface Frame {
  type: string;
  fn?: FunctionFacts;
  loop?: LoopFact;
  cls?: ClassFact;
  call?: CallFact;
  /** A call's argument_list: its arguments are counted as the walk visits them (no Node objects). */
  argsOf?: CallFact;
  decorators?: string[];
  tryFact?: TryFact;
}

/** Walks the tree once and returns the file's facts. `source` must be the text that was parsed. */
export function extractFacts(tree: Tree, source: string): PyFileFacts {
  const { total, loc } = countLoc(source);
  const moduleFn = newFunction('<module>', '<module>', 1, total);
  const facts: PyFileFacts = {
    totalLines: total, loc, syntaxErrors: [], python2: false, imports: [], functions: [moduleFn],
    classes: [], attributeAssigns: [], mainGuardLine: null, bindings: [], moduleNames: [], tries: [], attributeReads: [], directives: [], docstringLines: 0,
  };
  const tryStack: TryFact[] = [];
  /** Line ranges of bare string statements (docstrings), to keep them out of code-line counts. */
  const stringStatements: [number, number][] = [];
  const fnStack: FunctionFacts[] = [moduleFn];
  const loopStack: LoopFact[][] = [[]];
  const scope: string[] = [];
  const classStack: ClassFact[] = [];
  const frames: Frame[] = [];
  let pendingDecorators: string[] = [];
  const c = fastCursor(tree);

  const text = (): string => source.slice(c.startIndex, c.endIndex);
  const line = (): number => c.startPosition.row + 1;
  const endLine = (): number => c.endPosition.row + 1;
  const parentType = (): string => (frames.length ? frames[frames.length - 1].type : '');
  const currentFn = (): FunctionFacts => fnStack[fnStack.length - 1];
  const loops = (): LoopFact[] => loopStack[loopStack.length - 1];

  function bump(key: keyof OpCounts, cheap = true): void {
    const fn = currentFn();
    fn.all[key]++;
    const open = loops();
    if (open.length > 0) {
      fn.inLoop[key]++;
      if (cheap) {
        for (const l of open) l.ops++;
        if (open.length >= 2) fn.deepOps++;
      }
    }
  }

  function enterFunction(): Frame {
    const node = c.currentNode;
    const name = node.childForFieldName('name')?.text ?? '<anonymous>';
    const qual = [...scope, name].join('.');
    const fn = newFunction(name, qual, line(), endLine());
    fn.isAsync = node.firstChild?.type === 'async';
    fn.isMethod = parentIsClassBody();
    fn.decorators = pendingDecorators;
    pendingDecorators = [];
    const params = node.childForFieldName('parameters');
    if (params) fn.params = readParams(params.namedChildren);
    const ret = node.childForFieldName('return_type');
    if (ret) fn.returns = oneLine(ret.text);
    currentFn().nestedDefs++;
    facts.functions.push(fn);
    fnStack.push(fn);
    loopStack.push([]);
    scope.push(name);
    return { type: 'function_definition', fn };
  }

  function parentIsClassBody(): boolean {
    // frames: ..., class_definition, block, [decorated_definition]
    for (let i = frames.length - 1; i >= 0; i--) {
      const t = frames[i].type;
      if (t === 'block' || t === 'decorated_definition') continue;
      return t === 'class_definition';
    }
    return false;
  }

  function enterClass(): Frame {
    const node = c.currentNode;
    const name = node.childForFieldName('name')?.text ?? '<anonymous>';
    const cls: ClassFact = { name, line: line(), endLine: endLine(), bases: [], keywords: [], methods: 0 };
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
    return { type: 'class_definition', cls };
  }

  function enterLoop(type: string): Frame {
    const open = loops();
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
      const clause = node.namedChildren.find((n) => n?.type === 'for_in_clause');
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
    const loop: LoopFact = {
      kind, line: startLine, endLine: endLine(), depth, target, iter, iterCallee, ops: 0, calls: 0,
      bodyLines: endLine() - startLine + 1, charCompares: 0,
    };
    const fn = currentFn();
    fn.loops.push(loop);
    if (depth > fn.maxLoopDepth) fn.maxLoopDepth = depth;
    open.push(loop);
    return { type, loop };
  }

  function enterCall(): Frame {
    const call: CallFact = { name: '<expr>', line: line(), loopDepth: loops().length, args: 0, keywords: [], hasKwargsSplat: false };
    currentFn().calls.push(call);
    bump('calls', false);
    for (const l of loops()) l.calls++;
    return { type: 'call', call };
  }

  function enter(): Frame {
    const type = c.nodeType;
    const parent = parentType();
    const argsOf = frames.length ? frames[frames.length - 1].argsOf : undefined;
    if (argsOf && c.nodeIsNamed) countArgument(argsOf, type);
    switch (type) {
      case 'function_definition':
        return enterFunction();
      case 'class_definition':
        return enterClass();
      case 'decorated_definition':
        pendingDecorators = [];
        return { type };
      case 'expression_statement':
        if (onlyNamedChildIsString()) stringStatements.push([line(), endLine()]);
        return { type };
      case 'decorator':
        pendingDecorators.push(oneLine(text().replace(/^@/, '')));
        return { type };
      case 'for_statement':
      case 'while_statement':
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression': {
        currentFn().complexity += type === 'while_statement' || type === 'for_statement' ? 1 : 0;
        return enterLoop(type);
      }
      case 'call':
        return enterCall();
      case 'argument_list':
        return parent === 'call' ? { type, argsOf: frames[frames.length - 1].call! } : { type };
      case 'lambda':
        currentFn().lambdas++;
        return { type };
      case 'binary_operator':
      case 'unary_operator':
      case 'augmented_assignment':
        return { type };
      case 'comparison_operator':
        bump('compare');
        return { type };
      case 'boolean_operator':
        bump('boolops');
        currentFn().complexity++;
        return { type };
      case 'subscript': {
        // Read the `value` and `subscript` fields with the cursor alone (no Node objects).
        const inLoop = loops().length > 0;
        let subs = 0;
        let sub = '';
        let value: { type: string; text: string; endIndex: number; startIndex: number } | null = null;
        if (c.gotoFirstChild()) {
          do {
            const field = c.currentFieldName;
            if (field === 'subscript') {
              if (subs++ === 0) sub = c.nodeType;
            } else if (field === 'value' && !value && inLoop) {
              value = { type: c.nodeType, text: text(), startIndex: c.startIndex, endIndex: c.endIndex };
            }
          } while (c.gotoNextSibling());
          c.gotoParent();
        }
        if (sub === 'slice') bump('slice');
        else {
          bump('subscript');
          if (sub === 'tuple' || subs > 1) bump('tupleIndex');
        }
        if (inLoop) recordIndexedName(value);
        return { type };
      }
      case 'attribute': {
        bump('attribute', false);
        const len = c.endIndex - c.startIndex;
        if (len >= 8 && len <= 11) {
          const t = text();
          if (SPECIAL_ATTRIBUTES.has(t)) facts.attributeReads.push({ name: t, line: line() });
        }
        return { type };
      }
      case 'string':
        if (c.endIndex - c.startIndex <= 6 && loops().length && /^[bBrRuU]*(['"]).{0,2}\1$/s.test(text())) {
          bump('charLiterals');
          if (parent === 'comparison_operator') loops()[loops().length - 1].charCompares++;
        }
        return { type };
      case 'try_statement': {
        const tryFact: TryFact = { line: line(), endLine: endLine(), handlerLine: 0, catchesImportError: false };
        facts.tries.push(tryFact);
        tryStack.push(tryFact);
        return { type, tryFact };
      }
      case 'except_clause': {
        const open = tryStack[tryStack.length - 1];
        if (open && parent === 'try_statement') {
          open.handlerLine ||= line();
          const caught = c.currentNode.namedChildren[0];
          if (caught && caught.type !== 'block' && /\b(ImportError|ModuleNotFoundError)\b/.test(caught.text)) open.catchesImportError = true;
        }
        return { type };
      }
      case 'as_pattern':
        if (parent === 'with_item') recordWithBinding();
        return { type };
      case 'integer':
      case 'float':
        bump('numLiterals', false);
        return { type };
      case 'if_statement':
        bump('ifs', false);
        currentFn().complexity++;
        if (fnStack.length === 1 && scope.length === 0 && /__name__\s*==\s*['"]__main__['"]|['"]__main__['"]\s*==\s*__name__/.test(c.currentNode.childForFieldName('condition')?.text ?? '')) {
          facts.mainGuardLine = line();
        }
        return { type };
      case 'yield':
        bump('yields', false);
        if (loops().length) currentFn().yieldsInLoop++;
        return { type };
      case 'return_statement':
        bump('returns', false);
        return { type };
      case 'raise_statement':
        bump('raises', false);
        return { type };
      case 'await':
        bump('awaits', false);
        return { type };
      case 'assignment':
        bump('assigns', false);
        recordAssignment();
        return { type };
      case 'global_statement':
        for (const n of c.currentNode.namedChildren) if (n) currentFn().globals.push(n.text);
        return { type };
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        recordImport(type);
        return { type };
      case 'comment': {
        const t = text();
        const m = /rustscout\s*:\s*(.*)$/.exec(t);
        if (m) facts.directives.push({ line: line(), text: m[1].trim() });
        return { type };
      }
      case 'print_statement':
      case 'exec_statement':
        facts.python2 = true;
        return { type };
      case 'ERROR':
        facts.syntaxErrors.push(line());
        return { type };
      default:
        if (BRANCH_TYPES.has(type)) currentFn().complexity++;
        // A MISSING node (often an anonymous token such as `)`) marks where the syntax error is.
        if (c.nodeIsMissing) facts.syntaxErrors.push(line());
        else if (!c.nodeIsNamed) countToken(type, parent);
        return { type };
    }
  }

  /** A bare string statement (a docstring)? Peeks at the children with the cursor alone: no Node objects. */
  function onlyNamedChildIsString(): boolean {
    if (!c.gotoFirstChild()) return false;
    let named = 0;
    let first = '';
    do {
      if (c.nodeIsNamed && named++ === 0) first = c.nodeType;
    } while (named < 2 && c.gotoNextSibling());
    c.gotoParent();
    return named === 1 && (first === 'string' || first === 'concatenated_string');
  }

  function countToken(token: string, parent: string): void {
    if (parent === 'binary_operator') {
      if (ARITH_TOKENS.has(token)) {
        bump('arith');
        const holder = frames.length >= 2 ? frames[frames.length - 2].type : '';
        if (holder === 'subscript' || holder === 'slice') bump('indexArith', false);
      } else if (BIT_TOKENS.has(token)) bump('bitops');
    } else if (parent === 'unary_operator') {
      if (token === '~') bump('bitops');
      else if (token === '-') bump('arith');
    } else if (parent === 'augmented_assignment' && token.endsWith('=')) {
      bump('augassign');
      const op = token.slice(0, -1);
      if (BIT_TOKENS.has(op)) bump('bitops');
      else if (ARITH_TOKENS.has(op)) bump('arith');
    }
  }

  /** One named child of a call's argument_list, met by the walk (cursor on it, `type` its type). */
  function countArgument(call: CallFact, type: string): void {
    if (type === 'comment') return;
    if (type === 'keyword_argument') {
      const a = c.currentNode;
      const key = a.childForFieldName('name')?.text ?? '';
      call.keywords.push(key);
      const value = a.childForFieldName('value');
      if (value && value.endIndex - value.startIndex <= ARG_LIMIT && SHORT_VALUE_TYPES.has(value.type)) (call.kwargValues ??= Object.create(null) as Record<string, string>)[key] = value.text;
    } else if (type === 'dictionary_splat') call.hasKwargsSplat = true;
    else {
      if (call.args < 2) {
        const start = c.startIndex;
        const end = c.endIndex;
        if (end - start <= ARG_LIMIT) {
          if (call.args === 0) call.firstArg = oneLine(source.slice(start, end));
          else call.secondArg = oneLine(source.slice(start, end));
        }
      }
      call.args++;
    }
  }

  function recordIndexedName(value: { type: string; text: string; endIndex: number; startIndex: number } | null): void {
    if (!value || (value.type !== 'identifier' && value.type !== 'attribute') || value.endIndex - value.startIndex > ARG_LIMIT) return;
    const indexed = currentFn().indexedInLoop;
    const name = value.text;
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

  function recordImportOf(type: string): void {
    const node = c.currentNode;
    const inFunction = fnStack.length > 1;
    const at = line();
    if (type === 'import_statement') {
      for (const n of node.namedChildren) {
        if (!n) continue;
        if (n.type === 'dotted_name') {
          facts.imports.push({ module: n.text, names: [], bound: [n.text.split('.')[0]], level: 0, line: at, inFunction });
        } else if (n.type === 'aliased_import') {
          const name = n.childForFieldName('name')?.text ?? '';
          const alias = n.childForFieldName('alias')?.text ?? name;
          facts.imports.push({ module: name, names: [], bound: [alias], level: 0, line: at, inFunction });
        }
      }
      return;
    }
    if (type === 'future_import_statement') return;
    const modNode = node.childForFieldName('module_name');
    let module = '';
    let level = 0;
    if (modNode?.type === 'relative_import') {
      const t = modNode.text;
      level = t.length - t.replace(/^\.+/, '').length;
      module = t.slice(level);
    } else if (modNode) module = modNode.text;
    const names: string[] = [];
    const bound: string[] = [];
    for (const n of node.childrenForFieldName('name')) {
      if (!n) continue;
      if (n.type === 'aliased_import') {
        const name = n.childForFieldName('name')?.text ?? '';
        names.push(name);
        bound.push(n.childForFieldName('alias')?.text ?? name);
      } else {
        names.push(n.text);
        bound.push(n.text.split('.')[0]);
      }
    }
    if (node.namedChildren.some((n) => n?.type === 'wildcard_import')) names.push('*');
    facts.imports.push({ module, names, bound, level, line: at, inFunction });
  }

  function exit(frame: Frame): void {
    if (frame.fn) {
      fnStack.pop();
      loopStack.pop();
      scope.pop();
      if (classStack.length && frame.fn.isMethod) classStack[classStack.length - 1].methods++;
    } else if (frame.cls) {
      classStack.pop();
      scope.pop();
    } else if (frame.tryFact) {
      tryStack.pop();
    } else if (frame.loop) {
      loops().pop();
    } else if (frame.call) {
      const call = frame.call;
      if (CHEAP_BUILTINS.has(call.name)) bump('cheapBuiltin');
      if (call.name === 'isinstance') bump('isinstance', false);
    }
  }

  function onFunctionField(): void {
    // The callee of a call: read its text once, while the cursor is on it.
    const top = frames[frames.length - 1];
    if (top?.call && c.currentFieldName === 'function') {
      const t = c.nodeType;
      top.call.name = t === 'identifier' || t === 'attribute' ? oneLine(text()) : '<expr>';
    }
  }

  try {
    for (;;) {
      onFunctionField();
      frames.push(enter());
      if (c.nodeType !== 'string' && c.gotoFirstChild()) continue;
      let done = false;
      for (;;) {
        exit(frames.pop()!);
        if (c.gotoNextSibling()) break;
        if (!c.gotoParent()) {
          done = true;
          break;
        }
      }
      if (done) break;
    }
  } finally {
    c.delete();
  }
  if (tree.rootNode.hasError && facts.syntaxErrors.length === 0) facts.syntaxErrors.push(1);
  const prefix = codeLinePrefix(source, total);
  // the same prefix sum over code lines that sit in a docstring, so each function costs O(1)
  const docPrefix = new Int32Array(total + 1);
  const inDoc = new Uint8Array(total + 2);
  for (const [a, b] of stringStatements) for (let r = Math.max(a, 1); r <= Math.min(b, total); r++) inDoc[r] = 1;
  for (let r = 1; r <= total; r++) docPrefix[r] = docPrefix[r - 1] + (inDoc[r] && prefix[r] > prefix[r - 1] ? 1 : 0);
  const span = (p: Int32Array, a: number, b: number): number => p[Math.min(b, total)] - p[Math.max(a, 1) - 1];
  facts.docstringLines = docPrefix[total];
  for (const fn of facts.functions) fn.codeLines = span(prefix, fn.line, fn.endLine) - span(docPrefix, fn.line, fn.endLine);
  return facts;
}

function readParams(nodes: ({ type: string; text: string; childForFieldName(n: string): { text: string } | null; namedChildren: ({ type: string; text: string } | null)[] } | null)[]): ParamFact[] {
  const params: ParamFact[] = [];
  for (const p of nodes) {
    if (!p) continue;
    switch (p.type) {
      case 'identifier':
        params.push({ name: p.text, kind: 'plain' });
        break;
      case 'typed_parameter': {
        const inner = p.namedChildren[0];
        const type = p.childForFieldName('type')?.text;
        const kind = inner?.type === 'list_splat_pattern' ? 'args' : inner?.type === 'dictionary_splat_pattern' ? 'kwargs' : 'plain';
        params.push({ name: (inner?.text ?? '').replace(/^\*+/, ''), annotation: type ? oneLine(type) : undefined, kind });
        break;
      }
      case 'default_parameter':
        params.push({ name: p.childForFieldName('name')?.text ?? '', kind: 'plain' });
        break;
      case 'typed_default_parameter': {
        const type = p.childForFieldName('type')?.text;
        params.push({ name: p.childForFieldName('name')?.text ?? '', annotation: type ? oneLine(type) : undefined, kind: 'plain' });
        break;
      }
      case 'list_splat_pattern':
        params.push({ name: p.text.replace(/^\*/, ''), kind: 'args' });
        break;
      case 'dictionary_splat_pattern':
        params.push({ name: p.text.replace(/^\*\*/, ''), kind: 'kwargs' });
        break;
      default:
        break;
    }
  }
  return params;
}
