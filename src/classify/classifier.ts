/**
 * Scores a module from its named features: a logit, a 0–100 score, a verdict, a confidence, the
 * weighed reasons (each with its line) and the ranked functions to extract.
 */
import type { Evidence, FunctionSummary, PythonVerdict, Reason } from '../model.js';
import type { FileProfile, FunctionProfile } from '../profile.js';
import { functionFeatures, moduleCodeLines, moduleFeatures, moduleLines, topImports, type LinkFacts } from './features.js';
import { NORM_PRIOR_MODULES } from './relative.js';
import { testSuiteOf } from '../../detectors/test-code.js';
import { BIAS, FEATURES, SERVICE_FEATURES, THRESHOLDS, TYPICAL, type FeatureSpec } from './weights.js';

export interface Classification {
  verdict: PythonVerdict;
  score: number;
  confidence: number;
  features: Record<string, number>;
  contributions: Record<string, number>;
  logit: number;
  serviceLogit: number;
  reasons: Reason[];
  functions: FunctionSummary[];
}

export type WeightOverrides = Record<string, number>;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The logit at which the 0–100 score equals `score` (the inverse of scoreOf before rounding). */
export const logitAt = (score: number): number => Math.log(score / (100 - score));

/** The logit at which the score equals the candidate threshold. */
export const CANDIDATE_LOGIT = logitAt(THRESHOLDS.candidate);

export function weightOf(feature: string, overrides: WeightOverrides = {}): number {
  return overrides[feature] ?? FEATURES[feature]?.weight ?? 0;
}

export function biasOf(overrides: WeightOverrides = {}): number {
  return overrides.bias ?? BIAS;
}

/** The overrides of a scan without --weights: one shared object, so its weight table is built once. */
const NO_OVERRIDES: WeightOverrides = Object.freeze({}) as WeightOverrides;

/** A feature's weight and typical value (weightOf, TYPICAL[name] ?? 0), looked up once per name. */
interface WeighedFeature {
  weight: number;
  typical: number;
  /** weight × typical: its share of the baseline. */
  base: number;
}

/** The weighed features of one list of feature names. */
interface FeatureLayout {
  names: readonly string[];
  entries: WeighedFeature[];
  baseline: number;
}

/** Lists of feature names a table remembers (functions, modules, and a few for other callers). */
const MAX_LAYOUTS = 8;

/** weightOf and TYPICAL per feature name for one set of overrides, filled as names are met. */
class WeightTable {
  private readonly byName = new Map<string, WeighedFeature>();
  private readonly layouts: FeatureLayout[] = [];
  readonly bias: number;

  constructor(private readonly overrides: WeightOverrides) {
    this.bias = biasOf(overrides);
  }

  /**
   * The table's entries for a list of feature names, in that order, and their baseline (the same
   * sum baselineWith makes). Every function's features have the same names in the same order, as
   * do every module's: the few lists seen are kept and recognised by comparing their names.
   */
  layoutOf(names: readonly string[]): FeatureLayout {
    const known = this.layouts;
    search: for (let k = 0; k < known.length; k++) {
      const layout = known[k];
      if (layout.names.length !== names.length) continue;
      for (let i = 0; i < names.length; i++) if (layout.names[i] !== names[i]) continue search;
      return layout;
    }
    const entries: WeighedFeature[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) entries[i] = this.get(names[i]);
    const layout: FeatureLayout = { names: names.slice(), entries, baseline: baselineWith(names, this) };
    if (known.length < MAX_LAYOUTS) known.push(layout);
    return layout;
  }

  get(name: string): WeighedFeature {
    let entry = this.byName.get(name);
    if (entry === undefined) {
      const weight = weightOf(name, this.overrides);
      const typical = TYPICAL[name] ?? 0;
      entry = { weight, typical, base: weight * typical };
      this.byName.set(name, entry);
    }
    return entry;
  }
}

let sharedTable: WeightTable | null = null;

