/**
 * parse → facts → detectors for one file. The result (a FileProfile) is plain data: it is what a
 * worker sends back and what the cache stores; trees never leave this module.
 */
import { CODE_DETECTORS } from '../detectors/index.js';
import { ioKindOf } from '../detectors/io-glue.js';
import { fileIndex, type FileIndex } from '../detectors/util.js';
import type { ContentFacts, Evidence, FunctionBoundary } from './model.js';
import { cheapOps, extractFacts, type FunctionFacts, type ImportFact, type PyFileFacts } from './python/facts.js';
import { withPythonTree, type ParseLimits } from './python/parser.js';
import { loopCallMix, type LoopCallMix } from './python/loop-calls.js';

export interface FunctionProfile {
  name: string;
  line: number;
  endLine: number;
  loc: number;
  loopOps: number;
  deepOps: number;
  maxLoopDepth: number;
  complexity: number;
  calls: number;
  /** Scalar operations anywhere in the body (arithmetic, comparisons, bit ops, augmented assignment, cheap builtins, char literals, math.* calls in loops; subscripts excluded). */
  scalarOps: number;
  /** Lines of code in its span (nested defs included), docstrings, comments and blank lines excluded. */
  codeLines: number;
  bitOps: number;
  whileLoops: number;
  /** Attribute lookups (`obj.x`, `self.y`, method references) inside loops, and calls there other than cheap builtins (range, len, ord…) and math.* intrinsics. */
  loopAttributes: number;
  loopCalls: number;
  /** `return` statements in its own body (nested defs' not counted). */
  returns?: number;
  /** Where its loop calls go: imported names (by head), its own module, builtin str/bytes/list/dict methods, other (absent without loops). */
  loopCallMix?: LoopCallMix;
  signals: Record<string, number>;
  boundary: FunctionBoundary;
  /** `module` for the top-level code, `method` inside a class body. */
  kind: 'module' | 'function' | 'method';
  isAsync: boolean;
  loops: number;
  decorators: number;
  /** Its loops hold at least HOT_LOOP_OPS scalar operations, or HOT_ARITH_OPS arithmetic/bit operations: a kernel candidate. */
  hot: boolean;
}

/** A function whose loops hold at least this many scalar operations is hot (a kernel candidate). */
export const HOT_LOOP_OPS = 8;
/** …or at least this many arithmetic, bit and augmented-assignment operations inside loops (a short checksum loop). */
export const HOT_ARITH_OPS = 3;

/** The hottest function of a module: the first thing to extract. */
export interface KernelSummary {
  name: string;
  line: number;
  endLine: number;
  loopOps: number;
  deepOps: number;
  maxLoopDepth: number;
  easyBoundary: boolean;
}

/** Per-module aggregate of its functions and evidence (plain data; the JSON report's `profile`). */
export interface ModuleProfile {
  /** `def`s in the file (methods and nested functions included, top-level code excluded). */
  functions: number;
  classes: number;
  loops: number;
  /** Scalar operations inside loops, summed over the file (top-level code included). */
  loopOps: number;
  deepOps: number;
  maxLoopDepth: number;
  /** Qualified names of hot functions, hottest first. */
  hotFunctions: string[];
  /** Lines spanned by hot functions (a hot function nested in a hot function counted once). */
  hotLines: number;
  /** hotLines / total lines of the file, 0–1. */
  hotLineShare: number;
  hottestKernel: KernelSummary | null;
  /** Share of parameters and returns (over all defs) that carry a type hint, 0–1; null with no defs. */
  hintCoverage: number | null;
  asyncFunctions: number;
  generators: number;
  /** Evidence values summed by signal name. */
  signals: Record<string, number>;
  /** Evidence records per detector. */
  detectors: Record<string, number>;
}

