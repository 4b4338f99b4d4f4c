import { cheapOps, type FunctionFacts } from '../src/python/facts.js';
import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { type Bindings, type CallInfo, evidence, fileIndex, fnName, methodOf, receiverOf, resolveName, rootOf } from './util.js';

const ID = 'concurrency';

const THREAD_SPAWN = /^(threading\.(Thread|Timer)|_thread\.start_new_thread|_thread\.start_new|concurrent\.futures\.ThreadPoolExecutor|multiprocessing\.pool\.ThreadPool|multiprocessing\.dummy\.Pool)$/;
const PROCESS_SPAWN = /^(multiprocessing\.(Process|Pool)|multiprocessing\.pool\.Pool|multiprocessing\.context\.\w*Process|concurrent\.futures\.ProcessPoolExecutor|os\.fork|os\.forkpty|loky\.\w+|joblib\.Parallel)$/;
const CONTEXT_MAKER = /^multiprocessing\.get_context$/;
const LOCKS = /^(threading\.(Lock|RLock|Condition|Semaphore|BoundedSemaphore|Event|Barrier|local)|multiprocessing\.(Lock|RLock|Condition|Semaphore|Event|Barrier|Value|RawValue|Array|RawArray|Manager|Queue|SimpleQueue|JoinableQueue)|multiprocessing\.shared_memory\.\w+|queue\.(Queue|LifoQueue|PriorityQueue|SimpleQueue)|asyncio\.(Lock|Semaphore|BoundedSemaphore|Event|Condition|Queue))$/;
const CONCURRENCY_ROOTS = new Set(['threading', '_thread', 'concurrent', 'multiprocessing', 'os', 'loky', 'joblib', 'queue', 'asyncio']);
const SUBMIT_METHODS = new Set(['submit', 'map', 'imap', 'imap_unordered', 'starmap', 'apply_async', 'apply', 'map_async', 'starmap_async']);
const LOCK_METHODS = new Set(['acquire', 'release', 'wait', 'notify', 'notify_all']);
/** A thread target with at least this many scalar loop operations is CPU work the GIL serialises. */
export const CPU_TARGET_OPS = 5;

interface Spawn {
  line: number;
  function: string | undefined;
  what: string;
  target: string | undefined;
}

const spawn = (line: number, function_: string | undefined, what: string, target: string | undefined): Spawn => ({ line, function: function_, what, target });

/** Finds the function a spawn's target names: `worker`, `self.crunch`, `Cls.method`. */
function targetFunction(file: PyFileFacts, target: string | undefined): FunctionFacts | undefined {
  if (!target || !/^[\w.]+$/.test(target)) return undefined;
  const last = target.slice(target.lastIndexOf('.') + 1);
  return file.functions.find((f) => f.qualname === target) ?? file.functions.find((f) => f.name === last && f.name !== '<module>');
}

function targetOf(call: CallInfo, resolved: string): string | undefined {
  if (/^_thread\./.test(resolved)) return call.firstArg;
  return call.call.kwargValues?.target;
}

export const concurrency: CodeDetector = {
  id: ID,
  docs: {
    what: 'Threads, processes and asyncio, and the shared state between them. Signals: `threads` (value: thread spawn sites — threading.Thread/Timer, ThreadPoolExecutor, ThreadPool — plus Thread subclasses), `thread-cpu-work` (value: scalar loop operations inside the functions those threads run, when at least 5: CPU work the GIL serialises), `process-pool` (value: multiprocessing.Process/Pool, ProcessPoolExecutor, os.fork and pool submissions: processes used to escape the GIL), `asyncio` (value: async functions plus asyncio.* calls), `locks` (value: locks, conditions, semaphores, events, queues, shared Value/Array/Manager objects created, plus acquire/release/wait calls on them).',
    why: 'CPython runs one thread of Python bytecode at a time: threads doing CPU work do not scale, and multiprocessing pays pickling and process start-up to get around it. Rust threads (rayon, std::thread, tokio) run truly in parallel over shared memory with the borrow checker guarding the locks — a whole program fighting the GIL is a move-to-Rust candidate. asyncio alone is I/O concurrency and ports poorly for little gain.',
    example: 'import threading\n\ndef crunch(rows, out, i):\n    total = 0\n    for r in rows:\n        total += r * r % 7\n    out[i] = total\n\nthreads = [threading.Thread(target=crunch, args=(chunk, out, i)) for i, chunk in enumerate(chunks)]',
  },
  detect: detectConcurrency,
};

/** The spawns, locks and asyncio calls a file makes, by kind. */
class Sites {
  readonly threads: Spawn[] = [];
  readonly processes: Spawn[] = [];
  readonly locks: Spawn[] = [];
  readonly asyncCalls: Spawn[] = [];
}

/** `ctx.Pool` where ctx = multiprocessing.get_context(...) → `multiprocessing.Pool`. */
function throughContext(bindings: Bindings, fn: FunctionFacts, callee: string): string {
  const receiver = receiverOf(callee);
  const ctx = receiver ? bindings.get(fn, receiver) : undefined;
  return ctx && CONTEXT_MAKER.test(ctx.callee) ? `multiprocessing.${methodOf(callee)}` : callee;
}

function scanCalls(fn: FunctionFacts, calls: CallInfo[], bindings: Bindings, sites: Sites): void {
  for (let i = 0; i < calls.length; i++) {
    const info = calls[i];
    // Only calls into the concurrency modules, or methods of objects they made, can matter.
    const byModule = info.importedHead && CONCURRENCY_ROOTS.has(info.root);
    let made = info.made === undefined ? undefined : throughContext(bindings, fn, info.made);
    if (made !== undefined && !CONCURRENCY_ROOTS.has(rootOf(made))) made = undefined;
    if (!byModule && made === undefined) continue;
    concurrencyCall(fn, info, made, sites);
  }
}

