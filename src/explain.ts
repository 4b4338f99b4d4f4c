/**
 * `rustscout explain <file>[:function]`: the full trace of one verdict. It scans the repository the
 * file belongs to (fan-in, component size and native links need the whole repo), then lists every
 * feature with its value, weight and contribution, the evidence lines behind it, the service logit
 * for move-to-rust, the kernels to extract, and the smallest single-feature changes that would flip
 * the verdict.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CANDIDATE_LOGIT, baselineOf, kernelsOf, logitAt, logitOf, scoreOf, serviceLogitOf } from './classify/classifier.js';
import { functionFeatures } from './classify/features.js';
import { FEATURES, SERVICE_FEATURES, SERVICE_WHY, THRESHOLDS, TYPICAL } from './classify/weights.js';
import type { Evidence, FunctionSummary, ModuleReport, Reason, Report } from './model.js';
import { profilePython } from './profile.js';
import { readSource } from './read-source.js';
import { scan } from './pipeline.js';

export class ExplainError extends Error {}

export interface FeatureTrace {
  name: string;
  value: number;
  /** The feature's value in a typical dev-corpus module; the contribution is measured from it. */
  typical: number;
  weight: number;
  contribution: number;
  /** Fitted on the corpus or a hand-set prior. */
  fitted: boolean;
  why: string;
  /** The lines behind the value. */
  evidence: { line: number; function?: string; message: string }[];
}

export interface WhatIf {
  feature: string;
  from: number;
  to: number;
  /** The verdict the change would give. */
  verdict: string;
}

export interface Explanation {
  path: string;
  function?: string;
  verdict: string;
  score: number;
  confidence?: number;
  /** The logit of a typical module (bias + Σ weight × typical value); logit = bias + Σ contributions. */
  bias: number;
  logit: number;
  /** Logit at which the score reaches the candidate threshold. */
  threshold: number;
  features: FeatureTrace[];
  service: { logit: number; threshold: number; features: FeatureTrace[] };
  /** Every detector record in scope (the module, or the function). */
  evidence: Evidence[];
  /** The verdict-changing reasons that carry no weight (native-backed, kernel list, standalone). */
  notes: Reason[];
  kernels: FunctionSummary[];
  whatIf: WhatIf[];
}

/** `pkg/mod.py:func.inner` → file and function; a Windows drive colon is not a separator. */
export function parseTarget(target: string): { file: string; function?: string } {
  const m = /^(.*\.pyw?):([A-Za-z_][\w.]*)$/.exec(target);
  return m ? { file: m[1], function: m[2] } : { file: target };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Each score feature's weight, by name. */
const WEIGHTS: Record<string, number> = Object.fromEntries(Object.entries(FEATURES).map(([k, s]) => [k, s.weight]));
/** Logit at which a function's score reaches the kernel threshold. */
const KERNEL_LOGIT = logitAt(THRESHOLDS.kernel);

const FLAGS = new Set(['web_framework', 'socket_server', 'entry_point']);
const SHARES = new Set(['coupling', 'io_share', 'object_loop_share', 'inherit_share']);

/** The single-feature changes that move the logit across `target`, smallest relative change first. */
export function whatWouldChange(features: Record<string, number>, logit: number, target: number, weights: Record<string, number>, verdictIfCrossed: string): WhatIf[] {
  const out: (WhatIf & { cost: number })[] = [];
  const needed = target - logit;
  for (const [name, w] of Object.entries(weights)) {
    if (!w || name.startsWith('repo_')) continue; // a repo's norm is not something this module can change
    const from = features[name] ?? 0;
    let to: number;
    if (FLAGS.has(name)) {
      to = 1 - (from ? 1 : 0);
      const delta = (to - from) * w;
      if (Math.sign(delta) !== Math.sign(needed) || Math.abs(delta) < Math.abs(needed)) continue;
    } else {
      to = from + needed / w;
      to += Math.sign(to - from) * 0.01; // more than the rounding to 2 decimals below can take back
      if (to < 0 || (SHARES.has(name) && to > 1)) continue;
    }
    out.push({ feature: name, from: round2(from), to: round2(to), verdict: verdictIfCrossed, cost: Math.abs(to - from) / Math.max(Math.abs(from), 1) });
  }
  return out.sort((a, b) => a.cost - b.cost).map(({ cost: _cost, ...w }) => w);
}

function traceFeatures(features: Record<string, number>, weights: Record<string, number>, why: (name: string) => string, fitted: (name: string) => boolean, evidenceOf: (name: string) => FeatureTrace['evidence']): FeatureTrace[] {
  const names = [...new Set([...Object.keys(weights), ...Object.keys(features)])].filter((n) => n in weights);
  return names
    .map((name) => {
      const value = features[name] ?? 0;
      const weight = weights[name] ?? 0;
      const typical = TYPICAL[name] ?? 0;
      return { name, value: round2(value), typical, weight, contribution: round2((value - typical) * weight), fitted: fitted(name), why: why(name), evidence: value ? evidenceOf(name) : [] };
    })
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.name.localeCompare(b.name));
}

