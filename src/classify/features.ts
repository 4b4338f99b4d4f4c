/**
 * Turns a file profile (and what the link stage knows of it) into the classifier's named features.
 * Every feature is a number computed from code structure only: operators, loops, calls, imports,
 * classes, the import graph. Names of files, modules or functions and words in comments or
 * docstrings never enter. weights.ts says what each feature means and how much it weighs.
 */
import type { Evidence } from '../model.js';
import type { FileProfile, FunctionProfile } from '../profile.js';
import { repoFeatures, type ComponentNorm } from './relative.js';

export interface LinkFacts {
  /** Modules of the scanned repo that import this one. */
  fanIn: number;
  /** Modules of the scanned repo this one imports. */
  fanOut: number;
  /** Python modules in the module's component (the whole scan when it has none). */
  componentModules?: number;
  /** What a typical module of its component looks like (relative.ts); absent: a typical repo. */
  norm?: ComponentNorm;
  /** Local names bound by its imports of modules of the scanned repo (calls through them are calls into the repo). */
  repoNames?: ReadonlySet<string>;
}

/** Denominators never drop below this many lines: tiny modules do not get huge densities. */
export const MIN_LINES = 20;
/** The same floor for one function (a five-line helper is judged on its own lines). */
export const MIN_FUNCTION_LINES = 5;

const log2p = (x: number): number => Math.log2(1 + Math.max(0, x));

export function sumSignal(evidence: Evidence[], signals: readonly string[]): number {
  let s = 0;
  for (const e of evidence) if (signals.includes(e.signal)) s += e.value;
  return s;
}

const hasSignal = (evidence: Evidence[], signal: string): boolean => evidence.some((e) => e.signal === signal);

/**
 * Lines of code in function bodies (nested ones counted once; blank lines, comments and docstrings
 * excluded): the code that runs per call, not once at import.
 */
export function codeLines(functions: readonly FunctionProfile[]): number {
  const outer = functions.filter((f) => f.name !== '<module>').sort((a, b) => a.line - b.line || b.endLine - a.endLine);
  let total = 0;
  let end = 0;
  for (const f of outer) {
    if (f.endLine <= end) continue; // nested in the previous outermost function
    total += f.codeLines ?? f.endLine - f.line + 1;
    end = f.endLine;
  }
  return total;
}

const moduleCodeLinesMemo = new WeakMap<readonly FunctionProfile[], number>();

/**
 * codeLines(profile.functions), sorted out once per profile: the classifier asks for it several
 * times per module (features, norm, reasons, confidence). A profile's functions no longer change
 * once its file is analysed.
 */
export function moduleCodeLines(profile: FileProfile): number {
  let lines = moduleCodeLinesMemo.get(profile.functions);
  if (lines === undefined) {
    lines = codeLines(profile.functions);
    moduleCodeLinesMemo.set(profile.functions, lines);
  }
  return lines;
}

/** Lines of code of the module, docstrings excluded. */
export const moduleLines = (profile: FileProfile): number => profile.loc - (profile.metrics.docstringLines ?? 0);

/** Top-level import statements (imports inside functions are lazy and cheap to keep). */
export function topImports(profile: FileProfile): number {
  return profile.imports.filter((i) => !i.inFunction).length;
}

/**
 * Features of a body of code: a whole module or one function. `lines` is the code it covers,
 * `functions` the functions it consists of (one for a function).
 */
export function codeFeatures(evidence: Evidence[], functions: readonly FunctionProfile[], lines: number, ioFunctions: number, functionCount: number, floor = MIN_LINES): Record<string, number> {
  return featuresOfTotals(evidence, functionTotals(functions), lines, ioFunctions, functionCount, floor);
}

/** What codeFeatures sums over the functions of a body of code (`<module>` left out). */
interface FunctionTotals {
  scalarOps: number;
  bitOps: number;
  whiles: number;
  loopOps: number;
  loopAttributes: number;
  loopCalls: number;
  builtinMethods: number;
}

function functionTotals(functions: readonly FunctionProfile[]): FunctionTotals {
  let scalarOps = 0;
  let bitOps = 0;
  let whiles = 0;
  let loopOps = 0;
  let loopAttributes = 0;
  let loopCalls = 0;
  let builtinMethods = 0;
  for (const f of functions) {
    if (f.name === '<module>') continue;
    scalarOps += f.scalarOps ?? 0;
    bitOps += f.bitOps ?? 0;
    whiles += f.whileLoops ?? 0;
    loopOps += f.loopOps;
    loopAttributes += f.loopAttributes ?? 0;
    loopCalls += f.loopCalls ?? 0;
    builtinMethods += f.loopCallMix?.builtinMethod ?? 0;
  }
  return { scalarOps, bitOps, whiles, loopOps, loopAttributes, loopCalls, builtinMethods };
}

