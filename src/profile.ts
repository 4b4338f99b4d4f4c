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
  const stateAssigns = file.attributeAssigns.filter((a) => a.inFunction && (moduleNames.has(a.object) || index.imported.has(a.object)));
  return { file, index, moduleNames, stateAssigns };
}

/**
 * What a PyO3 extraction of the function would carry across the language boundary: its parameter and
 * return hints, Python callables it calls back (and how often per loop), module state it mutates,
 * I/O it does. Easy = plain data in and out, no callbacks, no global state, no I/O, not async.
 */
function boundaryOf(fn: FunctionFacts, ctx: FileContext): FunctionBoundary {
  const params = fn.params.filter((p) => p.name !== 'self' && p.name !== 'cls').map((p) => ({ name: p.name, annotation: p.annotation }));
  const hinted = params.filter((p) => p.annotation).length + (fn.returns ? 1 : 0);
  const hintCoverage = hinted / (params.length + 1);
  const paramNames = new Set(params.map((p) => p.name));
  const callables = new Set(params.filter((p) => p.annotation && CALLABLE_TYPE.test(p.annotation)).map((p) => p.name));
  let callbacks = 0;
  let callbacksInLoop = 0;
  let io = false;
  let mutatesState = fn.globals.length > 0;
  for (const info of ctx.index.callsOf(fn)) {
    const { call: c, receiver } = info;
    if (paramNames.has(c.name) || callables.has(c.name)) {
      callbacks++;
      if (c.loopDepth > 0) callbacksInLoop++;
    }
    if (!io) {
      io = ioKindOf(info, ctx.index.imported) !== null || /\.(recv|recv_into|send|sendall|sendto|recvfrom)$/.test(c.name);
    }
    if (!mutatesState && receiver && ctx.moduleNames.has(receiver) && !paramNames.has(receiver) && MUTATING_METHODS.has(info.method)) mutatesState = true;
  }
  if (!mutatesState && fn.qualname !== '<module>') {
    mutatesState = ctx.stateAssigns.some((a) => a.line >= fn.line && a.line <= fn.endLine && !paramNames.has(a.object));
  }
  const simpleTypes = params.every((p) => !p.annotation || SIMPLE_TYPE.test(p.annotation));
  const generator = fn.all.yields > 0;
  const obstacles: string[] = [];
  if (callbacks > 0) obstacles.push(callbacksInLoop > 0 ? `calls a passed-in callable inside a loop (${callbacksInLoop}×)` : 'calls a passed-in callable');
  if (mutatesState) obstacles.push('mutates module-level state');
  if (io) obstacles.push('does I/O');
  if (!simpleTypes) obstacles.push('takes non-primitive typed parameters');
  if (fn.isAsync) obstacles.push('is async');
  if (params.some((p) => fn.params.find((q) => q.name === p.name)?.kind === 'kwargs')) obstacles.push('takes **kwargs');
  return {
    params, returns: fn.returns, hintCoverage: Math.round(hintCoverage * 100) / 100,
    callsBackIntoPython: callbacks > 0, callbacksInLoop, mutatesGlobals: mutatesState, doesIO: io, generator, obstacles,
    easy: obstacles.length === 0,
  };
}

/** Calls to math/cmath inside loops (`math.sin(x)`, `sqrt(x)` from math): scalar intrinsics in Rust, not calls out. */
function scalarMathInLoops(fn: FunctionFacts, ctx: FileContext): { calls: number; dotted: number } {
  let calls = 0;
  let dotted = 0;
  for (const { call, resolved } of ctx.index.callsOf(fn)) {
    if (call.loopDepth === 0 || !/^c?math\./.test(resolved)) continue;
    calls++;
    if (call.name.includes('.')) dotted++;
  }
  return { calls, dotted };
}

function functionProfile(fn: FunctionFacts, ctx: FileContext, evidence: Evidence[]): FunctionProfile {
  const math = scalarMathInLoops(fn, ctx);
  const signals: Record<string, number> = {};
  for (const e of evidence) signals[e.signal] = (signals[e.signal] ?? 0) + e.value;
  return {
    name: fn.qualname, line: fn.line, endLine: fn.endLine, loc: fn.endLine - fn.line + 1,
    loopOps: cheapOps(fn.inLoop), deepOps: fn.deepOps, maxLoopDepth: fn.maxLoopDepth,
    complexity: fn.complexity, calls: fn.all.calls,
    scalarOps: fn.all.arith + fn.all.bitops + fn.all.compare + fn.all.augassign + fn.all.cheapBuiltin + fn.all.charLiterals + math.calls, codeLines: fn.codeLines,
    bitOps: fn.all.bitops, whileLoops: fn.loops.filter((l) => l.kind === 'while').length,
    loopAttributes: Math.max(0, fn.inLoop.attribute - math.dotted), loopCalls: Math.max(0, fn.inLoop.calls - fn.inLoop.cheapBuiltin - math.calls),
    returns: fn.all.returns, loopCallMix: fn.loops.length ? loopCallMix(fn, ctx.file) : undefined,
    signals, boundary: boundaryOf(fn, ctx),
    kind: fn.qualname === '<module>' ? 'module' : fn.isMethod ? 'method' : 'function',
    isAsync: fn.isAsync, loops: fn.loops.length, decorators: fn.decorators.length,
    hot: fn.loops.length > 0 && (cheapOps(fn.inLoop) >= HOT_LOOP_OPS || fn.inLoop.arith + fn.inLoop.bitops + fn.inLoop.augassign >= HOT_ARITH_OPS),
  };
}

