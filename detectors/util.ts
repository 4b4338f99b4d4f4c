import type { Evidence } from '../src/model.js';
import type { CallFact, FunctionFacts, PyFileFacts } from '../src/python/facts.js';

/** Maps every local name bound by an import to the module (or module.member) it stands for. */
export function importedNames(file: PyFileFacts): Map<string, string> {
  const names = new Map<string, string>();
  for (const imp of file.imports) {
    const imported = imp.names;
    if (imported.length === 0) {
      const alias = imp.bound[0];
      const top = rootOf(imp.module);
      names.set(alias, alias === top ? top : imp.module);
    } else {
      for (let i = 0; i < imported.length; i++) {
        const name = imported[i];
        if (name !== '*') names.set(imp.bound[i], imp.module ? imp.module + '.' + name : name);
      }
    }
  }
  return names;
}

/** A dotted name with its first segment replaced by the module it was imported from (`np.sum` → `numpy.sum`). */
export function resolveDotted(name: string, imported: Map<string, string>): string {
  const dot = name.indexOf('.');
  const origin = imported.get(dot < 0 ? name : name.slice(0, dot));
  if (origin === undefined || origin === '') return name;
  return dot < 0 ? origin : origin + name.slice(dot);
}

/** The callee with its first segment replaced by the module it was imported from (`np.sum` → `numpy.sum`). */
export function resolveCallee(call: CallFact, imported: Map<string, string>): string {
  return resolveDotted(call.name, imported);
}

export function rootOf(dotted: string): string {
  const dot = dotted.indexOf('.');
  return dot < 0 ? dotted : dotted.slice(0, dot);
}

export function fnName(fn: FunctionFacts): string | undefined {
  return fn.qualname === '<module>' ? undefined : fn.qualname;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface Bound {
  name: string;
  /** The callee, resolved through the file's imports (`np.zeros` → `numpy.zeros`). */
  callee: string;
  line: number;
}

/**
 * What made each bound name (`buf = bytearray()` → buf ↦ bytearray), scoped like Python: a
 * function's own bindings first, then the module's; `self.x` bindings are shared across the file.
 */
export class Bindings {
  private readonly byScope = new Map<string, Map<string, Bound>>();

  constructor(file: PyFileFacts, imported: Map<string, string>) {
    for (const b of file.bindings) {
      const scope = b.name.startsWith('self.') || b.name.startsWith('cls.') ? '<self>' : b.function;
      let names = this.byScope.get(scope);
      if (!names) this.byScope.set(scope, (names = new Map()));
      if (!names.has(b.name)) names.set(b.name, { name: b.name, callee: resolveDotted(b.callee, imported), line: b.line });
    }
  }

  get(fn: FunctionFacts, name: string): Bound | undefined {
    if (name.startsWith('self.') || name.startsWith('cls.')) return this.byScope.get('<self>')?.get(name);
    return this.byScope.get(fn.qualname)?.get(name) ?? this.byScope.get('<module>')?.get(name);
  }

  private readonly filtered = new Map<string, Map<string, string[]>>();

  /**
   * Names visible in `fn` whose maker satisfies `test`; `key` names the test so the per-scope
   * filtering is done once per file rather than once per function.
   */
  namesMadeBy(fn: FunctionFacts, key: string, test: (callee: string) => boolean): string[] {
    let byScope = this.filtered.get(key);
    if (!byScope) byScope = this.filterScopes(key, test);
    const own = byScope.get(fn.qualname);
    const module = fn.qualname === '<module>' ? undefined : byScope.get('<module>');
    const self = byScope.get('<self>');
    if (module === undefined && self === undefined) return own ?? [];
    const out: string[] = [];
    if (own !== undefined) for (let i = 0; i < own.length; i++) out.push(own[i]);
    if (module !== undefined) for (let i = 0; i < module.length; i++) out.push(module[i]);
    if (self !== undefined) for (let i = 0; i < self.length; i++) out.push(self[i]);
    return out;
  }

  private filterScopes(key: string, test: (callee: string) => boolean): Map<string, string[]> {
    const byScope = new Map<string, string[]>();
    for (const [scope, names] of this.byScope) {
      const hits: string[] = [];
      for (const b of names.values()) if (test(b.callee)) hits.push(b.name);
      if (hits.length) byScope.set(scope, hits);
    }
    this.filtered.set(key, byScope);
    return byScope;
  }
}

/**
 * A call with the parts every detector asks about, computed once per file. The CallFact fields
 * read in the detectors' per-call loops are copied in, every field always present: those loops
 * read one object shape (CallFacts come in several, as their optional fields are set or not).
 * Rarely read fields (secondArg, kwargValues, keywords) stay on `call`.
 */
export interface CallInfo {
  call: CallFact;
  /** call.name: the dotted callee as written, or `<expr>`. */
  name: string;
  line: number;
  loopDepth: number;
  args: number;
  firstArg: string | undefined;
  /** The callee with its first segment replaced by the module it was imported from. */
  resolved: string;
  /** First segment of `resolved` (`numpy` for `np.sum`). */
  root: string;
  /** The object of a method call (`self.buf` for `self.buf.append`), undefined for a plain call. */
  receiver: string | undefined;
  /** The last segment of the callee (`append`; `len` for `len`). */
  method: string;
  /** The callee's first segment is a name bound by an import. */
  importedHead: boolean;
  /** For a method call on a bound name: the resolved callee that made the receiver (`conn` ↦ `psycopg2.connect`). */
  made: string | undefined;
}

/** Per-file lookups every detector shares, built once per file (facts are immutable once extracted). */
export interface FileIndex {
  imported: Map<string, string>;
  bindings: Bindings;
  /** The function's calls with their resolved parts, in order. */
  callsOf(fn: FunctionFacts): CallInfo[];
}

const INDEXES = new WeakMap<PyFileFacts, FileIndex>();

/** The one place a CallInfo is made (one object shape). */
function callInfo(call: CallFact, resolved: string, root: string, receiver: string | undefined, method: string, importedHead: boolean, made: string | undefined): CallInfo {
  return {
    call, name: call.name, line: call.line, loopDepth: call.loopDepth, args: call.args, firstArg: call.firstArg,
    resolved, root, receiver, method, importedHead, made,
  };
}

/**
 * The FileIndex of one file. A class rather than an object literal with a closure, so `callsOf`
 * is one function for the life of the thread (a closure per file kept V8 re-optimising it).
 */
class FileIndexOf implements FileIndex {
  readonly imported: Map<string, string>;
  readonly bindings: Bindings;
  private readonly infos = new Map<FunctionFacts, CallInfo[]>();

  constructor(file: PyFileFacts) {
    this.imported = importedNames(file);
    this.bindings = new Bindings(file, this.imported);
  }

  callsOf(fn: FunctionFacts): CallInfo[] {
    let list = this.infos.get(fn);
    if (list) return list;
    const imported = this.imported;
    const calls = fn.calls;
    list = new Array<CallInfo>(calls.length);
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      const name = call.name;
      const dot = name.indexOf('.');
      const head = dot < 0 ? name : name.slice(0, dot);
      const origin = imported.get(head);
      const last = dot < 0 ? -1 : name.lastIndexOf('.');
      const receiver = last < 0 ? undefined : name.slice(0, last);
      list[i] = callInfo(
        call,
        origin === undefined ? name : dot < 0 ? origin : origin + name.slice(dot),
        origin === undefined ? head : rootOf(origin),
        receiver,
        last < 0 ? name : name.slice(last + 1),
        origin !== undefined,
        receiver === undefined ? undefined : this.bindings.get(fn, receiver)?.callee,
      );
    }
    this.infos.set(fn, list);
    return list;
  }
}