function featuresOfTotals(evidence: Evidence[], totals: FunctionTotals, lines: number, ioFunctions: number, functionCount: number, floor: number): Record<string, number> {
  const { scalarOps, bitOps, whiles, loopOps, loopAttributes, loopCalls, builtinMethods } = totals;
  const denominator = Math.max(lines, floor);
  return {
    scalar_density: scalarOps / denominator,
    object_loop_share: loopAttributes / Math.max(1, loopOps + loopAttributes),
    // a candidate (weight 0): beside the repo norm it added nothing out of project (README, "Scoring model")
    python_loop_call_density: Math.max(0, loopCalls - builtinMethods) / denominator,
    builtin_method_density: builtinMethods / denominator,
    code_size: log2p(lines),
    while_density: (100 * whiles) / denominator,
    bit_density: bitOps / denominator,
    io_share: functionCount > 0 ? ioFunctions / functionCount : 0,
    vectorised: log2p(sumSignal(evidence, ['vectorised-call'])),
    array_element_loop: log2p(sumSignal(evidence, ['array-element-loop'])),
    web_framework: hasSignal(evidence, 'web-framework') ? 1 : 0,
    socket_server: hasSignal(evidence, 'socket-server') ? 1 : 0,
    raw_framing: log2p(sumSignal(evidence, ['raw-framing'])),
  };
}

/** Share of the module's classes that declare a base class (0 without classes): code built into a class hierarchy. */
export function derivedClassShare(profile: FileProfile): number {
  const derived = profile.metrics.derivedClassLines?.length ?? 0;
  return profile.metrics.classes > 0 ? Math.min(1, derived / profile.metrics.classes) : 0;
}

/** Features that describe the module's place in its codebase (modules only, not functions). */
export function contextFeatures(profile: FileProfile, link: LinkFacts): Record<string, number> {
  const loc = Math.max(moduleLines(profile), MIN_LINES);
  const imports = topImports(profile);
  const modules = Math.max(1, link.componentModules ?? 1);
  return {
    coupling: Math.min(1, link.fanOut / Math.max(1, imports)),
    class_density: (10 * profile.metrics.classes) / loc,
    inherit_share: derivedClassShare(profile),
    fan_in_share: log2p((100 * link.fanIn) / modules),
    file_io: log2p(sumSignal(profile.evidence, ['file-io'])),
  };
}

/** Protocol methods of the data model that make a class a container, a descriptor, a number or a proxy (construction and printing excepted). */
const DUNDER = /^__(?!init__|repr__|str__|new__|init_subclass__|class_getitem__|del__)[a-z][a-z0-9_]*__$/;

/**
 * Candidate features the model does not weigh (weight 0: they are in the report so `npm run eval --
 * --try NAME` can measure them; README "Scoring model" says what each did on the dev corpus):
 * where the calls inside loops go, per line of function body — into other modules of the repo
 * (they stay Python calls after a port unless those modules come too), into libraries, into the
 * module's own functions and methods — and the call-overhead shape of its classes: data-model
 * protocol methods and tiny methods (interpreter overhead per call).
 */
export function candidateFeatures(profile: FileProfile, link: LinkFacts): Record<string, number> {
  const repo = link.repoNames ?? new Set<string>();
  let repoCalls = 0;
  let libCalls = 0;
  let ownCalls = 0;
  let stringMethods = 0;
  let dunders = 0;
  let tinyMethods = 0;
  const fns = profile.functions.filter((f) => f.name !== '<module>');
  for (const f of fns) {
    const mix = f.loopCallMix;
    if (mix) {
      const imported = mix.imported;
      const heads = Object.keys(imported);
      for (let i = 0; i < heads.length; i++) {
        const n = imported[heads[i]];
        if (repo.has(heads[i])) repoCalls += n;
        else libCalls += n;
      }
      ownCalls += mix.own;
      stringMethods += mix.stringMethod;
    }
    if (f.kind === 'method') {
      // a protocol method's name ends with `__`: only those are cut out and matched
      if (f.name.endsWith('__') && DUNDER.test(f.name.slice(f.name.lastIndexOf('.') + 1))) dunders++;
      if ((f.codeLines ?? f.loc) <= 3) tinyMethods++;
    }
  }
  const denominator = Math.max(moduleCodeLines(profile), MIN_LINES);
  return {
    repo_loop_call_density: repoCalls / denominator,
    lib_loop_call_density: libCalls / denominator,
    own_loop_call_density: ownCalls / denominator,
    string_method_density: stringMethods / denominator,
    protocol_share: dunders / Math.max(1, fns.length),
    tiny_method_share: tinyMethods / Math.max(1, fns.length),
  };
}