export interface FileProfile {
  path: string;
  language: 'python';
  loc: number;
  totalLines: number;
  syntaxErrors: number[];
  python2: boolean;
  mainGuardLine: number | null;
  imports: ImportFact[];
  evidence: Evidence[];
  functions: FunctionProfile[];
  directives: { line: number; text: string }[];
  /** The module-level aggregate of its functions and evidence. */
  module: ModuleProfile;
  /** Content fingerprints and placed suppressions, set by the per-file stage (src/ci/content-facts.ts). */
  content?: ContentFacts;
  metrics: {
    functions: number;
    classes: number;
    loops: number;
    complexity: number;
    calls: number;
    /** Lines of code inside bare string statements (docstrings). */
    docstringLines: number;
    /** Lines of the classes that declare a base class (`class A(B)`; `object` and keyword arguments such as `metaclass=` do not count). */
    derivedClassLines?: number[];
  };
}

const SIMPLE_TYPE = /^(int|float|complex|bool|str|bytes|bytearray|memoryview|list|tuple|dict|set|frozenset|List|Tuple|Dict|Set|FrozenSet|Sequence|Iterable|Iterator|Mapping|Optional|None)\b/;
const CALLABLE_TYPE = /(^|\.)(Callable|Awaitable|Coroutine)\b/;
const MUTATING_METHODS = new Set(['append', 'extend', 'insert', 'update', 'add', 'pop', 'popitem', 'clear', 'setdefault', 'remove', 'discard', 'sort', 'reverse']);

/** Helpers computed once per file for every function's boundary. */
interface FileContext {
  file: PyFileFacts;
  index: FileIndex;
  moduleNames: Set<string>;
  /** `obj.attr = …` inside functions where obj is a module-level or imported name, with the name. */
  stateAssigns: { object: string; line: number }[];
}

function fileContext(file: PyFileFacts): FileContext {
  const index = fileIndex(file);
  const moduleNames = new Set(file.moduleNames);
  for (const c of file.classes) moduleNames.add(c.name);
  const stateAssigns: { object: string; line: number }[] = [];
  for (const a of file.attributeAssigns) if (a.inFunction && (moduleNames.has(a.object) || index.imported.has(a.object))) stateAssigns.push(a);
  return { file, index, moduleNames, stateAssigns };
}

const SOCKET_IO = /\.(recv|recv_into|send|sendall|sendto|recvfrom)$/;

function includes(names: string[], name: string): boolean {
  for (let i = 0; i < names.length; i++) if (names[i] === name) return true;
  return false;
}

/** The boundary's parameters: `self`/`cls` left out. */
function boundaryParams(fn: FunctionFacts): { name: string; annotation?: string }[] {
  const params: { name: string; annotation?: string }[] = [];
  for (const p of fn.params) if (p.name !== 'self' && p.name !== 'cls') params.push({ name: p.name, annotation: p.annotation });
  return params;
}

/** What the calls of a function say about its boundary (one per thread, reset per function). */
class CallTally {
  callbacks = 0;
  callbacksInLoop = 0;
  io = false;
  mutatesState = false;
}

const TALLY = new CallTally();

function tallyCalls(fn: FunctionFacts, ctx: FileContext, paramNames: string[], t: CallTally): void {
  const calls = ctx.index.callsOf(fn);
  const imported = ctx.index.imported;
  for (let i = 0; i < calls.length; i++) {
    const info = calls[i];
    if (paramNames.length > 0 && includes(paramNames, info.name)) {
      t.callbacks++;
      if (info.loopDepth > 0) t.callbacksInLoop++;
    }
    if (!t.io) t.io = ioKindOf(info, imported) !== null || SOCKET_IO.test(info.name);
    const receiver = info.receiver;
    if (!t.mutatesState && receiver && ctx.moduleNames.has(receiver) && !includes(paramNames, receiver) && MUTATING_METHODS.has(info.method)) t.mutatesState = true;
  }
}

function mutatesModuleState(fn: FunctionFacts, ctx: FileContext, paramNames: string[]): boolean {
  for (const a of ctx.stateAssigns) if (a.line >= fn.line && a.line <= fn.endLine && !includes(paramNames, a.object)) return true;
  return false;
}

