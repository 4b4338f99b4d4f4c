/**
 * The TypeScript/JavaScript scorer: named features × named weights → a logit, a 0–100 score, a
 * verdict (keep-typescript / keep-javascript, wasm-extension, move-to-rust) and weighed reasons in
 * the same Reason shape as the Python classifier. Every weight and threshold is in this file.
 */
import { logitAt, scoreOf } from '../classify/classifier.js';
import type { Evidence, FunctionSummary, Reason, Verdict } from '../model.js';
import type { TsFileProfile, TsFunctionProfile } from './profile.js';

export interface TsFeatureSpec {
  weight: number;
  /** Which evidence signals feed the feature (for the per-reason share of its contribution). */
  signals: string[];
  why: string;
}

export const TS_FEATURES: Record<string, TsFeatureSpec> = {
  kernel_ops: { weight: 0.55, signals: ['scalar-loop'], why: 'log2(1 + scalar operations inside loops)' },
  kernel_density: { weight: 1.2, signals: ['scalar-loop'], why: 'scalar loop operations per line of code (capped at 1.5): how much of the module is kernel' },
  nested_ops: { weight: 0.25, signals: ['nested-loop'], why: 'log2(1 + operations in loops nested two deep or more)' },
  bit_ops: { weight: 0.35, signals: ['bit-twiddling'], why: 'log2(1 + bit operations in loops): int32-truncated in JS, native widths in Rust' },
  typed_arrays: { weight: 0.6, signals: ['typed-array'], why: 'typed arrays allocated and looped over: flat buffers that cross into WebAssembly/napi-rs without copying' },
  byte_scan: { weight: 0.3, signals: ['byte-scan'], why: 'log2(1 + charCodeAt/codePointAt calls in loops): hand-written tokenisers' },
  index_while: { weight: 0.3, signals: ['index-while-loop'], why: 'log2(1 + while loops stepping an index)' },
  recursion: { weight: 0.1, signals: ['recursion'], why: 'has self-recursive functions' },
  socket_server: { weight: 0.8, signals: ['socket-server'], why: 'runs its own socket server' },
  raw_framing: { weight: 0.3, signals: ['raw-framing'], why: 'log2(1 + byte-framing calls)' },
  web_framework: { weight: -1.5, signals: ['web-framework'], why: 'web-framework request glue: I/O-bound' },
  ui_code: { weight: -2.0, signals: ['ui-code'], why: 'JSX / UI framework code: DOM-bound' },
  async_io: { weight: -0.3, signals: ['async-io'], why: 'log2(1 + awaits and I/O calls): waits rather than computes' },
  dynamic: { weight: -0.4, signals: ['dynamic-feature'], why: 'log2(1 + eval/new Function/Proxy/Reflect uses): no static Rust counterpart' },
  fan_in: { weight: 0.15, signals: [], why: 'log2(1 + repo modules importing it): a shared library kernel' },
  small_module: { weight: -0.8, signals: [], why: '1 when the module has under 25 lines of code: too little to port' },
};

export const TS_BIAS = -3.2;

export const TS_THRESHOLDS = {
  /** Score at or above which a module holds a kernel worth compiling from Rust (wasm-extension). */
  candidate: 50,
  /** Service logit at or above which the module is a standalone program to move to Rust whole. */
  service: 2.0,
  /** Score at or above which a function counts as a kernel (the hot-code share, the ranked list). */
  kernel: 45,
};

/** The standalone-program logit: a socket server, framing, workers, an entry point, a CPU kernel, few importers. */
export const TS_SERVICE_FEATURES: Record<string, number> = {
  socket_server: 2.0,
  raw_framing: 0.5,
  worker_threads: 0.8,
  entry_point: 1.0,
  cpu_kernel: 1.0,
  fan_in: -0.6,
  web_framework: -3.0,
  ui_code: -3.0,
};

export interface TsClassification {
  verdict: Verdict;
  score: number;
  confidence: number;
  features: Record<string, number>;
  reasons: Reason[];
  functions: FunctionSummary[];
  logit: number;
  serviceLogit: number;
}

const log2p = (x: number): number => Math.log2(1 + Math.max(0, x));
const round2 = (x: number): number => Math.round(x * 100) / 100;
const sum = (evidence: Evidence[], signal: string): number => evidence.reduce((n, e) => n + (e.signal === signal ? e.value : 0), 0);
const has = (evidence: Evidence[], signal: string): number => (evidence.some((e) => e.signal === signal) ? 1 : 0);

function codeFeatures(evidence: Evidence[], loopOps: number, deepOps: number, loc: number): Record<string, number> {
  return {
    kernel_ops: log2p(loopOps),
    kernel_density: Math.min(1.5, loopOps / Math.max(loc, 20)),
    nested_ops: log2p(deepOps),
    bit_ops: log2p(sum(evidence, 'bit-twiddling')),
    typed_arrays: log2p(sum(evidence, 'typed-array')),
    byte_scan: log2p(sum(evidence, 'byte-scan')),
    index_while: log2p(evidence.filter((e) => e.signal === 'index-while-loop').length),
    recursion: has(evidence, 'recursion'),
    socket_server: has(evidence, 'socket-server'),
    raw_framing: log2p(sum(evidence, 'raw-framing')),
    web_framework: has(evidence, 'web-framework'),
    ui_code: has(evidence, 'ui-code'),
    async_io: log2p(sum(evidence, 'async-io')),
    dynamic: log2p(sum(evidence, 'dynamic-feature')),
  };
}