/** What moduleCodeFeatures takes from a module's functions: the same for its norm and its own features, so summed once (a profile's functions no longer change once its file is analysed). */
interface ModuleFunctionFacts {
  totals: FunctionTotals;
  own: number;
  io: number;
}

const moduleFunctionFacts = new WeakMap<readonly FunctionProfile[], ModuleFunctionFacts>();

/** codeFeatures of a whole module: all its functions and their lines of body. */
export function moduleCodeFeatures(profile: FileProfile): Record<string, number> {
  let facts = moduleFunctionFacts.get(profile.functions);
  if (facts === undefined) {
    const own = profile.functions.filter((f) => f.name !== '<module>');
    const io = own.filter((f) => f.boundary?.doesIO).length;
    facts = { totals: functionTotals(profile.functions), own: own.length, io };
    moduleFunctionFacts.set(profile.functions, facts);
  }
  return featuresOfTotals(profile.evidence, facts.totals, moduleCodeLines(profile), facts.io, facts.own, MIN_LINES);
}

export function moduleFeatures(profile: FileProfile, link: LinkFacts): Record<string, number> {
  return {
    ...moduleCodeFeatures(profile),
    ...contextFeatures(profile, link),
    ...repoFeatures(link.norm),
    ...candidateFeatures(profile, link),
    entry_point: profile.mainGuardLine !== null ? 1 : 0,
    fan_in: log2p(link.fanIn),
    gil_threads: log2p(sumSignal(profile.evidence, ['threads', 'thread-cpu-work', 'process-pool'])),
  };
}

interface FunctionIndex {
  /** Evidence by the function it names (undefined: module level). */
  evidence: Map<string | undefined, Evidence[]>;
  /** The functions defined inside each function (by dotted name and line range), in profile order. */
  nested: Map<FunctionProfile, FunctionProfile[]>;
}

const functionIndexes = new WeakMap<FileProfile, FunctionIndex>();

/** Built once per profile: looking both up per function was quadratic in modules with hundreds of functions. */
function functionIndexOf(profile: FileProfile): FunctionIndex {
  let index = functionIndexes.get(profile);
  if (index) return index;
  const evidence = new Map<string | undefined, Evidence[]>();
  for (const e of profile.evidence) {
    const list = evidence.get(e.function);
    if (list) list.push(e);
    else evidence.set(e.function, [e]);
  }
  const byName = new Map<string, FunctionProfile[]>();
  for (const f of profile.functions) {
    const same = byName.get(f.name);
    if (same) same.push(f);
    else byName.set(f.name, [f]);
  }
  const nested = new Map<FunctionProfile, FunctionProfile[]>();
  for (const f of profile.functions) {
    for (let dot = f.name.indexOf('.'); dot >= 0; dot = f.name.indexOf('.', dot + 1)) {
      for (const outer of byName.get(f.name.slice(0, dot)) ?? []) {
        if (outer === f || f.line < outer.line || f.endLine > outer.endLine) continue;
        const list = nested.get(outer);
        if (list) list.push(f);
        else nested.set(outer, [f]);
      }
    }
  }
  index = { evidence, nested };
  functionIndexes.set(profile, index);
  return index;
}

/**
 * A function judged on its own code, as if it were a small module of its own in a typical repo: its
 * size and densities (scalar work, while loops, bit ops, I/O). The module's context (coupling,
 * classes, imports, fan-in, its repo's norm) decides whether the module is a candidate, not which of
 * its functions is the kernel: a kernel worth extracting is both dense and big enough to matter.
 */
export function functionFeatures(fn: FunctionProfile, profile: FileProfile): Record<string, number> {
  const index = functionIndexOf(profile);
  const evidence = index.evidence.get(fn.name === '<module>' ? undefined : fn.name) ?? NO_EVIDENCE;
  const nested = index.nested.get(fn);
  const body = nested ? [fn, ...nested] : [fn];
  const lines = fn.name === '<module>' ? 0 : fn.codeLines ?? fn.endLine - fn.line + 1; // codeLines([fn])
  const features = codeFeatures(evidence, body, lines, fn.boundary?.doesIO ? 1 : 0, 1, MIN_FUNCTION_LINES);
  // repoFeatures(undefined): the same for every function, so its entries are made once
  typicalRepoEntries ??= Object.entries(repoFeatures(undefined));
  for (const [name, value] of typicalRepoEntries) features[name] = value;
  return features;
}

const NO_EVIDENCE: Evidence[] = [];
let typicalRepoEntries: [string, number][] | null = null;