/** Some parameter (self/cls aside) is `**kwargs` (the first parameter of its name, as written). */
function takesKwargs(fn: FunctionFacts, params: { name: string }[]): boolean {
  let any = false;
  for (const q of fn.params) if (q.kind === 'kwargs') any = true;
  if (!any) return false;
  return params.some((p) => fn.params.find((q) => q.name === p.name)?.kind === 'kwargs');
}

/**
 * What a PyO3 extraction of the function would carry across the language boundary: its parameter and
 * return hints, Python callables it calls back (and how often per loop), module state it mutates,
 * I/O it does. Easy = plain data in and out, no callbacks, no global state, no I/O, not async.
 */
function boundaryOf(fn: FunctionFacts, ctx: FileContext): FunctionBoundary {
  const params = boundaryParams(fn);
  const paramNames: string[] = [];
  let hinted = fn.returns ? 1 : 0;
  let simpleTypes = true;
  for (const p of params) {
    paramNames.push(p.name);
    if (p.annotation) {
      hinted++;
      if (simpleTypes && !SIMPLE_TYPE.test(p.annotation)) simpleTypes = false;
    }
  }
  const hintCoverage = hinted / (params.length + 1);
  const t = TALLY;
  t.callbacks = 0;
  t.callbacksInLoop = 0;
  t.io = false;
  t.mutatesState = fn.globals.length > 0;
  tallyCalls(fn, ctx, paramNames, t);
  const { callbacks, callbacksInLoop, io } = t;
  let mutatesState = t.mutatesState;
  if (!mutatesState && fn.qualname !== '<module>' && ctx.stateAssigns.length > 0) mutatesState = mutatesModuleState(fn, ctx, paramNames);
  const generator = fn.all.yields > 0;
  const obstacles: string[] = [];
  if (callbacks > 0) obstacles.push(callbacksInLoop > 0 ? `calls a passed-in callable inside a loop (${callbacksInLoop}×)` : 'calls a passed-in callable');
  if (mutatesState) obstacles.push('mutates module-level state');
  if (io) obstacles.push('does I/O');
  if (!simpleTypes) obstacles.push('takes non-primitive typed parameters');
  if (fn.isAsync) obstacles.push('is async');
  if (takesKwargs(fn, params)) obstacles.push('takes **kwargs');
  return {
    params, returns: fn.returns, hintCoverage: Math.round(hintCoverage * 100) / 100,
    callsBackIntoPython: callbacks > 0, callbacksInLoop, mutatesGlobals: mutatesState, doesIO: io, generator, obstacles,
    easy: obstacles.length === 0,
  };
}

const isScalarMath = (resolved: string): boolean => resolved.startsWith('math.') || resolved.startsWith('cmath.');

/** Calls to math/cmath inside loops (`math.sin(x)`, `sqrt(x)` from math): scalar intrinsics in Rust, not calls out. */
class ScalarMath {
  calls = 0;
  dotted = 0;
}

const MATH = new ScalarMath();

function scalarMathInLoops(fn: FunctionFacts, ctx: FileContext, out: ScalarMath): ScalarMath {
  let calls = 0;
  let dotted = 0;
  const infos = ctx.index.callsOf(fn);
  for (let i = 0; i < infos.length; i++) {
    const info = infos[i];
    if (info.loopDepth === 0 || !isScalarMath(info.resolved)) continue;
    calls++;
    if (info.name.includes('.')) dotted++;
  }
  out.calls = calls;
  out.dotted = dotted;
  return out;
}

/*
 * Records keyed by names seen in the code (signals, detectors, imported heads) are null-prototype
 * dictionaries: as plain objects, every new key order was a new hidden class, and the optimised
 * code that had seen one was thrown away when the class died (sympy: 145 → 123 deoptimisations a scan).
 */
function signalsOf(evidence: Evidence[]): Record<string, number> {
  const signals: Record<string, number> = Object.create(null);
  for (const e of evidence) signals[e.signal] = (signals[e.signal] ?? 0) + e.value;
  return signals;
}

