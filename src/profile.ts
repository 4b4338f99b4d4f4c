/**
 * parse → facts → detectors for one file. The result (a FileProfile) is plain data: it is what a
 * worker sends back and what the cache stores; trees never leave this module.
 */
import { CODE_DETECTORS } from '../detectors/index.js';
import type { Evidence, FunctionBoundary } from './model.js';
import { cheapOps, extractFacts, type FunctionFacts, type ImportFact, type PyFileFacts } from './python/facts.js';
import { withPythonTree } from './python/parser.js';

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
  signals: Record<string, number>;
  boundary: FunctionBoundary;
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
  metrics: {
    functions: number;
    classes: number;
    loops: number;
    complexity: number;
    calls: number;
  };
}

const IO_CALL = /^(open|print|input)$|^(os|shutil|subprocess|pathlib|logging|socket|requests|httpx|urllib|urllib3|sys\.std(out|err|in))\b|\.(read|write|readline|readlines|recv|send|sendall|flush|execute|fetchall|fetchone|commit|get_logger|info|debug|warning|error)$/;

function boundaryOf(fn: FunctionFacts, file: PyFileFacts): FunctionBoundary {
  const params = fn.params.filter((p) => p.name !== 'self' && p.name !== 'cls').map((p) => ({ name: p.name, annotation: p.annotation }));
  const hinted = params.filter((p) => p.annotation).length + (fn.returns ? 1 : 0);
  const hintCoverage = params.length + 1 === 0 ? 0 : hinted / (params.length + 1);
  const paramNames = new Set(params.map((p) => p.name));
  const callsBackIntoPython = fn.calls.some((c) => paramNames.has(c.name));
  const mutatesGlobals = fn.globals.length > 0 || file.attributeAssigns.some((a) => a.inFunction && a.line >= fn.line && a.line <= fn.endLine && !paramNames.has(a.object) && a.object !== 'self' && a.object !== 'cls');
  const doesIO = fn.calls.some((c) => IO_CALL.test(c.name));
  const simpleTypes = params.every((p) => !p.annotation || /^(int|float|bool|str|bytes|bytearray|memoryview|list|tuple|dict|set|List|Tuple|Dict|Sequence|Iterable|Optional)\b/.test(p.annotation));
  return {
    params, returns: fn.returns, hintCoverage: Math.round(hintCoverage * 100) / 100,
    callsBackIntoPython, mutatesGlobals, doesIO,
    easy: !callsBackIntoPython && !mutatesGlobals && !doesIO && simpleTypes && !fn.isAsync,
  };
}

function functionProfile(fn: FunctionFacts, file: PyFileFacts, evidence: Evidence[]): FunctionProfile {
  const signals: Record<string, number> = {};
  const key = fn.qualname === '<module>' ? undefined : fn.qualname;
  for (const e of evidence) if (e.function === key) signals[e.signal] = (signals[e.signal] ?? 0) + e.value;
  return {
    name: fn.qualname, line: fn.line, endLine: fn.endLine, loc: fn.endLine - fn.line + 1,
    loopOps: cheapOps(fn.inLoop), deepOps: fn.deepOps, maxLoopDepth: fn.maxLoopDepth,
    complexity: fn.complexity, calls: fn.all.calls, signals, boundary: boundaryOf(fn, file),
  };
}

/** Runs every code detector over a file's facts. */
export function detect(facts: PyFileFacts): Evidence[] {
  const out: Evidence[] = [];
  for (const d of CODE_DETECTORS) out.push(...d.detect(facts));
  return out;
}

export function profileFromFacts(path: string, facts: PyFileFacts): FileProfile {
  const evidence = detect(facts);
  const functions = facts.functions.map((fn) => functionProfile(fn, facts, evidence));
  return {
    path, language: 'python', loc: facts.loc, totalLines: facts.totalLines, syntaxErrors: facts.syntaxErrors,
    python2: facts.python2, mainGuardLine: facts.mainGuardLine, imports: facts.imports, evidence, functions,
    directives: facts.directives,
    metrics: {
      functions: facts.functions.length - 1, classes: facts.classes.length,
      loops: facts.functions.reduce((n, f) => n + f.loops.length, 0),
      complexity: facts.functions.reduce((n, f) => n + f.complexity, 0),
      calls: facts.functions.reduce((n, f) => n + f.all.calls, 0),
    },
  };
}

export async function factsOf(source: string): Promise<PyFileFacts> {
  return withPythonTree(source, (tree) => extractFacts(tree, source));
}

export async function profilePython(path: string, source: string): Promise<FileProfile> {
  return profileFromFacts(path, await factsOf(source));
}