/** The table of the default weights is kept; overrides (which a caller may change between calls) get a fresh one. */
function weightTable(overrides: WeightOverrides): WeightTable {
  if (overrides !== NO_OVERRIDES) return new WeightTable(overrides);
  sharedTable ??= new WeightTable(NO_OVERRIDES);
  return sharedTable;
}

function baselineWith(names: readonly string[], table: WeightTable): number {
  let baseline = table.bias;
  for (let i = 0; i < names.length; i++) baseline += table.get(names[i]).base;
  return baseline;
}

/** The logit of a typical module with these features: bias + Σ weight × typical value. */
export function baselineOf(features: Record<string, number>, overrides: WeightOverrides = NO_OVERRIDES): number {
  return baselineWith(Object.keys(features), weightTable(overrides));
}

/** The logit of these features; each non-zero contribution goes into `contributions` when one is given. */
function logitWith(features: Record<string, number>, table: WeightTable, contributions: Record<string, number> | null): number {
  const names = Object.keys(features);
  const layout = table.layoutOf(names);
  let logit = layout.baseline;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const w = layout.entries[i];
    const c = w.weight * (features[name] - w.typical);
    if (contributions !== null && c !== 0) contributions[name] = round2(c);
    logit += c;
  }
  return logit;
}

function logitAndContributions(features: Record<string, number>, table: WeightTable): { logit: number; contributions: Record<string, number> } {
  const contributions: Record<string, number> = {};
  return { logit: logitWith(features, table, contributions), contributions };
}

/** logit = baseline + Σ weight × (value − typical): each contribution is a distance from the ordinary. */
export function logitOf(features: Record<string, number>, overrides: WeightOverrides = NO_OVERRIDES): { logit: number; contributions: Record<string, number> } {
  return logitAndContributions(features, weightTable(overrides));
}

export const scoreOf = (logit: number): number => Math.round(100 * sigmoid(logit));

export function serviceLogitOf(features: Record<string, number>): { logit: number; contributions: Record<string, number> } {
  let logit = 0;
  const contributions: Record<string, number> = {};
  for (const [name, w] of Object.entries(SERVICE_FEATURES)) {
    const c = w * (features[name] ?? 0);
    if (c !== 0) contributions[name] = round2(c);
    logit += c;
  }
  return { logit, contributions };
}

const own = (profile: FileProfile): FunctionProfile[] => profile.functions.filter((f) => f.name !== '<module>');

/** Spreads a feature's contribution over the functions that produced it, in proportion to `amount`. */
function perFunction(feature: string, total: number, weight: number, fns: FunctionProfile[], amount: (f: FunctionProfile) => number, message: (f: FunctionProfile, n: number) => string): Reason[] {
  const fed: { f: FunctionProfile; n: number }[] = [];
  for (const f of fns) {
    const n = amount(f);
    if (n > 0) fed.push({ f, n }); // only the functions that feed it (most feed none of bit ops, whiles, I/O)
  }
  fed.sort((a, b) => b.n - a.n);
  const sum = fed.reduce((s, x) => s + x.n, 0) || 1;
  const top = fed.slice(0, 5);
  const rest = fed.slice(5).reduce((s, x) => s + x.n, 0);
  const out: Reason[] = top.map(({ f, n }) => ({
    detector: 'classifier', signal: feature, value: n, line: f.line, function: f.name, message: message(f, n),
    weight, contribution: round2((total * n) / sum),
  }));
  const last = out[out.length - 1];
  if (rest > 0 && last) {
    last.message += ` (and ${fed.length - 5} more function(s))`;
    last.contribution = round2(last.contribution + (total * rest) / sum);
  }
  return out;
}

/** How the module's scalar density compares with its repo's typical module, and where that norm comes from. */
function repoNormMessage(features: Record<string, number>, link: LinkFacts): string {
  const norm = features.repo_scalar_density;
  const own = features.scalar_density;
  const ratio = norm > 0 ? `${(own / norm).toFixed(1)}× ` : '';
  const basis = link.norm
    ? `its component's median ${link.norm.median.scalar_density.toFixed(2)} over ${link.norm.modules} module(s), blended with the corpus's ${TYPICAL.scalar_density} over ${NORM_PRIOR_MODULES}`
    : `the corpus's typical module`;
  return `a typical module of this repo has ${norm.toFixed(2)} scalar operations per line (${basis}); this one has ${own.toFixed(2)}, ${ratio}the repo's`;
}