function whileLoops(fn: FunctionFacts): number {
  let n = 0;
  for (const l of fn.loops) if (l.kind === 'while') n++;
  return n;
}

const NO_EVIDENCE: Evidence[] = [];

function functionProfile(fn: FunctionFacts, ctx: FileContext, evidence: Evidence[]): FunctionProfile {
  const math = scalarMathInLoops(fn, ctx, MATH);
  const mathCalls = math.calls;
  const mathDotted = math.dotted;
  const all = fn.all;
  const inLoop = fn.inLoop;
  const loops = fn.loops.length;
  const loopOps = cheapOps(inLoop);
  return {
    name: fn.qualname, line: fn.line, endLine: fn.endLine, loc: fn.endLine - fn.line + 1,
    loopOps, deepOps: fn.deepOps, maxLoopDepth: fn.maxLoopDepth,
    complexity: fn.complexity, calls: all.calls,
    scalarOps: all.arith + all.bitops + all.compare + all.augassign + all.cheapBuiltin + all.charLiterals + mathCalls, codeLines: fn.codeLines,
    bitOps: all.bitops, whileLoops: loops > 0 ? whileLoops(fn) : 0,
    loopAttributes: Math.max(0, inLoop.attribute - mathDotted), loopCalls: Math.max(0, inLoop.calls - inLoop.cheapBuiltin - mathCalls),
    returns: all.returns, loopCallMix: loops > 0 ? loopCallMix(fn, ctx.file) : undefined,
    signals: evidence.length > 0 ? signalsOf(evidence) : {}, boundary: boundaryOf(fn, ctx),
    kind: fn.qualname === '<module>' ? 'module' : fn.isMethod ? 'method' : 'function',
    isAsync: fn.isAsync, loops, decorators: fn.decorators.length,
    hot: loops > 0 && (loopOps >= HOT_LOOP_OPS || inLoop.arith + inLoop.bitops + inLoop.augassign >= HOT_ARITH_OPS),
  };
}

/** Aggregates a file's function profiles and evidence into its module profile. */
const hottestFirst = (a: FunctionProfile, b: FunctionProfile): number => b.loopOps - a.loopOps || a.line - b.line;
const byStartLine = (a: FunctionProfile, b: FunctionProfile): number => a.line - b.line;

/** Lines spanned by hot functions (nested ones counted once), top-level code by its outer loops. */
function hotLinesOf(facts: PyFileFacts, functions: FunctionProfile[], hot: FunctionProfile[]): number {
  let hotLines = 0;
  let coveredTo = 0;
  for (const f of hot.slice().sort(byStartLine)) {
    if (f.kind === 'module') continue; // top-level code spans the file: count only its loops' own lines
    const start = Math.max(f.line, coveredTo + 1);
    if (f.endLine >= start) hotLines += f.endLine - start + 1;
    coveredTo = Math.max(coveredTo, f.endLine);
  }
  const top = functions.find((f) => f.kind === 'module');
  if (top?.hot) for (const l of facts.functions[0].loops) if (l.depth === 1) hotLines += l.bodyLines;
  return hotLines;
}