function concurrencyCall(fn: FunctionFacts, info: CallInfo, made: string | undefined, sites: Sites): void {
  const method = info.method;
  const function_ = fnName(fn);
  const line = info.line;
  let resolved = info.resolved;
  // ctx = multiprocessing.get_context("spawn"); ctx.Pool(...)
  if (made && CONTEXT_MAKER.test(made)) resolved = `multiprocessing.${method}`;
  if (THREAD_SPAWN.test(resolved)) sites.threads.push(spawn(line, function_, resolved, targetOf(info, resolved)));
  else if (PROCESS_SPAWN.test(resolved)) sites.processes.push(spawn(line, function_, resolved, info.call.kwargValues?.target));
  else if (LOCKS.test(resolved)) sites.locks.push(spawn(line, function_, resolved, undefined));
  else if (/^asyncio\./.test(resolved)) sites.asyncCalls.push(spawn(line, function_, resolved, undefined));
  else if (made && SUBMIT_METHODS.has(method)) {
    if (THREAD_SPAWN.test(made)) sites.threads.push(spawn(line, function_, `${made}.${method}`, info.firstArg));
    else if (PROCESS_SPAWN.test(made) || CONTEXT_MAKER.test(made)) sites.processes.push(spawn(line, function_, `${made}.${method}`, info.firstArg));
  } else if (made && LOCK_METHODS.has(method) && LOCKS.test(made)) sites.locks.push(spawn(line, function_, `${made}.${method}`, undefined));
}

function spawnClasses(file: PyFileFacts, imported: Map<string, string>, sites: Sites): void {
  for (const cls of file.classes) {
    const base = cls.bases.map((b) => resolveName(b, imported)).find((b) => b === 'threading.Thread' || b === 'multiprocessing.Process');
    if (!base) continue;
    const s = spawn(cls.line, undefined, `class ${cls.name}(${base})`, `${cls.name}.run`);
    (base === 'threading.Thread' ? sites.threads : sites.processes).push(s);
  }
}

function threadEvidence(file: PyFileFacts, threads: Spawn[], out: Evidence[]): void {
  out.push(evidence(ID, 'threads', threads.length, threads[0].line, threads[0].function, `starts threads at ${threads.length} site(s) (${[...new Set(threads.map((t) => t.what))].slice(0, 3).join(', ')})`));
  let cpu = 0;
  let first: Spawn | undefined;
  const counted = new Set<FunctionFacts>();
  for (const t of threads) {
    const target = targetFunction(file, t.target);
    if (!target || counted.has(target)) continue;
    counted.add(target);
    const ops = cheapOps(target.inLoop);
    if (ops >= CPU_TARGET_OPS) {
      cpu += ops;
      first ??= t;
    }
  }
  if (first) {
    out.push(evidence(ID, 'thread-cpu-work', cpu, first.line, first.function, `threads run CPU-bound Python (${cpu} scalar loop operations in ${first.target}${counted.size > 1 ? ' and others' : ''}): the GIL lets only one run at a time`));
  }
}

function processEvidence(file: PyFileFacts, processes: Spawn[]): Evidence {
  const cpuTargets = processes.map((p) => targetFunction(file, p.target)).filter((f): f is FunctionFacts => !!f && cheapOps(f.inLoop) >= CPU_TARGET_OPS);
  return evidence(ID, 'process-pool', processes.length, processes[0].line, processes[0].function, `uses processes to get around the GIL at ${processes.length} site(s) (${[...new Set(processes.map((p) => p.what))].slice(0, 3).join(', ')})${cpuTargets.length ? `; workers run scalar loops (${cpuTargets[0].qualname})` : ''}`);
}

function asyncEvidence(file: PyFileFacts, asyncCalls: Spawn[], out: Evidence[]): void {
  let asyncFns = 0;
  let firstAsync = Infinity;
  let awaits = 0;
  for (const f of file.functions) {
    if (!f.isAsync) continue;
    if (asyncFns === 0) firstAsync = f.line;
    asyncFns++;
    awaits += f.all.awaits;
  }
  if (asyncFns + asyncCalls.length > 0) {
    const line = Math.min(firstAsync, asyncCalls[0]?.line ?? Infinity);
    out.push(evidence(ID, 'asyncio', asyncFns + asyncCalls.length, line, undefined, `${asyncFns} async function(s), ${awaits} await(s), ${asyncCalls.length} asyncio call(s): cooperative I/O concurrency`));
  }
}

function locksEvidence(locks: Spawn[]): Evidence {
  return evidence(ID, 'locks', locks.length, locks[0].line, locks[0].function, `shared state guarded by locks or queues at ${locks.length} site(s) (${[...new Set(locks.map((l) => l.what))].slice(0, 3).join(', ')})`);
}

const byLine = (a: Spawn, b: Spawn): number => a.line - b.line;

function detectConcurrency(file: PyFileFacts): Evidence[] {
  const out: Evidence[] = [];
  const ix = fileIndex(file);
  const sites = new Sites();
  for (const fn of file.functions) scanCalls(fn, ix.callsOf(fn), ix.bindings, sites);
  if (file.classes.length > 0) spawnClasses(file, ix.imported, sites);
  const { threads, processes, locks, asyncCalls } = sites;
  threads.sort(byLine);
  processes.sort(byLine);
  locks.sort(byLine);
  if (threads.length > 0) threadEvidence(file, threads, out);
  if (processes.length > 0) out.push(processEvidence(file, processes));
  asyncEvidence(file, asyncCalls, out);
  if (locks.length > 0) out.push(locksEvidence(locks));
  return out;
}