/** Object.entries(FEATURES), made once (the table never changes). */
let featureEntries: [string, FeatureSpec][] | null = null;

/** One reason per weighed feature (or per function / evidence record feeding it), each with its line. */
function weighReasons(profile: FileProfile, link: LinkFacts, features: Record<string, number>, contributions: Record<string, number>, table: WeightTable): Reason[] {
  const reasons: Reason[] = [];
  const fns = own(profile);
  const firstImport = profile.imports.find((i) => !i.inFunction)?.line ?? 1;
  const firstFunction = fns[0]?.line ?? 1;
  const lines = moduleCodeLines(profile);
  const add = (signal: string, value: number, line: number, message: string): void => {
    const c = contributions[signal];
    if (!c) return;
    reasons.push({ detector: 'classifier', signal, value: round2(value), line, message, weight: table.get(signal).weight, contribution: c });
  };
  featureEntries ??= Object.entries(FEATURES);
  for (const [feature, spec] of featureEntries) {
    const total = contributions[feature];
    if (!total) continue;
    const w = table.get(feature).weight;
    switch (feature) {
      case 'scalar_density':
        reasons.push(...perFunction(feature, total, w, fns, (f) => f.scalarOps ?? 0, (f, n) => `${n} scalar operations in ${f.codeLines ?? f.loc} lines of \`${f.name}\``));
        break;
      case 'bit_density':
        reasons.push(...perFunction(feature, total, w, fns, (f) => f.bitOps ?? 0, (f, n) => `${n} bit operations in \`${f.name}\``));
        break;
      case 'while_density':
        reasons.push(...perFunction(feature, total, w, fns, (f) => f.whileLoops ?? 0, (f, n) => `${n} while loop(s) in \`${f.name}\``));
        break;
      case 'builtin_method_density':
        reasons.push(...perFunction(feature, total, w, fns, (f) => f.loopCallMix?.builtinMethod ?? 0, (f, n) => `${n} str/bytes/list/dict method call(s) inside loops of \`${f.name}\`: work already done in C`));
        break;
      case 'io_share':
        reasons.push(...perFunction(feature, total, w, fns, (f) => (f.boundary?.doesIO ? 1 : 0), (f) => `\`${f.name}\` does I/O`));
        break;
      case 'code_size':
        add(feature, lines, firstFunction, `${lines} lines of function bodies`);
        break;
      case 'coupling':
        add(feature, features.coupling, firstImport, `imports ${link.fanOut} module(s) of this repo among ${topImports(profile)} top-level import statement(s)`);
        break;
      case 'class_density':
        add(feature, features.class_density, firstFunction, `${profile.metrics.classes} class(es) in ${moduleLines(profile)} lines of code`);
        break;
      case 'inherit_share': {
        const derived = profile.metrics.derivedClassLines ?? [];
        add(feature, features.inherit_share, derived[0] ?? firstFunction, `${derived.length} of its ${profile.metrics.classes} class(es) derive from another class`);
        break;
      }
      case 'fan_in_share':
        add(feature, features.fan_in_share, 1, `imported by ${link.fanIn} of the ${link.componentModules ?? 1} module(s) in its component`);
        break;
      case 'repo_scalar_density':
        add(feature, features.repo_scalar_density, firstFunction, repoNormMessage(features, link));
        break;
      default: {
        const fed = profile.evidence.filter((e) => spec.signals.includes(e.signal));
        const sum = fed.reduce((n, e) => n + e.value, 0) || 1;
        for (const e of fed) reasons.push({ ...e, weight: w, contribution: round2((total * e.value) / sum) });
      }
    }
  }
  return reasons;
}

