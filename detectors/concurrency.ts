import { cheapOps, type CallFact, type FunctionFacts } from '../src/python/facts.js';
import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { fileIndex, fnName, methodOf, receiverOf, resolveName, rootOf } from './util.js';

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
  function?: string;
  what: string;
  target?: string;
}

/** Finds the function a spawn's target names: `worker`, `self.crunch`, `Cls.method`. */
function targetFunction(file: PyFileFacts, target: string | undefined): FunctionFacts | undefined {
  if (!target || !/^[\w.]+$/.test(target)) return undefined;
  const last = target.slice(target.lastIndexOf('.') + 1);
  return file.functions.find((f) => f.qualname === target) ?? file.functions.find((f) => f.name === last && f.name !== '<module>');
}

function targetOf(call: CallFact, resolved: string): string | undefined {
  if (/^_thread\./.test(resolved)) return call.firstArg;
  return call.kwargValues?.target;
}

export const concurrency: CodeDetector = {
  id: ID,
  docs: {
    what: 'Threads, processes and asyncio, and the shared state between them. Signals: `threads` (value: thread spawn sites — threading.Thread/Timer, ThreadPoolExecutor, ThreadPool — plus Thread subclasses), `thread-cpu-work` (value: scalar loop operations inside the functions those threads run, when at least 5: CPU work the GIL serialises), `process-pool` (value: multiprocessing.Process/Pool, ProcessPoolExecutor, os.fork and pool submissions: processes used to escape the GIL), `asyncio` (value: async functions plus asyncio.* calls), `locks` (value: locks, conditions, semaphores, events, queues, shared Value/Array/Manager objects created, plus acquire/release/wait calls on them).',
    why: 'CPython runs one thread of Python bytecode at a time: threads doing CPU work do not scale, and multiprocessing pays pickling and process start-up to get around it. Rust threads (rayon, std::thread, tokio) run truly in parallel over shared memory with the borrow checker guarding the locks — a whole program fighting the GIL is a move-to-Rust candidate. asyncio alone is I/O concurrency and ports poorly for little gain.',
    example: 'import threading\n\ndef crunch(rows, out, i):\n    total = 0\n    for r in rows:\n        total += r * r % 7\n    out[i] = total\n\nthreads = [threading.Thread(target=crunch, args=(chunk, out, i)) for i, chunk in enumerate(chunks)]',
  },
  detect(file: PyFileFacts): Evidence[] {
    const out: Evidence[] = [];
    const ix = fileIndex(file);
    const imported = ix.imported;
    const bindings = ix.bindings;
    const threads: Spawn[] = [];
    const processes: Spawn[] = [];
    const locks: Spawn[] = [];
    const asyncCalls: Spawn[] = [];

    for (const fn of file.functions) {
      const function_ = fnName(fn);
      for (const info of ix.callsOf(fn)) {
        const { call, method } = info;
        // Only calls into the concurrency modules, or methods of objects they made, can matter.
        const byModule = info.importedHead && CONCURRENCY_ROOTS.has(info.root);
        let made = info.made === undefined ? undefined : throughContext(fn, info.made);
        if (made !== undefined && !CONCURRENCY_ROOTS.has(rootOf(made))) made = undefined;
        if (!byModule && made === undefined) continue;
        let resolved = info.resolved;
        // ctx = multiprocessing.get_context("spawn"); ctx.Pool(...)
        if (made && CONTEXT_MAKER.test(made)) resolved = `multiprocessing.${method}`;
        if (THREAD_SPAWN.test(resolved)) threads.push({ line: call.line, function: function_, what: resolved, target: targetOf(call, resolved) });
        else if (PROCESS_SPAWN.test(resolved)) processes.push({ line: call.line, function: function_, what: resolved, target: call.kwargValues?.target });
        else if (LOCKS.test(resolved)) locks.push({ line: call.line, function: function_, what: resolved });
        else if (/^asyncio\./.test(resolved)) asyncCalls.push({ line: call.line, function: function_, what: resolved });
        else if (made && SUBMIT_METHODS.has(method)) {
          if (THREAD_SPAWN.test(made)) threads.push({ line: call.line, function: function_, what: `${made}.${method}`, target: call.firstArg });
          else if (PROCESS_SPAWN.test(made) || CONTEXT_MAKER.test(made)) processes.push({ line: call.line, function: function_, what: `${made}.${method}`, target: call.firstArg });
        } else if (made && LOCK_METHODS.has(method) && LOCKS.test(made)) locks.push({ line: call.line, function: function_, what: `${made}.${method}` });
      }
    }
    /** `ctx.Pool` where ctx = multiprocessing.get_context(...) → `multiprocessing.Pool`. */
    function throughContext(fn: FunctionFacts, callee: string): string {
      const receiver = receiverOf(callee);
      const ctx = receiver ? bindings.get(fn, receiver) : undefined;
      return ctx && CONTEXT_MAKER.test(ctx.callee) ? `multiprocessing.${methodOf(callee)}` : callee;
    }
    for (const cls of file.classes) {
      const base = cls.bases.map((b) => resolveName(b, imported)).find((b) => b === 'threading.Thread' || b === 'multiprocessing.Process');
      if (!base) continue;
      const spawn = { line: cls.line, what: `class ${cls.name}(${base})`, target: `${cls.name}.run` };
      (base === 'threading.Thread' ? threads : processes).push(spawn);
    }

    for (const list of [threads, processes, locks]) list.sort((a, b) => a.line - b.line);
    if (threads.length > 0) {
      out.push({
        detector: ID, signal: 'threads', value: threads.length, line: threads[0].line, function: threads[0].function,
        message: `starts threads at ${threads.length} site(s) (${[...new Set(threads.map((t) => t.what))].slice(0, 3).join(', ')})`,
      });
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
        out.push({
          detector: ID, signal: 'thread-cpu-work', value: cpu, line: first.line, function: first.function,
          message: `threads run CPU-bound Python (${cpu} scalar loop operations in ${first.target}${counted.size > 1 ? ' and others' : ''}): the GIL lets only one run at a time`,
        });
      }
    }
    if (processes.length > 0) {
      const cpuTargets = processes.map((p) => targetFunction(file, p.target)).filter((f): f is FunctionFacts => !!f && cheapOps(f.inLoop) >= CPU_TARGET_OPS);
      out.push({
        detector: ID, signal: 'process-pool', value: processes.length, line: processes[0].line, function: processes[0].function,
        message: `uses processes to get around the GIL at ${processes.length} site(s) (${[...new Set(processes.map((p) => p.what))].slice(0, 3).join(', ')})${cpuTargets.length ? `; workers run scalar loops (${cpuTargets[0].qualname})` : ''}`,
      });
    }
    const asyncFns = file.functions.filter((f) => f.isAsync);
    if (asyncFns.length + asyncCalls.length > 0) {
      const line = Math.min(asyncFns[0]?.line ?? Infinity, asyncCalls[0]?.line ?? Infinity);
      const awaits = asyncFns.reduce((n, f) => n + f.all.awaits, 0);
      out.push({
        detector: ID, signal: 'asyncio', value: asyncFns.length + asyncCalls.length, line,
        message: `${asyncFns.length} async function(s), ${awaits} await(s), ${asyncCalls.length} asyncio call(s): cooperative I/O concurrency`,
      });
    }
    if (locks.length > 0) {
      out.push({
        detector: ID, signal: 'locks', value: locks.length, line: locks[0].line, function: locks[0].function,
        message: `shared state guarded by locks or queues at ${locks.length} site(s) (${[...new Set(locks.map((l) => l.what))].slice(0, 3).join(', ')})`,
      });
    }
    return out;
  },
};
