/**
 * One walk over a TypeScript/JavaScript syntax tree (`ts.createSourceFile` from the compiler that
 * ts-morph bundles: syntax only — no program, no type checker, no lib files, no module
 * resolution) recording the facts the ts-* detectors read: functions, loops (with nesting), the
 * scalar work inside loops, calls and `new` expressions (with loop depth), imports/requires,
 * dynamic features and entry-point markers. Plain data out; the tree never leaves this module.
 */
import type { ts as TS } from 'ts-morph';
import { ts } from './ts-api.js';
import { ParseTimeoutError, type ParseLimits } from '../tree-sitter/with-tree.js';

// The bundled compiler exposes its namespace through getters: read the hot ones once.
const SK = ts.SyntaxKind;
const forEachChild = ts.forEachChild;

export type ScriptLanguage = 'typescript' | 'javascript';

export interface TsOpCounts {
  arith: number;
  bitops: number;
  compare: number;
  subscript: number;
  augassign: number;
  /** Math.* calls: the cheap builtins of JS numerics. */
  mathCalls: number;
  /** charCodeAt / codePointAt / String.fromCharCode: byte and character scanning. */
  charCodes: number;
  calls: number;
  awaits: number;
}

export interface TsCallFact {
  /** Dotted callee as written (`http.createServer`, `buf.readUInt32BE`, `eval`), or `<expr>.name` when the receiver is not a name. */
  name: string;
  line: number;
  loopDepth: number;
  args: number;
  isNew: boolean;
  /** First argument when it is a string literal (`'data'` in `socket.on('data', …)`). */
  firstString?: string;
}

export interface TsLoopFact {
  kind: 'for' | 'for-of' | 'for-in' | 'while' | 'do' | 'callback';
  line: number;
  depth: number;
  /** Cheap scalar operations in the body, nested loops included. */
  ops: number;
  /** A while/do loop whose condition compares an index. */
  indexCondition: boolean;
}

export interface TsFunctionFacts {
  /** Qualified name (`Class.method`, `outer.inner`), `<module>` for top-level code. */
  name: string;
  line: number;
  endLine: number;
  isAsync: boolean;
  params: number;
  all: TsOpCounts;
  inLoop: TsOpCounts;
  /** Cheap operations at loop depth ≥ 2. */
  deepOps: number;
  maxLoopDepth: number;
  loops: TsLoopFact[];
  calls: TsCallFact[];
}

export interface TsImportFact {
  /** Module specifier as written (`node:http`, `./kernel.js`, `express`). */
  module: string;
  /** Imported member names (`default`, `*`, or the exported names). */
  names: string[];
  /** Local names bound, parallel to `names` (empty for side-effect imports). */
  bound: string[];
  line: number;
  kind: 'import' | 'require' | 'dynamic' | 're-export';
  typeOnly: boolean;
}

export interface TsFileFacts {
  language: ScriptLanguage;
  loc: number;
  totalLines: number;
  syntaxErrors: number[];
  functions: TsFunctionFacts[];
  imports: TsImportFact[];
  dynamic: { kind: 'eval' | 'new-function' | 'proxy' | 'reflect' | 'with' | 'prototype-patch'; line: number; function?: string }[];
  entryPoints: { kind: 'shebang' | 'require-main' | 'import-meta-main' | 'process-argv'; line: number }[];
  jsxElements: number;
  firstJsxLine: number;
  classes: number;
  exports: number;
}