/** Aggregates a file's function profiles and evidence into its module profile. */
export function moduleProfileOf(facts: PyFileFacts, functions: FunctionProfile[], evidence: Evidence[]): ModuleProfile {
  const hot: FunctionProfile[] = [];
  let loopOps = 0;
  let deepOps = 0;
  let maxLoopDepth = 0;
  for (const f of functions) {
    if (f.hot) hot.push(f);
    loopOps += f.loopOps;
    deepOps += f.deepOps;
    maxLoopDepth = Math.max(maxLoopDepth, f.maxLoopDepth);
  }
  hot.sort(hottestFirst);
  const hotLines = hot.length > 0 ? hotLinesOf(facts, functions, hot) : 0;
  const hottest = hot[0];
  let params = 0;
  let hinted = 0;
  let asyncFunctions = 0;
  let generators = 0;
  let loops = 0;
  const all = facts.functions;
  for (let i = 0; i < all.length; i++) {
    const fn = all[i];
    loops += fn.loops.length;
    if (i === 0) continue; // top-level code is not a def
    for (const p of fn.params) {
      if (p.name === 'self' || p.name === 'cls') continue;
      params++;
      if (p.annotation) hinted++;
    }
    params++;
    if (fn.returns) hinted++;
    if (fn.isAsync) asyncFunctions++;
    if (fn.all.yields > 0) generators++;
  }
  const signals: Record<string, number> = Object.create(null);
  const detectors: Record<string, number> = Object.create(null);
  for (const e of evidence) {
    signals[e.signal] = (signals[e.signal] ?? 0) + e.value;
    detectors[e.detector] = (detectors[e.detector] ?? 0) + 1;
  }
  const hotFunctions: string[] = [];
  for (const f of hot) hotFunctions.push(f.name);
  return {
    functions: Math.max(0, all.length - 1), classes: facts.classes.length,
    loops,
    loopOps,
    deepOps,
    maxLoopDepth,
    hotFunctions,
    hotLines: Math.min(hotLines, facts.totalLines),
    hotLineShare: facts.totalLines ? Math.round((Math.min(hotLines, facts.totalLines) / facts.totalLines) * 100) / 100 : 0,
    hottestKernel: hottest ? {
      name: hottest.name, line: hottest.line, endLine: hottest.endLine, loopOps: hottest.loopOps, deepOps: hottest.deepOps,
      maxLoopDepth: hottest.maxLoopDepth, easyBoundary: hottest.boundary.easy,
    } : null,
    hintCoverage: params ? Math.round((hinted / params) * 100) / 100 : null,
    asyncFunctions,
    generators,
    signals, detectors,
  };
}

/** Runs every code detector over a file's facts. */
export function detect(facts: PyFileFacts): Evidence[] {
  const out: Evidence[] = [];
  for (const d of CODE_DETECTORS) for (const e of d.detect(facts)) out.push(e);
  return out;
}

export function profileFromFacts(path: string, facts: PyFileFacts): FileProfile {
  const evidence = detect(facts);
  const ctx = fileContext(facts);
  const byFunction = new Map<string | undefined, Evidence[]>();
  for (const e of evidence) {
    const list = byFunction.get(e.function);
    if (list) list.push(e);
    else byFunction.set(e.function, [e]);
  }
  const functions: FunctionProfile[] = [];
  let loops = 0;
  let complexity = 0;
  let calls = 0;
  for (const fn of facts.functions) {
    functions.push(functionProfile(fn, ctx, byFunction.get(fn.qualname === '<module>' ? undefined : fn.qualname) ?? NO_EVIDENCE));
    loops += fn.loops.length;
    complexity += fn.complexity;
    calls += fn.all.calls;
  }
  const derivedClassLines: number[] = [];
  for (const c of facts.classes) if (c.bases.some((b) => b !== 'object')) derivedClassLines.push(c.line);
  return {
    path, language: 'python', loc: facts.loc, totalLines: facts.totalLines, syntaxErrors: facts.syntaxErrors,
    python2: facts.python2, mainGuardLine: facts.mainGuardLine, imports: facts.imports, evidence, functions,
    directives: facts.directives, module: moduleProfileOf(facts, functions, evidence),
    metrics: {
      functions: facts.functions.length - 1, classes: facts.classes.length,
      loops, complexity, calls,
      docstringLines: facts.docstringLines,
      derivedClassLines,
    },
  };
}

export async function factsOf(source: string, limits?: ParseLimits): Promise<PyFileFacts> {
  return withPythonTree(source, (tree) => extractFacts(tree, source), limits);
}

export async function profilePython(path: string, source: string, limits?: ParseLimits): Promise<FileProfile> {
  return profileFromFacts(path, await factsOf(source, limits));
}