export function fileIndex(file: PyFileFacts): FileIndex {
  let ix = INDEXES.get(file);
  if (ix) return ix;
  ix = new FileIndexOf(file);
  INDEXES.set(file, ix);
  return ix;
}

/** The object part of a method call (`self.buf.append` → `self.buf`), or undefined for a plain call. */
export function receiverOf(callName: string): string | undefined {
  const dot = callName.lastIndexOf('.');
  return dot < 0 ? undefined : callName.slice(0, dot);
}

/** The method part of a call (`self.buf.append` → `append`, `len` → `len`). */
export function methodOf(callName: string): string {
  return callName.slice(callName.lastIndexOf('.') + 1);
}

/** The loop of `fn` that starts at or encloses `line` and is outermost, if any. */
export function outermostLoopAt(fn: FunctionFacts, line: number): FunctionFacts['loops'][number] | undefined {
  return fn.loops.find((l) => l.line <= line && line <= l.endLine);
}

/** Resolved callee of a class base (`socketserver.BaseRequestHandler`, `Thread` → `threading.Thread`). */
export function resolveName(dotted: string, imported: Map<string, string>): string {
  return resolveDotted(dotted, imported);
}

/** The sites of one signal: how many, the first (line and function), and up to 3 distinct examples. */
export interface SiteTally {
  count: number;
  line: number;
  function: string | undefined;
  examples: string[];
}

/**
 * Accumulates call sites per signal for detectors that report one evidence per signal, valued by
 * the number of sites, located at the earliest one, with a few examples in the message.
 */
export class SiteTallies<K extends string = string> {
  private readonly tallies = new Map<K, SiteTally>();

  add(key: K, line: number, function_: string | undefined, example: string, count = 1): void {
    const t = this.tallies.get(key);
    if (t === undefined) {
      this.tallies.set(key, { count, line, function: function_, examples: [example] });
      return;
    }
    t.count += count;
    if (line < t.line) {
      t.line = line;
      t.function = function_;
    }
    if (t.examples.length < 3 && !t.examples.includes(example)) t.examples.push(example);
  }

  has(key: K): boolean {
    return this.tallies.has(key);
  }

  /** Every signal with its sites, earliest first. */
  byLine(): [K, SiteTally][] {
    return [...this.tallies].sort((a, b) => a[1].line - b[1].line);
  }
}

/**
 * The one place Python detectors make an Evidence record, so every record has the same fields in
 * the same order (`function` undefined outside functions: JSON leaves it out, as before).
 */
export function evidence(detector: string, signal: string, value: number, line: number, function_: string | undefined, message: string): Evidence {
  return { detector, signal, value, line, function: function_, message };
}