function evidenceFor(name: string, reasons: Reason[], evidence: Evidence[]): FeatureTrace['evidence'] {
  const fromReasons = reasons.filter((r) => r.signal === name && r.detector === 'classifier');
  if (fromReasons.length) return fromReasons.map((r) => ({ line: r.line, function: r.function, message: r.message }));
  const signals = FEATURES[name]?.signals ?? [];
  const extra: Record<string, string[]> = { entry_point: ['entry-point'], gil_threads: ['threads', 'thread-cpu-work', 'process-pool'], fan_in: [] };
  const wanted = [...signals, ...(extra[name] ?? [])];
  return evidence.filter((e) => wanted.includes(e.signal)).map((e) => ({ line: e.line, function: e.function, message: e.message }));
}

/** What marks the root of a project: where `rustscout scan` would be run. */
const PROJECT_MARKERS = ['.git', 'pyproject.toml', 'setup.py', 'setup.cfg', 'Cargo.toml', 'package.json'];

const isProject = (dir: string): boolean => PROJECT_MARKERS.some((m) => existsSync(join(dir, m)));

/** The nearest directory at or above `dir` that holds a project marker, or null. */
function projectRootOf(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if (isProject(d)) return d;
    if (dirname(d) === d) return null;
  }
}

const isWithin = (dir: string, path: string): boolean => {
  const rel = relative(dir, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * The scan root and the module's path in it. --root when given; else the current directory when it
 * is a project (.git, pyproject.toml, setup.py, setup.cfg, Cargo.toml, package.json) holding the
 * file — where `rustscout scan .` would run; else the file's nearest project, so the verdict is the
 * one a scan of that project gives, with its fan-in and norms (not that of the file's folder alone,
 * nor of a whole /tmp); else the current directory when it holds the file, else the file's folder.
 */
function locate(rootArg: string | undefined, file: string): { root: string; rel: string } {
  const cwd = process.cwd();
  const given = rootArg === undefined ? undefined : resolve(rootArg);
  const abs = isAbsolute(file) ? file : resolve(given ?? cwd, file);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new ExplainError(`cannot read ${file}: no such file${isAbsolute(file) ? '' : ` under ${given ?? cwd}`}`);
  let root: string;
  if (given) {
    if (!isWithin(given, abs)) throw new ExplainError(`${file} is not under --root ${given}`);
    root = given;
  } else {
    const underCwd = isWithin(cwd, abs);
    root = underCwd && isProject(cwd) ? cwd : projectRootOf(dirname(abs)) ?? (underCwd ? cwd : dirname(abs));
  }
  return { root, rel: relative(root, abs).split(sep).join('/') };
}

function moduleTrace(m: ModuleReport): Pick<Explanation, 'features' | 'service' | 'logit' | 'whatIf'> {
  const { logit } = logitOf(m.features);
  const service = serviceLogitOf(m.features);
  const features = traceFeatures(m.features, WEIGHTS, (n) => FEATURES[n].why, (n) => FEATURES[n].fitted, (n) => evidenceFor(n, m.reasons, m.evidence));
  const serviceFeatures = traceFeatures(m.features, SERVICE_FEATURES, (n) => SERVICE_WHY[n] ?? '', () => false, (n) => evidenceFor(n, m.reasons, m.evidence));
  const rewrite = logit >= CANDIDATE_LOGIT;
  let whatIf: WhatIf[];
  if (m.verdict === 'move-to-rust') {
    // below the service threshold it is judged as a library module again
    whatIf = whatWouldChange(m.features, service.logit, THRESHOLDS.service - 1e-6, SERVICE_FEATURES, rewrite ? 'pyo3-extension' : 'keep-python');
    // a non-candidate moves only because it runs a server: without one it stays
    if (!rewrite && m.features.socket_server > 0 && !whatIf.some((w) => w.feature === 'socket_server')) whatIf.unshift({ feature: 'socket_server', from: 1, to: 0, verdict: 'keep-python' });
    if (!whatIf.some((w) => w.feature === 'entry_point')) whatIf.push({ feature: 'entry_point', from: 1, to: 0, verdict: rewrite ? 'pyo3-extension' : 'keep-python' });
  } else {
    whatIf = whatWouldChange(m.features, logit, CANDIDATE_LOGIT, WEIGHTS, rewrite ? 'keep-python' : 'pyo3-extension');
    if (m.features.socket_server > 0 || rewrite) whatIf.push(...whatWouldChange(m.features, service.logit, THRESHOLDS.service, SERVICE_FEATURES, 'move-to-rust').slice(0, 2));
  }
  return { features, service: { logit: round2(service.logit), threshold: THRESHOLDS.service, features: serviceFeatures }, logit: round2(logit), whatIf };
}

export async function explain(target: string, options: { root?: string } = {}): Promise<Explanation> {
  const parsed = parseTarget(target);
  const { root, rel } = locate(options.root, parsed.file);
  if (!/\.pyw?$/.test(rel)) throw new ExplainError(`${parsed.file} is not a Python module (.py)`);
  const report: Report = await scan(root);
  const m = report.modules.find((x) => x.path === rel);
  if (!m) throw new ExplainError(`${rel} was not scanned under ${root} (excluded, ignored or unreadable)`);
  const bias = round2(baselineOf(m.features));
  const notes = m.reasons.filter((r) => r.contribution === 0 && r.weight === 0);
  if (!parsed.function) {
    const trace = moduleTrace(m);
    return {
      path: rel, verdict: m.verdict, score: m.score, confidence: m.confidence, bias, threshold: round2(CANDIDATE_LOGIT), evidence: m.evidence, notes,
      kernels: m.verdict === 'pyo3-extension' ? kernelsOf(m.functions) : [], ...trace,
    };
  }
  const fnSummary = m.functions.find((f) => f.name === parsed.function);
  const src = await readSource(resolve(root, rel));
  if ('error' in src) throw new ExplainError(`cannot read ${rel}: ${src.error}`);
  const profile = await profilePython(rel, src.text);
  const fn = profile.functions.find((f) => f.name === parsed.function);
  if (!fn) {
    const known = profile.functions.filter((f) => f.name !== '<module>').map((f) => f.name).slice(0, 12).join(', ');
    throw new ExplainError(`no function ${parsed.function} in ${rel}${known ? ` (functions: ${known})` : ''}`);
  }
  const features = functionFeatures(fn, profile);
  const { logit } = logitOf(features);
  const evidence = profile.evidence.filter((e) => e.function === fn.name);
  const fnReasons: Reason[] = [
    { detector: 'classifier', signal: 'scalar_density', value: fn.scalarOps, line: fn.line, function: fn.name, message: `${fn.scalarOps} scalar operations in ${fn.loc} lines`, weight: 0, contribution: 0 },
    { detector: 'classifier', signal: 'bit_density', value: fn.bitOps, line: fn.line, function: fn.name, message: `${fn.bitOps} bit operations`, weight: 0, contribution: 0 },
    { detector: 'classifier', signal: 'while_density', value: fn.whileLoops, line: fn.line, function: fn.name, message: `${fn.whileLoops} while loop(s)`, weight: 0, contribution: 0 },
    { detector: 'classifier', signal: 'io_share', value: 1, line: fn.line, function: fn.name, message: 'does I/O', weight: 0, contribution: 0 },
    { detector: 'classifier', signal: 'code_size', value: fn.loc, line: fn.line, function: fn.name, message: `${fn.loc} lines (${fn.line}–${fn.endLine})`, weight: 0, contribution: 0 },
  ];
  const trace = traceFeatures(features, WEIGHTS, (n) => FEATURES[n].why, (n) => FEATURES[n].fitted, (n) => evidenceFor(n, fnReasons, evidence));
  const score = fnSummary?.score ?? scoreOf(logit);
  const kernel = score >= THRESHOLDS.kernel;
  return {
    path: rel, function: fn.name, verdict: kernel ? 'kernel (extract)' : 'not a kernel', score, bias: round2(baselineOf(features)), logit: round2(logit),
    threshold: round2(KERNEL_LOGIT), features: trace,
    service: { logit: 0, threshold: THRESHOLDS.service, features: [] }, evidence, notes: [],
    kernels: fnSummary ? [fnSummary] : [],
    whatIf: whatWouldChange(features, logit, KERNEL_LOGIT, WEIGHTS, kernel ? 'not a kernel' : 'kernel (extract)'),
  };
}

const signed = (x: number): string => `${x > 0 ? '+' : ''}${x}`;

function boundaryLine(f: FunctionSummary): string {
  const b = f.boundary;
  if (!b) return '';
  const params = b.params.map((p) => (p.annotation ? `${p.name}: ${p.annotation}` : p.name)).join(', ');
  const flags = [b.callsBackIntoPython && 'calls back into Python', b.mutatesGlobals && 'mutates globals', b.doesIO && 'does I/O'].filter(Boolean).join(', ');
  return `(${params})${b.returns ? ` -> ${b.returns}` : ''}; hints ${Math.round(b.hintCoverage * 100)}%${flags ? `; ${flags}` : ''}${b.easy ? '; clean boundary' : ''}`;
}

export function renderExplanation(e: Explanation): string {
  const lines: string[] = [];
  const what = e.function ? `${e.path}:${e.function}` : e.path;
  lines.push(`${what} — ${e.verdict}, score ${e.score}${e.confidence !== undefined ? `, confidence ${e.confidence.toFixed(2)}` : ''}`);
  lines.push(`logit ${e.logit} = baseline ${e.bias} (a typical dev-corpus module: bias + Σ weight × typical value) + Σ weight × (value − typical); the threshold is logit ${e.threshold} (score ${e.function ? THRESHOLDS.kernel : THRESHOLDS.candidate})`);
  if (e.verdict === 'move-to-rust') lines.push(`move-to-rust: service logit ${e.service.logit} ≥ ${e.service.threshold}; score = max(100·sigmoid(logit), 100·sigmoid(logit + service logit))`);
  lines.push('');
  lines.push('FEATURE              VALUE  TYPICAL    WEIGHT   CONTRIB  (fitted|prior)  why / evidence');
  for (const f of e.features) {
    lines.push(`${f.name.padEnd(20)} ${String(f.value).padStart(7)} ${String(f.typical).padStart(8)} ${String(f.weight).padStart(8)} ${signed(f.contribution).padStart(9)}  ${f.fitted ? 'fitted' : 'prior '}  ${f.why}`);
    for (const ev of f.evidence.slice(0, 6)) lines.push(`${' '.repeat(22)}line ${ev.line}${ev.function ? ` (${ev.function})` : ''}: ${ev.message}`);
    if (f.evidence.length > 6) lines.push(`${' '.repeat(22)}… ${f.evidence.length - 6} more`);
  }
  if (e.service.features.some((f) => f.value)) {
    lines.push('');
    lines.push(`move-to-rust (standalone program) logit ${e.service.logit}, threshold ${e.service.threshold}:`);
    for (const f of e.service.features.filter((x) => x.value)) {
      lines.push(`  ${f.name.padEnd(18)} ${String(f.value).padStart(7)} ${String(f.weight).padStart(8)} ${signed(f.contribution).padStart(9)}  ${f.why}`);
      for (const ev of f.evidence.slice(0, 3)) lines.push(`      line ${ev.line}${ev.function ? ` (${ev.function})` : ''}: ${ev.message}`);
    }
  }
  for (const n of e.notes) lines.push(`note: ${n.signal} (line ${n.line}): ${n.message}`);
  if (e.kernels.length) {
    lines.push('');
    lines.push(e.function ? 'function:' : 'kernels to extract, ranked:');
    for (const k of e.kernels) lines.push(`  ${k.name}  lines ${k.line}–${k.endLine} (${k.loc})  score ${k.score}  ${boundaryLine(k)}`);
  }
  lines.push('');
  if (e.whatIf.length) {
    lines.push('what would change the verdict (one feature at a time, smallest change first):');
    for (const w of e.whatIf.slice(0, 5)) lines.push(`  ${w.feature}: ${w.from} → ${w.to} would make it ${w.verdict}`);
  } else lines.push('no single feature change within its range would change the verdict');
  const detectors = e.evidence.length;
  lines.push('');
  lines.push(`${detectors} detector record(s) in scope:`);
  for (const ev of e.evidence.slice(0, 40)) lines.push(`  line ${ev.line}${ev.function ? ` (${ev.function})` : ''}: [${ev.detector}/${ev.signal} ${ev.value}] ${ev.message}`);
  if (e.evidence.length > 40) lines.push(`  … ${e.evidence.length - 40} more (use --format json)`);
  return lines.join('\n') + '\n';
}