const SCALAR_ARITH = new Set([SK.PlusToken, SK.MinusToken, SK.AsteriskToken, SK.SlashToken, SK.PercentToken, SK.AsteriskAsteriskToken]);
const BIT_OPS = new Set([SK.AmpersandToken, SK.BarToken, SK.CaretToken, SK.LessThanLessThanToken, SK.GreaterThanGreaterThanToken, SK.GreaterThanGreaterThanGreaterThanToken]);
const COMPARE = new Set([SK.LessThanToken, SK.GreaterThanToken, SK.LessThanEqualsToken, SK.GreaterThanEqualsToken, SK.EqualsEqualsEqualsToken, SK.ExclamationEqualsEqualsToken, SK.EqualsEqualsToken, SK.ExclamationEqualsToken]);
const BIT_ASSIGN = new Set([SK.AmpersandEqualsToken, SK.BarEqualsToken, SK.CaretEqualsToken, SK.LessThanLessThanEqualsToken, SK.GreaterThanGreaterThanEqualsToken, SK.GreaterThanGreaterThanGreaterThanEqualsToken]);
const ARITH_ASSIGN = new Set([SK.PlusEqualsToken, SK.MinusEqualsToken, SK.AsteriskEqualsToken, SK.SlashEqualsToken, SK.PercentEqualsToken, SK.AsteriskAsteriskEqualsToken]);
/** Array methods whose callback runs once per element: their body is a loop body. */
const PER_ELEMENT_METHODS = new Set(['forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'flatMap']);
const CHAR_CODE_METHODS = new Set(['charCodeAt', 'codePointAt', 'fromCharCode', 'fromCodePoint']);

function emptyCounts(): TsOpCounts {
  return { arith: 0, bitops: 0, compare: 0, subscript: 0, augassign: 0, mathCalls: 0, charCodes: 0, calls: 0, awaits: 0 };
}

export function cheapTsOps(c: TsOpCounts): number {
  return c.arith + c.bitops + c.compare + c.subscript + c.augassign + c.mathCalls + c.charCodes;
}

export function scriptKindOf(path: string): TS.ScriptKind {
  if (/\.tsx$/.test(path)) return ts.ScriptKind.TSX;
  if (/\.(ts|mts|cts)$/.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** Non-blank lines holding at least one token that is not a comment, via the compiler's scanner. */
export function countTsLoc(text: string, kind: TS.ScriptKind, lineStarts: readonly number[]): { loc: number; total: number } {
  const variant = kind === ts.ScriptKind.TSX || kind === ts.ScriptKind.JSX ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const code = new Uint8Array(lineStarts.length);
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (let tok = scanner.scan(); tok !== SK.EndOfFileToken; tok = scanner.scan()) {
    const from = lineOf(scanner.getTokenStart());
    const to = lineOf(Math.max(scanner.getTokenStart(), scanner.getTokenEnd() - 1));
    for (let l = from; l <= to; l++) code[l] = 1;
  }
  let loc = 0;
  for (const c of code) loc += c;
  return { loc, total: lineStarts.length };
}

/** `a.b.c` for names and property chains; `<expr>.c` when the chain does not start at a name. */
function calleeName(expr: TS.Expression): string {
  const parts: string[] = [];
  let e: TS.Expression = expr;
  for (;;) {
    if (ts.isPropertyAccessExpression(e)) {
      parts.unshift(e.name.text);
      e = e.expression;
    } else if (ts.isIdentifier(e)) {
      parts.unshift(e.text);
      break;
    } else if (e.kind === SK.ThisKeyword) {
      parts.unshift('this');
      break;
    } else if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e)) {
      e = e.expression;
    } else {
      parts.unshift('<expr>');
      break;
    }
  }
  return parts.join('.');
}

function propertyNameText(name: TS.PropertyName | TS.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

const FUNCTION_KINDS = new Set<TS.SyntaxKind>([SK.FunctionDeclaration, SK.MethodDeclaration, SK.ArrowFunction, SK.FunctionExpression, SK.Constructor, SK.GetAccessor, SK.SetAccessor]);

/** Reads `modifiers` directly: the compiler's helpers are getters plus calls, too slow for every node. */
function hasModifier(node: TS.Node, kind: TS.SyntaxKind): boolean {
  const mods = (node as { modifiers?: TS.NodeArray<TS.ModifierLike> }).modifiers;
  return !!mods && mods.some((m) => m.kind === kind);
}

function isFunctionLike(node: TS.Node): node is TS.FunctionLikeDeclaration {
  return FUNCTION_KINDS.has(node.kind);
}

/** Nodes visited between two looks at the clock (the budget check costs nothing measurable). */
const CLOCK_EVERY = 4096;

/**
 * Parses and walks one file. With `limits.maxParseMs`, throws ParseTimeoutError once parse + walk
 * exceed it: the compiler's parser cannot be interrupted, so the budget is checked when it returns
 * and every few thousand nodes of the walk.
 */
export function extractTsFacts(path: string, text: string, language: ScriptLanguage, limits: ParseLimits = {}): TsFileFacts {
  const limit = limits.maxParseMs;
  const deadline = limit !== undefined && Number.isFinite(limit) ? performance.now() + limit : Infinity;
  const kind = scriptKindOf(path);
  // Syntax only: no parent pointers, JSDoc not parsed (types in comments carry no run-time work).
  const sf = ts.createSourceFile(path, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, kind);
  if (performance.now() > deadline) throw new ParseTimeoutError(limit!);
  const { loc, total } = countTsLoc(text, kind, sf.getLineStarts());
  const lineAt = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const startLine = (node: TS.Node): number => lineAt(node.getStart(sf));

  const module: TsFunctionFacts = newFunction('<module>', 1, total, false, 0);
  const facts: TsFileFacts = {
    language, loc, totalLines: total, syntaxErrors: [], functions: [module], imports: [], dynamic: [], entryPoints: [],
    jsxElements: 0, firstJsxLine: 0, classes: 0, exports: 0,
  };
  const diagnostics = (sf as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  for (const d of diagnostics.slice(0, 20)) facts.syntaxErrors.push(lineAt(d.start));
  if (text.startsWith('#!')) facts.entryPoints.push({ kind: 'shebang', line: 1 });

  function newFunction(name: string, line: number, endLine: number, isAsync: boolean, params: number): TsFunctionFacts {
    return { name, line, endLine, isAsync, params, all: emptyCounts(), inLoop: emptyCounts(), deepOps: 0, maxLoopDepth: 0, loops: [], calls: [] };
  }

  interface Ctx {
    fn: TsFunctionFacts;
    depth: number;
    loops: TsLoopFact[];
    /** Qualifier for named functions declared here (`Class`, `outer`). */
    scope: string;
  }

  function count(ctx: Ctx, field: keyof TsOpCounts, cheap: boolean): void {
    ctx.fn.all[field]++;
    if (ctx.depth > 0) {
      ctx.fn.inLoop[field]++;
      if (cheap) {
        for (const l of ctx.loops) l.ops++;
        if (ctx.depth >= 2) ctx.fn.deepOps++;
      }
    }
  }

  function enterLoop(ctx: Ctx, kindOfLoop: TsLoopFact['kind'], node: TS.Node, indexCondition = false): Ctx {
    const loop: TsLoopFact = { kind: kindOfLoop, line: startLine(node), depth: ctx.depth + 1, ops: 0, indexCondition };
    ctx.fn.loops.push(loop);
    ctx.fn.maxLoopDepth = Math.max(ctx.fn.maxLoopDepth, ctx.depth + 1);
    return { ...ctx, depth: ctx.depth + 1, loops: [...ctx.loops, loop] };
  }

  function enterFunction(ctx: Ctx, node: TS.FunctionLikeDeclaration, name: string): Ctx {
    const qual = ctx.scope ? `${ctx.scope}.${name}` : name;
    const isAsync = hasModifier(node, SK.AsyncKeyword);
    const fn = newFunction(qual, startLine(node), lineAt(node.end), isAsync, node.parameters.length);
    facts.functions.push(fn);
    return { fn, depth: 0, loops: [], scope: qual };
  }

  /** The name a function expression gets from where it is bound (`const f = () => …`, `{ f: function () {} }`, a class field). */
  function boundName(node: TS.Node, parent: TS.Node | undefined): string | undefined {
    if (!parent) return undefined;
    if (ts.isVariableDeclaration(parent) && parent.initializer === node) return propertyNameText(parent.name);
    if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === node) return propertyNameText(parent.name);
    if (ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === SK.EqualsToken) {
      const left = calleeName(parent.left as TS.Expression);
      return left.includes('<expr>') ? undefined : left.replace(/^(module\.)?exports\./, '');
    }
    if (ts.isExportAssignment(parent)) return 'default';
    return undefined;
  }

  function recordImport(imp: TsImportFact): void {
    facts.imports.push(imp);
  }

  function visitCall(node: TS.CallExpression | TS.NewExpression, ctx: Ctx, parent: TS.Node | undefined): void {
    const isNew = ts.isNewExpression(node);
    const name = calleeName(node.expression);
    const args = node.arguments ?? ts.factory.createNodeArray();
    const first = args[0];
    const call: TsCallFact = { name, line: startLine(node), loopDepth: ctx.depth, args: args.length, isNew };
    if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) call.firstString = first.text;
    ctx.fn.calls.push(call);
    count(ctx, 'calls', false);
    const method = name.slice(name.lastIndexOf('.') + 1);
    if (name.startsWith('Math.')) count(ctx, 'mathCalls', true);
    else if (CHAR_CODE_METHODS.has(method)) count(ctx, 'charCodes', true);
    const fnName = ctx.fn.name === '<module>' ? undefined : ctx.fn.name;
    if (!isNew && name === 'eval') facts.dynamic.push({ kind: 'eval', line: call.line, function: fnName });
    if (name === 'Function' || name === 'globalThis.Function') facts.dynamic.push({ kind: 'new-function', line: call.line, function: fnName });
    if (isNew && name === 'Proxy') facts.dynamic.push({ kind: 'proxy', line: call.line, function: fnName });
    if (name.startsWith('Reflect.') || name === 'Object.setPrototypeOf') facts.dynamic.push({ kind: 'reflect', line: call.line, function: fnName });
    if (!isNew && name === 'require' && first && ts.isStringLiteral(first)) {
      recordImport({ module: first.text, names: [], bound: [], line: call.line, kind: 'require', typeOnly: false });
      if (parent && ts.isVariableDeclaration(parent) && parent.initializer === node) bindRequire(parent);
    }
    if (!isNew && node.expression.kind === SK.ImportKeyword && first && ts.isStringLiteral(first)) {
      recordImport({ module: first.text, names: ['*'], bound: [], line: call.line, kind: 'dynamic', typeOnly: false });
    }
  }

  /** `const x = require('m')`, `const { a, b: c } = require('m')`: bind the names the require returns. */
  function bindRequire(decl: TS.VariableDeclaration): void {
    const imp = facts.imports[facts.imports.length - 1];
    if (!imp || imp.kind !== 'require') return;
    if (ts.isIdentifier(decl.name)) {
      imp.names.push('default');
      imp.bound.push(decl.name.text);
    } else if (ts.isObjectBindingPattern(decl.name)) {
      for (const el of decl.name.elements) {
        const local = propertyNameText(el.name);
        const remote = propertyNameText(el.propertyName) ?? local;
        if (local && remote) {
          imp.names.push(remote);
          imp.bound.push(local);
        }
      }
    }
  }

  function visitImportDeclaration(node: TS.ImportDeclaration): void {
    if (!ts.isStringLiteral(node.moduleSpecifier)) return;
    const clause = node.importClause;
    const imp: TsImportFact = { module: node.moduleSpecifier.text, names: [], bound: [], line: startLine(node), kind: 'import', typeOnly: !!clause?.isTypeOnly };
    if (clause?.name) {
      imp.names.push('default');
      imp.bound.push(clause.name.text);
    }
    const nb = clause?.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) {
      imp.names.push('*');
      imp.bound.push(nb.name.text);
    } else if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        imp.names.push((el.propertyName ?? el.name).text);
        imp.bound.push(el.name.text);
      }
    }
    recordImport(imp);
  }

  function isEntryComparison(node: TS.BinaryExpression): 'require-main' | 'import-meta-main' | null {
    const op = node.operatorToken.kind;
    if (op !== SK.EqualsEqualsEqualsToken && op !== SK.EqualsEqualsToken) return null;
    const sides = [node.left, node.right].map((s) => (ts.isPropertyAccessExpression(s) || ts.isIdentifier(s) ? calleeName(s) : ts.isCallExpression(s) ? calleeName(s.expression) + '()' : ''));
    if (sides.includes('require.main') && sides.includes('module')) return 'require-main';
    const hasMeta = [node.left, node.right].some((s) => s.getFullText(sf).includes('import.meta'));
    const hasArgv = [node.left, node.right].some((s) => s.getFullText(sf).includes('process.argv'));
    return hasMeta && hasArgv ? 'import-meta-main' : null;
  }

  /** Handles one node and returns its children with the context each is visited in (pre-order, iterative: generated code nests thousands deep). */
  function step(node: TS.Node, ctx: Ctx, parent: TS.Node | undefined): [TS.Node, Ctx][] {
    const next: [TS.Node, Ctx][] = [];
    const children = (c: Ctx): void => {
      forEachChild(node, (child) => {
        next.push([child, c]);
      });
    };
    // Functions: named ones open a new function; anonymous callbacks stay in the enclosing one.
    if (isFunctionLike(node)) {
      const explicit = node.name ? propertyNameText(node.name as TS.PropertyName) : undefined;
      const name = ts.isConstructorDeclaration(node) ? 'constructor' : explicit ?? boundName(node, parent);
      const perElement = !!parent && ts.isCallExpression(parent) && parent.arguments.includes(node as TS.Expression)
        && ts.isPropertyAccessExpression(parent.expression) && PER_ELEMENT_METHODS.has(parent.expression.name.text);
      if (name && !perElement) {
        const inner = enterFunction(ctx, node, name);
        children(inner);
        return next;
      }
      if (perElement) {
        const inner = enterLoop(ctx, 'callback', node);
        children(inner);
        return next;
      }
      children(ctx);
      return next;
    }
    switch (node.kind) {
      case SK.ClassDeclaration:
      case SK.ClassExpression: {
        facts.classes++;
        const cls = node as TS.ClassLikeDeclaration;
        const name = cls.name?.text ?? boundName(node, parent) ?? '<class>';
        const inner: Ctx = { ...ctx, scope: ctx.scope ? `${ctx.scope}.${name}` : name };
        children(inner);
        return next;
      }
      case SK.ForStatement: {
        const f = node as TS.ForStatement;
        if (f.initializer) next.push([f.initializer, ctx]);
        const inner = enterLoop(ctx, 'for', node);
        if (f.condition) next.push([f.condition, { ...inner, depth: ctx.depth, loops: ctx.loops }]);
        if (f.incrementor) next.push([f.incrementor, { ...inner, depth: ctx.depth, loops: ctx.loops }]);
        next.push([f.statement, inner]);
        return next;
      }
      case SK.ForOfStatement:
      case SK.ForInStatement: {
        const f = node as TS.ForOfStatement | TS.ForInStatement;
        next.push([f.expression, ctx]);
        const inner = enterLoop(ctx, node.kind === SK.ForOfStatement ? 'for-of' : 'for-in', node);
        next.push([f.initializer, inner]);
        next.push([f.statement, inner]);
        return next;
      }
      case SK.WhileStatement:
      case SK.DoStatement: {
        const w = node as TS.WhileStatement | TS.DoStatement;
        const cond = w.expression;
        const indexCondition = ts.isBinaryExpression(cond) && COMPARE.has(cond.operatorToken.kind) && cond.operatorToken.kind !== SK.EqualsEqualsEqualsToken;
        const inner = enterLoop(ctx, node.kind === SK.WhileStatement ? 'while' : 'do', node, indexCondition);
        next.push([cond, { ...inner, depth: ctx.depth, loops: ctx.loops }]);
        next.push([w.statement, inner]);
        return next;
      }
      case SK.BinaryExpression: {
        const b = node as TS.BinaryExpression;
        const op = b.operatorToken.kind;
        if (SCALAR_ARITH.has(op)) count(ctx, 'arith', true);
        else if (BIT_OPS.has(op)) count(ctx, 'bitops', true);
        else if (COMPARE.has(op)) count(ctx, 'compare', true);
        else if (BIT_ASSIGN.has(op)) {
          count(ctx, 'augassign', true);
          count(ctx, 'bitops', true);
        } else if (ARITH_ASSIGN.has(op)) count(ctx, 'augassign', true);
        if (ctx.fn === module && ctx.depth === 0) {
          const entry = isEntryComparison(b);
          if (entry) facts.entryPoints.push({ kind: entry, line: startLine(node) });
        }
        if (op === SK.EqualsToken && ts.isPropertyAccessExpression(b.left) && ts.isPropertyAccessExpression(b.left.expression) && b.left.expression.name.text === 'prototype') {
          const owner = calleeName(b.left.expression.expression);
          if (/^(Object|Array|String|Number|Function|Promise|Map|Set|Date|RegExp|Error)$/.test(owner)) {
            facts.dynamic.push({ kind: 'prototype-patch', line: startLine(node), function: ctx.fn.name === '<module>' ? undefined : ctx.fn.name });
          }
        }
        break;
      }
      case SK.PrefixUnaryExpression:
      case SK.PostfixUnaryExpression: {
        const op = (node as TS.PrefixUnaryExpression).operator;
        if (op === SK.TildeToken) count(ctx, 'bitops', true);
        else if (op === SK.PlusPlusToken || op === SK.MinusMinusToken) count(ctx, 'augassign', true);
        break;
      }
      case SK.ElementAccessExpression:
        count(ctx, 'subscript', true);
        break;
      case SK.AwaitExpression:
        count(ctx, 'awaits', false);
        break;
      case SK.CallExpression:
      case SK.NewExpression:
        visitCall(node as TS.CallExpression, ctx, parent);
        break;
      case SK.ImportDeclaration:
        visitImportDeclaration(node as TS.ImportDeclaration);
        return next;
      case SK.ExportDeclaration: {
        const e = node as TS.ExportDeclaration;
        facts.exports++;
        if (e.moduleSpecifier && ts.isStringLiteral(e.moduleSpecifier)) {
          recordImport({ module: e.moduleSpecifier.text, names: ['*'], bound: [], line: startLine(node), kind: 're-export', typeOnly: e.isTypeOnly });
        }
        return next;
      }
      case SK.ExportAssignment:
        facts.exports++;
        break;
      case SK.WithStatement:
        facts.dynamic.push({ kind: 'with', line: startLine(node), function: ctx.fn.name === '<module>' ? undefined : ctx.fn.name });
        break;
      case SK.PropertyAccessExpression: {
        const p = node as TS.PropertyAccessExpression;
        if (ctx.fn === module && p.name.text === 'argv' && ts.isIdentifier(p.expression) && p.expression.text === 'process' && !facts.entryPoints.some((e) => e.kind === 'process-argv')) {
          facts.entryPoints.push({ kind: 'process-argv', line: startLine(node) });
        }
        break;
      }
      case SK.JsxElement:
      case SK.JsxSelfClosingElement:
      case SK.JsxFragment:
        facts.jsxElements++;
        facts.firstJsxLine ||= startLine(node);
        break;
      case SK.InterfaceDeclaration:
      case SK.TypeAliasDeclaration:
        return next; // types carry no run-time work
      default:
        break;
    }
    if (hasModifier(node, SK.ExportKeyword)) facts.exports++;
    children(ctx);
    return next;
  }

  const root: Ctx = { fn: module, depth: 0, loops: [], scope: '' };
  const stack: [TS.Node, Ctx, TS.Node | undefined][] = [];
  for (let i = sf.statements.length - 1; i >= 0; i--) stack.push([sf.statements[i], root, sf]);
  let visited = 0;
  while (stack.length) {
    if (++visited % CLOCK_EVERY === 0 && performance.now() > deadline) throw new ParseTimeoutError(limit!);
    const [node, ctx, parent] = stack.pop()!;
    const next = step(node, ctx, parent);
    for (let i = next.length - 1; i >= 0; i--) stack.push([next[i][0], next[i][1], node]);
  }
  return facts;
}