/** Aggregates a file's function profiles and evidence into its module profile. */
export function moduleProfileOf(facts: PyFileFacts, functions: FunctionProfile[], evidence: Evidence[]): ModuleProfile {
  const defs = facts.functions.slice(1);
  const hot = functions.filter((f) => f.hot).sort((a, b) => b.loopOps - a.loopOps || a.line - b.line);
  let hotLines = 0;
  let coveredTo = 0;
  for (const f of [...hot].sort((a, b) => a.line - b.line)) {
    if (f.kind === 'module') continue; // top-level code spans the file: count only its loops' own lines
    const start = Math.max(f.line, coveredTo + 1);
    if (f.endLine >= start) hotLines += f.endLine - start + 1;
    coveredTo = Math.max(coveredTo, f.endLine);
  }
  const top = functions.find((f) => f.kind === 'module');
  if (top?.hot) hotLines += facts.functions[0].loops.filter((l) => l.depth === 1).reduce((n, l) => n + l.bodyLines, 0);
  const hottest = hot[0];
  let params = 0;
  let hinted = 0;
  for (const fn of defs) {
    for (const p of fn.params) {
      if (p.name === 'self' || p.name === 'cls') continue;
      params++;
      if (p.annotation) hinted++;
    }
    params++;
    if (fn.returns) hinted++;
  }
  const signals: Record<string, number> = {};
  const detectors: Record<string, number> = {};
  for (const e of evidence) {
    signals[e.signal] = (signals[e.signal] ?? 0) + e.value;
    detectors[e.detector] = (detectors[e.detector] ?? 0) + 1;
  }
  return {
    functions: defs.length, classes: facts.classes.length,
    loops: facts.functions.reduce((n, f) => n + f.loops.length, 0),
    loopOps: functions.reduce((n, f) => n + f.loopOps, 0),
    deepOps: functions.reduce((n, f) => n + f.deepOps, 0),
    maxLoopDepth: functions.reduce((n, f) => Math.max(n, f.maxLoopDepth), 0),
    hotFunctions: hot.map((f) => f.name),
    hotLines: Math.min(hotLines, facts.totalLines),
    hotLineShare: facts.totalLines ? Math.round((Math.min(hotLines, facts.totalLines) / facts.totalLines) * 100) / 100 : 0,
    hottestKernel: hottest ? {
      name: hottest.name, line: hottest.line, endLine: hottest.endLine, loopOps: hottest.loopOps, deepOps: hottest.deepOps,
      maxLoopDepth: hottest.maxLoopDepth, easyBoundary: hottest.boundary.easy,
    } : null,
    hintCoverage: params ? Math.round((hinted / params) * 100) / 100 : null,
    asyncFunctions: defs.filter((f) => f.isAsync).length,
    generators: defs.filter((f) => f.all.yields > 0).length,
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
  const functions = facts.functions.map((fn) => functionProfile(fn, ctx, byFunction.get(fn.qualname === '<module>' ? undefined : fn.qualname) ?? []));
  return {
    path, language: 'python', loc: facts.loc, totalLines: facts.totalLines, syntaxErrors: facts.syntaxErrors,
    python2: facts.python2, mainGuardLine: facts.mainGuardLine, imports: facts.imports, evidence, functions,
    directives: facts.directives, module: moduleProfileOf(facts, functions, evidence),
    metrics: {
      functions: facts.functions.length - 1, classes: facts.classes.length,
      loops: facts.functions.reduce((n, f) => n + f.loops.length, 0),
      complexity: facts.functions.reduce((n, f) => n + f.complexity, 0),
      calls: facts.functions.reduce((n, f) => n + f.all.calls, 0),
      docstringLines: facts.docstringLines,
      derivedClassLines: facts.classes.filter((c) => c.bases.some((b) => b !== 'object')).map((c) => c.line),
    },
  };
}

export async function factsOf(source: string, limits?: ParseLimits): Promise<PyFileFacts> {
  return withPythonTree(source, (tree) => extractFacts(tree, source), limits);
}

export async function profilePython(path: string, source: string, limits?: ParseLimits): Promise<FileProfile> {
  return profileFromFacts(path, await factsOf(source, limits));
}