function logitOf(features: Record<string, number>): { logit: number; contributions: Record<string, number> } {
  let logit = TS_BIAS;
  const contributions: Record<string, number> = {};
  for (const [name, value] of Object.entries(features)) {
    const c = (TS_FEATURES[name]?.weight ?? 0) * value;
    if (c !== 0) contributions[name] = round2(c);
    logit += c;
  }
  return { logit, contributions };
}

function weighReasons(evidence: Evidence[], contributions: Record<string, number>): Reason[] {
  const shares = new Map<Evidence, { weight: number; contribution: number }>();
  for (const [feature, spec] of Object.entries(TS_FEATURES)) {
    const total = contributions[feature];
    if (!total) continue;
    const fed = evidence.filter((e) => spec.signals.includes(e.signal));
    const all = fed.reduce((n, e) => n + e.value, 0) || 1;
    for (const e of fed) {
      const s = shares.get(e) ?? { weight: 0, contribution: 0 };
      s.weight += spec.weight;
      s.contribution += (total * e.value) / all;
      shares.set(e, s);
    }
  }
  // Service-only signals (workers, entry point) carry no score weight but still explain a move-to-rust verdict.
  for (const e of evidence) if (!shares.has(e) && (e.signal === 'worker-threads' || e.signal === 'entry-point' || e.signal === 'http-server')) shares.set(e, { weight: 0, contribution: 0 });
  const reasons = [...shares].map(([e, s]): Reason => ({ ...e, weight: round2(s.weight), contribution: round2(s.contribution) }));
  reasons.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.line - b.line);
  return reasons;
}

function confidenceOf(logit: number, contributions: Record<string, number>, loc: number): number {
  const threshold = logitAt(TS_THRESHOLDS.candidate);
  let pos = 0;
  let neg = 0;
  for (const c of Object.values(contributions)) if (c > 0) pos += c; else neg -= c;
  const conflict = Math.max(pos, neg) > 0 ? Math.min(pos, neg) / Math.max(pos, neg) : 0;
  const size = Math.min(1, 0.5 + loc / 100);
  return round2(Math.max(0.05, Math.min(0.99, (0.4 + 0.55 * Math.tanh(Math.abs(logit - threshold) / 2) - 0.3 * conflict) * size)));
}

/** The module's evidence by the function it was seen in (undefined: module level), built once per module. */
function evidenceByFunction(evidence: Evidence[]): Map<string | undefined, Evidence[]> {
  const byFunction = new Map<string | undefined, Evidence[]>();
  for (const e of evidence) {
    const list = byFunction.get(e.function);
    if (list) list.push(e);
    else byFunction.set(e.function, [e]);
  }
  return byFunction;
}

function functionScore(fn: TsFunctionProfile, byFunction: Map<string | undefined, Evidence[]>): number {
  const evidence = byFunction.get(fn.name === '<module>' ? undefined : fn.name) ?? [];
  return scoreOf(logitOf(codeFeatures(evidence, fn.loopOps, fn.deepOps, fn.loc)).logit);
}

export function classifyTsModule(profile: TsFileProfile, link: { fanIn: number }): TsClassification {
  const loopOps = profile.functions.reduce((n, f) => n + f.loopOps, 0);
  const deepOps = profile.functions.reduce((n, f) => n + f.deepOps, 0);
  const features: Record<string, number> = {
    ...codeFeatures(profile.evidence, loopOps, deepOps, profile.loc),
    fan_in: log2p(link.fanIn),
    small_module: profile.loc < 25 ? 1 : 0,
  };
  const { logit, contributions } = logitOf(features);
  let score = scoreOf(logit);
  const service: Record<string, number> = {
    ...features,
    worker_threads: has(profile.evidence, 'worker-threads'),
    entry_point: has(profile.evidence, 'entry-point'),
    cpu_kernel: score >= TS_THRESHOLDS.candidate ? 1 : 0,
  };
  let serviceLogit = 0;
  for (const [name, w] of Object.entries(TS_SERVICE_FEATURES)) serviceLogit += w * (service[name] ?? 0);
  features.worker_threads = service.worker_threads;
  features.entry_point = service.entry_point;
  features.service_logit = round2(serviceLogit);
  let verdict: Verdict = profile.language === 'typescript' ? 'keep-typescript' : 'keep-javascript';
  if (serviceLogit >= TS_THRESHOLDS.service && (features.socket_server > 0 || score >= TS_THRESHOLDS.candidate)) {
    verdict = 'move-to-rust';
    score = Math.max(score, scoreOf(logit + serviceLogit));
  } else if (score >= TS_THRESHOLDS.candidate) verdict = 'wasm-extension';
  const byFunction = evidenceByFunction(profile.evidence);
  const functions: FunctionSummary[] = profile.functions
    .filter((fn) => fn.name !== '<module>' || fn.loopOps > 0)
    .map((fn) => ({ name: fn.name, line: fn.line, endLine: fn.endLine, loc: fn.loc, score: functionScore(fn, byFunction), signals: fn.signals }))
    .sort((a, b) => b.score - a.score || a.line - b.line);
  return {
    verdict, score, confidence: confidenceOf(logit, contributions, profile.loc), features, reasons: weighReasons(profile.evidence, contributions), functions,
    logit: round2(logit), serviceLogit: round2(serviceLogit),
  };
}