/** The reasons behind the verdict first (negative contributions for keep-python), strongest first. */
function orderReasons(reasons: Reason[], rewrite: boolean): Reason[] {
  const against = (r: Reason): number => (r.contribution === 0 || r.contribution > 0 === rewrite ? 0 : 1);
  return reasons.sort((a, b) => against(a) - against(b) || Math.abs(b.contribution) - Math.abs(a.contribution) || a.line - b.line);
}

/**
 * 0.05–0.99. High when the logit is far from the threshold AND the weighed signals point the same
 * way AND, for a rewrite, there is enough code to judge; low when signals conflict or a flagged
 * module is tiny. A tiny module kept in Python is the safe call and is not marked down for its size:
 * on the dev corpus (LOPO) size marked the right keep-python verdicts down, not the wrong ones.
 */
export function confidenceOf(logit: number, contributions: Record<string, number>, lines: number, rewrite: boolean): number {
  const margin = Math.abs(logit - CANDIDATE_LOGIT);
  let agree = 0;
  let total = 0;
  for (const c of Object.values(contributions)) {
    total += Math.abs(c);
    if ((c > 0) === rewrite) agree += Math.abs(c);
  }
  const agreement = total > 0 ? agree / total : 0;
  const size = rewrite ? Math.min(1, 0.4 + (0.6 * lines) / (2.5 * THRESHOLDS.tinyModule)) : 1;
  const c = (0.3 + 0.65 * Math.tanh(margin / 2)) * (0.5 + 0.5 * agreement) * size;
  return round2(Math.max(0.05, Math.min(0.99, c)));
}

/** A function's summary and the scalar work it holds (the sort key that does not go into the report). */
interface RankedFunction {
  summary: FunctionSummary;
  ops: number;
}

function functionSummaries(profile: FileProfile, table: WeightTable): FunctionSummary[] {
  const ranked: RankedFunction[] = [];
  for (const fn of profile.functions) {
    if (fn.name === '<module>' && !(fn.loopOps > 0)) continue;
    const s = scoreOf(logitWith(functionFeatures(fn, profile), table, null));
    ranked.push({ summary: { name: fn.name, line: fn.line, endLine: fn.endLine, loc: fn.loc, score: s, signals: fn.signals, boundary: fn.boundary }, ops: fn.scalarOps ?? 0 });
  }
  // kernels first, the ones holding the most scalar work first: that is the order to extract them in
  ranked.sort((x, y) => {
    const a = x.summary;
    const b = y.summary;
    return Number(b.score >= THRESHOLDS.kernel) - Number(a.score >= THRESHOLDS.kernel) || y.ops - x.ops || b.score - a.score || a.line - b.line;
  });
  const out: FunctionSummary[] = new Array(ranked.length);
  for (let i = 0; i < ranked.length; i++) out[i] = ranked[i].summary;
  return out;
}

/** The functions to extract from a pyo3-extension module, in order: those above the kernel threshold, else the best one. */
export function kernelsOf(functions: FunctionSummary[]): FunctionSummary[] {
  const real = functions.filter((f) => f.name !== '<module>');
  const hot = real.filter((f) => f.score >= THRESHOLDS.kernel);
  return hot.length ? hot : real.slice(0, 1);
}

function describeBoundary(f: FunctionSummary): string {
  const b = f.boundary;
  if (!b) return '';
  const params = b.params.map((p) => (p.annotation ? `${p.name}: ${p.annotation}` : p.name)).join(', ');
  const flags = [b.callsBackIntoPython && 'calls back into Python', b.mutatesGlobals && 'mutates globals', b.doesIO && 'does I/O'].filter(Boolean);
  return `(${params})${b.returns ? ` -> ${b.returns}` : ''}${flags.length ? `; ${flags.join(', ')}` : b.easy ? '; clean boundary' : ''}`;
}

function kernelReason(functions: FunctionSummary[]): Reason {
  const kernels = kernelsOf(functions);
  const lines = kernels.reduce((n, f) => n + f.loc, 0);
  const list = kernels.slice(0, 5).map((f) => `${f.name} (lines ${f.line}–${f.endLine}, score ${f.score}) ${describeBoundary(f)}`).join('; ');
  const message = kernels.some((f) => f.score >= THRESHOLDS.kernel)
    ? `extract ${kernels.length} function(s) covering ${lines} lines: ${list}${kernels.length > 5 ? '; …' : ''}`
    // kernelsOf's fallback: name the best function, but do not pretend it is a kernel
    : `no function scores as a kernel on its own (${THRESHOLDS.kernel}+; the best: ${list}): the case rests on the module as a whole — port it whole, or keep it`;
  return {
    detector: 'classifier', signal: 'kernel-functions', value: kernels.length, line: kernels[0]?.line ?? 1, function: kernels[0]?.name,
    message, weight: 0, contribution: 0,
  };
}

function standaloneReason(profile: FileProfile, link: LinkFacts, features: Record<string, number>): Reason {
  const server = profile.evidence.find((e) => e.signal === 'socket-server');
  const parts: string[] = [];
  if (server) parts.push(`owns its server (line ${server.line})`);
  if (profile.mainGuardLine !== null) parts.push(`runs as a program (entry point, line ${profile.mainGuardLine})`);
  if (features.gil_threads > 0) parts.push('runs its own threads or processes');
  parts.push(link.fanIn === 0 ? 'no module of the repo imports it' : `only ${link.fanIn} module(s) of the repo import it`);
  parts.push(`it imports ${link.fanOut} module(s) of the repo`);
  return {
    detector: 'classifier', signal: 'standalone', value: link.fanIn, line: server?.line ?? profile.mainGuardLine ?? 1,
    message: `can stand alone as a Rust program: ${parts.join('; ')}`, weight: 0, contribution: 0,
  };
}

/**
 * The part of a module the classifier judges: all of it, but of a test suite (detectors/test-code.ts)
 * only its top-level code — its tests, their helpers and the evidence found in them are left out.
 * The suite still counts, whole, toward its repo's norm (relative.ts): tests are written in their
 * repo's idiom, and the dev corpus measured the norm better with them (README, "Test suites").
 */
function judgedPart(profile: FileProfile, suite: Evidence | undefined): FileProfile {
  if (!suite) return profile;
  return { ...profile, functions: profile.functions.filter((f) => f.name === '<module>'), evidence: profile.evidence.filter((e) => e.function === undefined) };
}

export function classifyModule(whole: FileProfile, link: LinkFacts, overrides: WeightOverrides = NO_OVERRIDES): Classification {
  const suite = testSuiteOf(whole.evidence);
  const profile = judgedPart(whole, suite);
  const table = weightTable(overrides);
  const features = moduleFeatures(profile, link);
  const { logit, contributions } = logitAndContributions(features, table);
  const service = serviceLogitOf(features);
  let score = scoreOf(logit);
  let verdict: PythonVerdict = 'keep-python';
  // a standalone program runs as one (an entry point); a class wrapping sockets inside a library does not
  if (service.logit >= THRESHOLDS.service && features.entry_point > 0 && (features.socket_server > 0 || score >= THRESHOLDS.candidate)) {
    verdict = 'move-to-rust';
    score = Math.max(score, scoreOf(logit + service.logit));
  } else if (score >= THRESHOLDS.candidate) verdict = 'pyo3-extension';
  const functions = functionSummaries(profile, table);
  const reasons = orderReasons(weighReasons(profile, link, features, contributions, table), verdict !== 'keep-python');
  if (verdict === 'pyo3-extension' && functions.some((f) => f.name !== '<module>')) reasons.unshift(kernelReason(functions));
  if (verdict === 'move-to-rust') reasons.unshift(standaloneReason(profile, link, features));
  if (suite) reasons.unshift({ ...suite, message: `${suite.message}; its functions are left out of the score`, weight: 0, contribution: 0 });
  return {
    verdict, score, confidence: confidenceOf(logit, contributions, moduleCodeLines(profile), verdict !== 'keep-python'), features, contributions,
    logit: round2(logit), serviceLogit: round2(service.logit), reasons, functions,
  };
}

