/**
 * `npm run eval`: measures the classifier against what real maintainers decided.
 *
 * Fetches the dev corpus once (../shared/corpus/fetch.sh) into a cache folder, scans each corpus
 * root with the real CLI (`rustscout scan <root> --format json`), joins modules to the labels by
 * root + file, and prints, for "rewrite candidate" (pyo3-extension or move-to-rust):
 *   - ROC AUC of the module score, and of two naive rankings (lines of code, sum of cyclomatic
 *     complexity computed here from the source text);
 *   - precision and recall of the verdicts;
 *   - the leave-one-project-out (LOPO) figures: the fitted weights refitted without each project,
 *     that project scored by them with a threshold set on the other projects' out-of-project scores
 *     (nested LOPO), everything pooled;
 *   - per-project AUCs and the worst misses with their reasons.
 * With --fit it prints the refitted weights to bake into src/classify/weights.ts.
 *
 * This script is the ONLY place that reads the labels. It is a tool for developers, not a CI test.
 *
 * With --variants FILE it instead refits and measures model-form variants (README, "npm run eval").
 *
 *   npm run eval [-- --corpus DIR] [--labels FILE] [--out FILE] [--reuse] [--fit] [--misses N]
 *                [--variants FILE [--no-nested] [--show-weights] [--show-shifts]]
 *                [--try a,b] [--drop a,b] [--list N] [--l2 X]
 *   env: RUSTSCOUT_CORPUS=DIR (an already fetched corpus), RUSTSCOUT_LABELS=FILE
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, argValue, flag, fmtRate, precisionAtRecall, precisionRecall, rocAuc, scanToJson, table } from './metrics.js';
import type { ModuleReport, Report } from '../src/model.js';
import { BIAS, FEATURES, THRESHOLDS, TYPICAL } from '../src/classify/weights.js';
import { CANDIDATE_LOGIT, confidenceOf } from '../src/classify/classifier.js';
import { componentNormOf, median, RELATIVE_FEATURES, type ComponentNorm } from '../src/classify/relative.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED = resolve(REPO, '..', 'shared', 'corpus');
/** Benchmark-only packages (fetch.sh --with-large): not labelled, only slow the scan down. */
const LARGE_PACKAGES = ['django', 'sympy', 'pandas', 'sklearn'];
const REWRITE = new Set(['pyo3-extension', 'move-to-rust']);
/** L2 penalty on standardised coefficients, and the recall the verdict threshold is set for. */
const L2 = Number(process.argv.includes('--l2') ? process.argv[process.argv.indexOf('--l2') + 1] : 10);
const TARGET_RECALL = 0.6;

interface Label {
  package: string;
  root: string;
  file: string;
  label: 'native' | 'python';
  twin_kind?: string;
  lines: number;
}

interface Row {
  label: Label;
  /** Scan root + component: the modules its repo-relative features are measured against. */
  group: string;
  /** Upstream project: the two Debian packages of the standard library are one project, CPython. */
  project: string;
  positive: boolean;
  module: ModuleReport;
  complexity: number;
}

// ── arguments ─────────────────────────────────────────────────────────────────────────────────

const cacheDir = resolve(REPO, '.corpus-cache');
const corpusDir = resolve(argValue('--corpus') ?? process.env.RUSTSCOUT_CORPUS ?? join(cacheDir, 'corpus'));
const labelsFile = resolve(argValue('--labels') ?? process.env.RUSTSCOUT_LABELS ?? join(SHARED, 'labels-dev.json'));
const outFile = resolve(argValue('--out') ?? join(cacheDir, 'eval-results.json'));
const reportsDir = join(cacheDir, 'reports');
const missCount = Number(argValue('--misses') ?? 12);

// ── statistics ────────────────────────────────────────────────────────────────────────────────

// ── logistic regression (class-balanced, L2 on standardised coefficients, Newton steps) ─────────

interface Fit {
  weights: Record<string, number>;
  bias: number;
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / d;
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / (row[i] || 1e-12));
}

/**
 * Fits `names` (standardised internally) with `offset` (the fixed contribution of hand-set
 * features) and returns raw-unit weights and bias.
 */
export function fitLogistic(x: number[][], y: boolean[], offset: number[], names: string[], l2 = L2, sampleWeight?: number[]): Fit {
  const n = x.length;
  const d = names.length;
  const mean = names.map((_, j) => x.reduce((s, r) => s + r[j], 0) / n);
  const sd = names.map((_, j) => Math.sqrt(x.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / n) || 1);
  const z = x.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
  // sample weights rescaled to sum to n; class-balanced: the positives weigh as much in total as the negatives
  const raw = sampleWeight ?? y.map(() => 1);
  const sum = raw.reduce((s, v) => s + v, 0);
  const sw = raw.map((v) => (v * n) / sum);
  const pos = y.reduce((s, p, i) => s + (p ? sw[i] : 0), 0);
  const w = y.map((p, i) => sw[i] * (p ? (n - pos) / pos : 1));
  const beta = new Array<number>(d + 1).fill(0);
  for (let iter = 0; iter < 100; iter++) {
    const g = new Array<number>(d + 1).fill(0);
    const h = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      let eta = beta[d] + offset[i];
      for (let j = 0; j < d; j++) eta += beta[j] * z[i][j];
      const p = 1 / (1 + Math.exp(-eta));
      const r = w[i] * (p - (y[i] ? 1 : 0));
      const q = w[i] * p * (1 - p);
      for (let j = 0; j <= d; j++) {
        const zj = j === d ? 1 : z[i][j];
        g[j] += r * zj;
        for (let k = 0; k <= d; k++) h[j][k] += q * zj * (k === d ? 1 : z[i][k]);
      }
    }
    for (let j = 0; j < d; j++) {
      g[j] += l2 * beta[j];
      h[j][j] += l2;
    }
    const step = solve(h, g);
    let max = 0;
    for (let j = 0; j <= d; j++) {
      beta[j] -= step[j];
      max = Math.max(max, Math.abs(step[j]));
    }
    if (max < 1e-9) break;
  }
  const weights: Record<string, number> = {};
  let bias = beta[d];
  names.forEach((name, j) => {
    weights[name] = beta[j] / sd[j];
    bias -= (beta[j] * mean[j]) / sd[j];
  });
  return { weights, bias };
}

/**
 * Bias shift that puts the verdict threshold where recall first reaches TARGET_RECALL among
 * `logits` — pass out-of-project logits (crossValidatedLogits), not in-sample ones: in-sample
 * recall flatters, and a threshold set on it falls short on projects the fit never saw.
 */
function thresholdShift(logits: number[], y: boolean[]): number {
  const pos = logits.filter((_, i) => y[i]).sort((a, b) => b - a);
  const k = Math.max(0, Math.ceil(TARGET_RECALL * pos.length) - 1);
  const cut = pos[k] ?? 0;
  const candidate = Math.log(THRESHOLDS.candidate / (100 - THRESHOLDS.candidate));
  return candidate - cut + 1e-6;
}

/** Each of `rows` scored by `score` under a fit (`fitOn`) made without its project: leave one project out over `rows`. */
function leaveProjectOut(rows: number[], project: (i: number) => string, fitOn: (train: number[]) => Fit, score: (fit: Fit, i: number) => number): number[] {
  const out = new Array<number>(rows.length).fill(0);
  for (const p of new Set(rows.map(project))) {
    const fit = fitOn(rows.filter((i) => project(i) !== p));
    rows.forEach((i, k) => {
      if (project(i) === p) out[k] = score(fit, i);
    });
  }
  return out;
}

/** Each row scored by weights fitted without its project (leave one project out over `rows`). */
function crossValidatedLogits(rows: number[], project: (i: number) => string, x: number[][], y: boolean[], offset: number[]): number[] {
  const fitOn = (train: number[]): Fit => fitLogistic(train.map((i) => x[i]), train.map((i) => y[i]), train.map((i) => offset[i]), FITTED);
  return leaveProjectOut(rows, project, fitOn, (fit, i) => logitWith(fit, x[i], offset[i]));
}

// ── corpus, scan, join ────────────────────────────────────────────────────────────────────────

function ensureCorpus(labels: Label[]): void {
  const roots = [...new Set(labels.map((l) => l.root))];
  if (roots.every((r) => existsSync(join(corpusDir, r)))) return;
  console.log(`corpus not found at ${corpusDir}; fetching it (../shared/corpus/fetch.sh) …`);
  mkdirSync(corpusDir, { recursive: true });
  const res = spawnSync('bash', [join(SHARED, 'fetch.sh'), corpusDir], { stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`fetch.sh failed with exit code ${res.status}`);
}

function scanRoot(root: string): Report {
  const safe = root.replace(/[^A-Za-z0-9]+/g, '_');
  const out = join(reportsDir, `${safe}.json`);
  if (flag('--reuse') && existsSync(out)) return JSON.parse(readFileSync(out, 'utf8')) as Report;
  mkdirSync(reportsDir, { recursive: true });
  return scanToJson(join(corpusDir, root), out, root, LARGE_PACKAGES.flatMap((p) => ['--exclude', `${p}/**`]));
}

/** Naive baseline: McCabe's count from the source text (1 per def + branch keywords and boolean operators). */
export function textComplexity(source: string): number {
  let n = 0;
  for (const raw of source.split('\n')) {
    const line = raw.replace(/#.*$/, '').replace(/(['"]).*?\1/g, '""');
    if (/^\s*(async\s+)?def\s/.test(line)) n++;
    n += (line.match(/\b(if|elif|for|while|except|and|or|case)\b/g) ?? []).length;
  }
  return n;
}

const projectOf = (l: Label): string => (l.package.startsWith('libpython3') ? 'cpython (stdlib)' : l.package.replace(/^python3-/, ''));

// ── model features from the report ────────────────────────────────────────────────────────────

/**
 * Experiments: `--try a,b` fits extra candidate features (any name in the report's `features`),
 * `--drop a,b` leaves fitted or prior features out; the baked weights are untouched.
 */
const listArg = (name: string): string[] => (argValue(name) ?? '').split(',').filter(Boolean);
const DROPPED = new Set(listArg('--drop'));
const FITTED = [...Object.entries(FEATURES).filter(([, s]) => s.fitted).map(([k]) => k), ...listArg('--try')].filter((k) => !DROPPED.has(k));
/** Hand-set priors held fixed (a prior named in --try is fitted instead). */
const FIXED = Object.entries(FEATURES).filter(([, s]) => !s.fitted).map(([k]) => k).filter((k) => !DROPPED.has(k) && !FITTED.includes(k));

/**
 * Repo norms are fitted in the relative basis — the column is feature − norm (how far the module
 * stands from its repo's typical module), so the L2 penalty shrinks toward judging a module against
 * its own repo — and baked back in the product's basis (a weight on the feature, one on the norm).
 */
const RELATIVE_BASIS: Record<string, string> = Object.fromEntries(RELATIVE_FEATURES.map((f) => [`repo_${f}`, f]));

/** A fitted feature's design column: the feature, or for a repo norm the module's distance from it. */
const column = (f: Record<string, number>, name: string): number => (name in RELATIVE_BASIS ? (f[RELATIVE_BASIS[name]] ?? 0) - (f[name] ?? 0) : f[name] ?? 0);

/** Weights fitted in the relative basis, in the product's: w(feature) += w(column), w(norm) = −w(column). */
function baked(weights: Record<string, number>): Record<string, number> {
  const out = { ...weights };
  for (const [norm, feature] of Object.entries(RELATIVE_BASIS)) {
    if (!(norm in weights)) continue;
    out[feature] = (out[feature] ?? 0) + weights[norm];
    out[norm] = -weights[norm];
  }
  return out;
}

/** The logit the product computes: bias + Σ weight × feature over every weighed feature. */
const bakedLogit = (f: Record<string, number>): number => Object.entries(FEATURES).reduce((s, [name, spec]) => s + spec.weight * (f[name] ?? 0), BIAS);

function design(rows: Row[]): { x: number[][]; offset: number[] } {
  const x = rows.map((r) => FITTED.map((f) => column(r.module.features, f)));
  const offset = rows.map((r) => FIXED.reduce((s, f) => s + FEATURES[f].weight * (r.module.features[f] ?? 0), 0));
  return { x, offset };
}

const logitWith = (fit: Fit, x: number[], offset: number): number => fit.bias + offset + FITTED.reduce((s, f, j) => s + fit.weights[f] * x[j], 0);

// ── model-form experiments (--variants): each variant refitted and judged by LOPO ──────────────

/** Features a variant may use beyond the report's: repo-relative, percentile, shrunk, interactions. */
function deriveFeatures(rows: Row[], groups: Map<string, Record<string, number>[]>, k: number): Record<string, number>[] {
  const rel = ['code_size', 'scalar_density', 'coupling', 'class_density', 'fan_in_share', 'python_loop_call_density', 'builtin_method_density', 'object_loop_share', 'while_density', 'bit_density', 'io_share'];
  const norms = new Map<string, ComponentNorm>();
  for (const [g, members] of groups) norms.set(g, componentNormOf(members, rel, TYPICAL, k));
  const sorted = new Map<string, Record<string, number[]>>();
  for (const [g, members] of groups) sorted.set(g, Object.fromEntries(rel.map((f) => [f, members.map((m) => m[f] ?? 0).sort((a, b) => a - b)])));
  const opsOf = (f: Record<string, number>): number => (f.scalar_density ?? 0) * Math.max(2 ** (f.code_size ?? 0) - 1, 20);
  const groupOps = new Map<string, number>();
  for (const [g, members] of groups) groupOps.set(g, members.reduce((s, m) => s + opsOf(m), 0));
  return rows.map((r) => {
    const f = r.module.features;
    const lines = 2 ** (f.code_size ?? 0) - 1;
    const ops = opsOf(f);
    const norm = norms.get(r.group)!.norm;
    const out: Record<string, number> = { ...f, ...Object.fromEntries(rel.map((name) => [`${name}_vs_repo`, (f[name] ?? 0) - norm[name]])) };
    const members = groups.get(r.group)!.length;
    for (const name of rel) {
      const s = sorted.get(r.group)![name];
      const v = f[name] ?? 0;
      let below = 0;
      let equal = 0;
      for (const x of s) {
        if (x < v) below++;
        else if (x === v) equal++;
      }
      const pct = (below + equal / 2) / s.length;
      out[`${name}_pct`] = (members * pct + k * 0.5) / (members + k) - 0.5;
      out[`${name}_med`] = norm[name];
    }
    out.scalar_work = Math.log2(1 + ops);
    out.scalar_shrunk = (ops + 30 * TYPICAL.scalar_density) / (lines + 30);
    out.size_x_scalar = (f.code_size ?? 0) * (f.scalar_density ?? 0);
    out.size_x_values = (f.code_size ?? 0) * (1 - (f.object_loop_share ?? 0));
    out.size_x_while = (f.code_size ?? 0) * Math.min(1, (f.while_density ?? 0));
    out.group_size = Math.log2(members);
    out.scalar_ratio = Math.log2(((f.scalar_density ?? 0) + 0.05) / (norm.scalar_density + 0.05));
    out.scalar_share = Math.log2(1 + (100 * ops) / Math.max(groupOps.get(r.group)!, ops, 1));
    out.scalar_share_k = Math.log2(1 + (100 * ops) / (groupOps.get(r.group)! + k * 20));
    const fns = r.module.functions.filter((fn) => fn.name !== '<module>');
    const logitOfScore = (sc: number): number => Math.log(Math.max(0.5, Math.min(99.5, sc)) / (100 - Math.max(0.5, Math.min(99.5, sc))));
    out.kernel_lines37 = Math.log2(1 + fns.filter((fn) => fn.score >= 37).reduce((n, fn) => n + fn.loc, 0));
    out.kernel_lines50 = Math.log2(1 + fns.filter((fn) => fn.score >= 50).reduce((n, fn) => n + fn.loc, 0));
    out.kernel_lines25 = Math.log2(1 + fns.filter((fn) => fn.score >= 25).reduce((n, fn) => n + fn.loc, 0));
    out.best_fn = fns.length ? Math.max(...fns.map((fn) => logitOfScore(fn.score))) : logitOfScore(0);
    out.kernel_share = lines > 0 ? fns.filter((fn) => fn.score >= 37).reduce((n, fn) => n + fn.loc, 0) / Math.max(lines, 20) : 0;
    out.callbacks_in_loop = Math.log2(1 + fns.reduce((n, fn) => n + (fn.boundary?.callbacksInLoop ?? 0), 0));
    out.hint_coverage = fns.length ? fns.reduce((n, fn) => n + (fn.boundary?.hintCoverage ?? 0), 0) / fns.length : 0;
    return out;
  });
}

interface VariantResult {
  wholeAuc: number; wholeP: number; lopoAuc: number; lopoP: number; lopoAP: number; lopoPrec: number; lopoRec: number; lopoFlagged: number; meanProjectAuc: number; bigPooledAuc: number; weights: Record<string, number>; bias: number;
}

interface Adjust {
  /** Subtract λ × (the component's blended median logit − the typical module's logit). */
  center: number;
  /** Add β × (the module's blended percentile of logit within its component − 0.5). */
  pct: number;
  k: number;
  /** Each module's weight in the fit ∝ (modules of its project)^−projectWeight: 0 every module alike, 1 every project alike. */
  projectWeight?: number;
}

function evaluateVariant(rows: Row[], y: boolean[], data: Record<string, number>[], names: string[], l2 = L2, groups?: Map<string, Record<string, number>[]>, adjust?: Adjust, fixed: string[] = FIXED): VariantResult {
  const held = fixed.filter((f) => !names.includes(f));
  const x = data.map((d) => names.map((n) => column(d, n)));
  const offset = data.map((d) => held.reduce((s, f) => s + FEATURES[f].weight * (d[f] ?? 0), 0));
  const raw = (fit: Fit, d: Record<string, number>): number => fit.bias + held.reduce((s, f) => s + FEATURES[f].weight * (d[f] ?? 0), 0) + names.reduce((s, n) => s + fit.weights[n] * column(d, n), 0);
  const adjusted = new Map<Fit, Map<string, number[]>>();
  const memberLogits = (fit: Fit, g: string): number[] => {
    if (!adjusted.has(fit)) adjusted.set(fit, new Map());
    const m = adjusted.get(fit)!;
    if (!m.has(g)) m.set(g, groups!.get(g)!.map((d) => raw(fit, d)).sort((a, b) => a - b));
    return m.get(g)!;
  };
  const lin = (fit: Fit, i: number): number => {
    const l = fit.bias + offset[i] + names.reduce((s, n, j) => s + fit.weights[n] * x[i][j], 0);
    if (!adjust || !groups || (!adjust.center && !adjust.pct)) return l;
    const members = memberLogits(fit, rows[i].group);
    const n = members.length;
    const typical = raw(fit, TYPICAL);
    let out = l;
    if (adjust.center) out -= adjust.center * ((n * median(members) + adjust.k * typical) / (n + adjust.k) - typical);
    if (adjust.pct) {
      let below = 0;
      let equal = 0;
      for (const v of members) {
        if (v < l - 1e-9) below++;
        else if (Math.abs(v - l) <= 1e-9) equal++;
      }
      const pct = (below + equal / 2) / n;
      out += adjust.pct * ((n * pct + adjust.k * 0.5) / (n + adjust.k) - 0.5);
    }
    return out;
  };
  const pw = adjust?.projectWeight ?? 0;
  const projectSize = new Map<string, number>();
  for (const r of rows) projectSize.set(r.project, (projectSize.get(r.project) ?? 0) + 1);
  const sampleWeight = rows.map((r) => projectSize.get(r.project)! ** -pw);
  const projectSizeOf = (p: string): number => projectSize.get(p)!;
  const whole = fitLogistic(x, y, offset, names, l2, sampleWeight);
  const wholeLogit = rows.map((_, i) => lin(whole, i));
  const all = rows.map((_, i) => i);
  const project = (i: number): string => rows[i].project;
  const fitOn = (train: number[]): Fit => fitLogistic(train.map((i) => x[i]), train.map((i) => y[i]), train.map((i) => offset[i]), names, l2, train.map((i) => sampleWeight[i]));
  const cv = (idx: number[]): number[] => leaveProjectOut(idx, project, fitOn, lin);
  const lopo = cv(all);
  const flagged = new Array<boolean>(rows.length).fill(false);
  if (!flag('--no-nested')) {
    for (const p of new Set(all.map(project))) {
      const train = all.filter((i) => project(i) !== p);
      const shift = thresholdShift(cv(train), train.map((i) => y[i]));
      if (flag('--show-shifts')) console.log(`   fold ${p}: shift ${shift.toFixed(2)}`);
      for (const i of all) if (project(i) === p) flagged[i] = lopo[i] + shift >= CANDIDATE_LOGIT;
    }
  }
  const pr = precisionRecall(flagged, y);
  const aucs: number[] = [];
  for (const p of new Set(all.map(project))) {
    const idx = all.filter((i) => project(i) === p);
    if (idx.length < 5) continue;
    const a = rocAuc(idx.map((i) => lopo[i]), idx.map((i) => y[i]));
    if (!Number.isNaN(a)) aucs.push(a);
  }
  return {
    wholeAuc: rocAuc(wholeLogit, y), wholeP: precisionAtRecall(wholeLogit, y, 0.6), lopoAuc: rocAuc(lopo, y), lopoP: precisionAtRecall(lopo, y, 0.6), lopoAP: [0.5, 0.55, 0.6, 0.65, 0.7].reduce((s, r) => s + precisionAtRecall(lopo, y, r), 0) / 5,
    lopoPrec: pr.precision, lopoRec: pr.recall, lopoFlagged: pr.flagged, meanProjectAuc: aucs.reduce((s, a) => s + a, 0) / aucs.length,
    bigPooledAuc: (() => { const big = all.filter((i) => projectSizeOf(rows[i].project) >= 40); return rocAuc(big.map((i) => lopo[i]), big.map((i) => y[i])); })(),
    weights: whole.weights, bias: whole.bias,
  };
}

function runVariants(rows: Row[], y: boolean[], groups: Map<string, Record<string, number>[]>): void {
  const spec = readFileSync(argValue('--variants')!, 'utf8');
  const variants = spec.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const cache = new Map<number, Record<string, number>[]>();
  const out: string[][] = [['variant', 'AUC', 'P@R60', 'LOPO AUC', 'LOPO P@R60', 'P@R.5-.7', 'LOPO P / R (n)', 'proj AUC', 'big pooled']];
  for (const line of variants) {
    // "name: k=<prior modules> l2=<l2> feature feature …" (`+` prefix: add to the baked fitted set, `-`: drop it, fitted or prior; a prior named with `+` is fitted instead of held)
    const [name, rest] = line.split(':').map((s) => s.trim());
    const tokens = rest.split(/\s+/);
    let k = 10;
    let l2 = L2;
    let center = 0;
    let pct = 0;
    let pw = 0;
    let names = [...FITTED];
    let fixed = [...FIXED];
    for (const t of tokens) {
      if (t.startsWith('k=')) k = Number(t.slice(2));
      else if (t.startsWith('l2=')) l2 = Number(t.slice(3));
      else if (t.startsWith('center=')) center = Number(t.slice(7));
      else if (t.startsWith('pct=')) pct = Number(t.slice(4));
      else if (t.startsWith('pw=')) pw = Number(t.slice(3));
      else if (t === '=') names = [];
      else if (t.startsWith('-')) {
        // `-f` drops a fitted feature, or a prior from the held set
        names = names.filter((n) => n !== t.slice(1));
        fixed = fixed.filter((n) => n !== t.slice(1));
      }
      else names.push(t.replace(/^\+/, ''));
    }
    if (!cache.has(k)) cache.set(k, deriveFeatures(rows, groups, k));
    // `f^c`: min(f, c); `f~S`: a density shrunk toward the typical module's over S pseudo-lines
    for (const n of names) {
      const cap = /^(\w+)\^([\d.]+)$/.exec(n);
      const shr = /^(\w+)~([\d.]+)$/.exec(n);
      const cen = /^(\w+)@([\d.]+)$/.exec(n);
      for (const d of cache.get(k)!) {
        if (cen) d[n] = (d[cen[1]] ?? 0) - Number(cen[2]) * ((d[`${cen[1]}_med`] ?? 0) - (TYPICAL[cen[1]] ?? 0));
        if (cap) d[n] = Math.min(d[cap[1]] ?? 0, Number(cap[2]));
        if (shr) {
          const lines = 2 ** (d.code_size ?? 0) - 1;
          const den = Math.max(lines, 20);
          d[n] = ((d[shr[1]] ?? 0) * den + Number(shr[2]) * (TYPICAL[shr[1]] ?? 0)) / (den + Number(shr[2]));
        }
      }
    }
    const r = evaluateVariant(rows, y, cache.get(k)!, names, l2, groups, { center, pct, k, projectWeight: pw }, fixed);
    out.push([name, fmtRate(r.wholeAuc), fmtRate(r.wholeP), fmtRate(r.lopoAuc), fmtRate(r.lopoP), fmtRate(r.lopoAP), `${fmtRate(r.lopoPrec)} / ${fmtRate(r.lopoRec)} (${r.lopoFlagged})`, fmtRate(r.meanProjectAuc), fmtRate(r.bigPooledAuc)]);
    console.log(out[out.length - 1].join('  '));
    if (flag('--show-weights')) console.log('   ' + names.map((n) => `${n} ${baked(r.weights)[n].toFixed(3)}`).join(', ') + `, bias ${r.bias.toFixed(3)}`);
  }
  console.log('\n' + table(out));
}

// ── report ────────────────────────────────────────────────────────────────────────────────────

function missLine(r: Row): string {
  const why = r.module.reasons.filter((x) => x.contribution !== 0).slice(0, 3).map((x) => `${x.signal}${x.function ? `@${x.function}` : ''} ${x.contribution > 0 ? '+' : ''}${x.contribution}`).join(', ');
  return `  ${String(r.module.score).padStart(3)}  ${r.project}: ${r.label.file} (${r.module.loc} loc${r.label.twin_kind ? `, ${r.label.twin_kind}` : ''}) — ${why || 'no weighed signal'}`;
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} not built: run npm run build`);
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as Label[];
  ensureCorpus(labels);

  const rows: Row[] = [];
  const missing: Label[] = [];
  const groups = new Map<string, Record<string, number>[]>();
  for (const root of [...new Set(labels.map((l) => l.root))]) {
    const report = scanRoot(root);
    const byPath = new Map(report.modules.map((m) => [m.path, m]));
    for (const m of report.modules) {
      if (m.language !== 'python') continue;
      const g = `${root}|${m.component ?? ''}`;
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push(m.features);
    }
    for (const label of labels.filter((l) => l.root === root)) {
      const module = byPath.get(label.file);
      if (!module) {
        missing.push(label);
        continue;
      }
      const source = readFileSync(join(corpusDir, root, label.file), 'utf8');
      rows.push({ label, group: `${root}|${module.component ?? ''}`, project: projectOf(label), positive: label.label === 'native', module, complexity: textComplexity(source) });
    }
  }
  const y = rows.map((r) => r.positive);
  if (flag('--variants')) {
    runVariants(rows, y, groups);
    return;
  }
  const score = rows.map((r) => r.module.score);
  const { x, offset } = design(rows);
  const logit = rows.map((r) => bakedLogit(r.module.features));
  const verdicts = rows.map((r) => REWRITE.has(r.module.verdict));

  // Leave one project out: refit without the project, score it, set its threshold from the others.
  const projects = [...new Set(rows.map((r) => r.project))].sort();
  const lopoLogit = new Array<number>(rows.length).fill(0);
  const lopoFlag = new Array<boolean>(rows.length).fill(false);
  const lopoShift = new Array<number>(rows.length).fill(0);
  const lopoConfidence = new Array<number>(rows.length).fill(0);
  for (const p of projects) {
    const train = rows.map((r, i) => i).filter((i) => rows[i].project !== p);
    const test = rows.map((r, i) => i).filter((i) => rows[i].project === p);
    const fit = fitLogistic(train.map((i) => x[i]), train.map((i) => y[i]), train.map((i) => offset[i]), FITTED);
    // the threshold comes from the training projects alone, each scored without itself (nested LOPO)
    const inner = crossValidatedLogits(train, (i) => rows[i].project, x, y, offset);
    const shift = thresholdShift(inner, train.map((i) => y[i]));
    const candidate = Math.log(THRESHOLDS.candidate / (100 - THRESHOLDS.candidate));
    const weights = { ...Object.fromEntries(FIXED.map((f) => [f, FEATURES[f].weight])), ...baked(fit.weights) };
    for (const i of test) {
      lopoLogit[i] = logitWith(fit, x[i], offset[i]) + shift;
      lopoShift[i] = shift;
      lopoFlag[i] = lopoLogit[i] >= candidate;
      // the product's confidence, from this fold's weights and threshold
      const f = rows[i].module.features;
      const contributions = Object.fromEntries(Object.entries(weights).map(([n, w]) => [n, w * ((f[n] ?? 0) - (TYPICAL[n] ?? 0))]).filter(([, c]) => c !== 0));
      lopoConfidence[i] = confidenceOf(lopoLogit[i], contributions, 2 ** (f.code_size ?? 0) - 1, lopoFlag[i]);
    }
  }
  // does confidence mean something? verdicts right more often where it is high
  const right = rows.map((_, i) => lopoFlag[i] === y[i]);
  const bins = [[0, 0.4], [0.4, 0.6], [0.6, 1.01]] as const;
  const calibration = (['rewrite', 'keep-python'] as const).flatMap((kind) => bins.map(([lo, hi]) => {
    const idx = rows.map((_, i) => i).filter((i) => lopoFlag[i] === (kind === 'rewrite') && lopoConfidence[i] >= lo && lopoConfidence[i] < hi);
    return { verdict: kind, confidence: `${lo}–${Math.min(hi, 1)}`, modules: idx.length, right: idx.length ? idx.filter((i) => right[i]).length / idx.length : NaN };
  }));

  const verdictPR = precisionRecall(verdicts, y);
  const lopoPR = precisionRecall(lopoFlag, y);
  const figures = {
    modules: rows.length,
    positives: y.filter(Boolean).length,
    notScanned: missing.map((m) => `${m.root}/${m.file}`),
    auc: { score: rocAuc(score, y), logit: rocAuc(logit, y), lopo: rocAuc(lopoLogit, y), lopoUnshifted: rocAuc(lopoLogit.map((l, i) => l - lopoShift[i]), y), linesOfCode: rocAuc(rows.map((r) => r.module.loc), y), cyclomatic: rocAuc(rows.map((r) => r.complexity), y) },
    verdicts: verdictPR,
    lopoVerdicts: lopoPR,
    lopoConfidence: { aucForRightVerdicts: rocAuc(lopoConfidence, right), calibration },
    precisionAtRecall60: { score: precisionAtRecall(logit, y, 0.6), lopo: precisionAtRecall(lopoLogit, y, 0.6), linesOfCode: precisionAtRecall(rows.map((r) => r.module.loc), y, 0.6) },
    perProject: projects.map((p) => {
      const idx = rows.map((r, i) => i).filter((i) => rows[i].project === p);
      return {
        project: p, modules: idx.length, positives: idx.filter((i) => y[i]).length,
        auc: rocAuc(idx.map((i) => logit[i]), idx.map((i) => y[i])),
        lopoAuc: rocAuc(idx.map((i) => lopoLogit[i]), idx.map((i) => y[i])),
        flagged: idx.filter((i) => verdicts[i]).length, hits: idx.filter((i) => verdicts[i] && y[i]).length,
      };
    }),
  };

  console.log(`\nrustscout eval — ${rows.length} labelled modules (${figures.positives} with a native twin) in ${projects.length} projects${missing.length ? `; ${missing.length} labelled file(s) not scanned (excluded by default globs)` : ''}\n`);
  console.log(table([
    ['ranking', 'ROC AUC', 'P@R≥0.60'],
    ['rustscout score (baked weights, whole corpus)', fmtRate(figures.auc.logit), fmtRate(figures.precisionAtRecall60.score)],
    ['rustscout, leave-one-project-out', fmtRate(figures.auc.lopo), fmtRate(figures.precisionAtRecall60.lopo)],
    ['naive: lines of code', fmtRate(figures.auc.linesOfCode), fmtRate(figures.precisionAtRecall60.linesOfCode)],
    ['naive: sum of cyclomatic complexity', fmtRate(figures.auc.cyclomatic), fmtRate(precisionAtRecall(rows.map((r) => r.complexity), y, 0.6))],
  ]));
  console.log(`\nverdicts (pyo3-extension | move-to-rust): precision ${fmtRate(verdictPR.precision)}, recall ${fmtRate(verdictPR.recall)}, ${verdictPR.flagged} flagged`);
  console.log(`verdicts, leave-one-project-out:          precision ${fmtRate(lopoPR.precision)}, recall ${fmtRate(lopoPR.recall)}, ${lopoPR.flagged} flagged`);
  console.log(`LOPO precision at recall 0.40 / 0.50 / 0.60 / 0.70 / 0.80: ${[0.4, 0.5, 0.6, 0.7, 0.8].map((r) => fmtRate(precisionAtRecall(lopoLogit, y, r))).join(' / ')}`);
  console.log(`(score AUC on the rounded 0–100 score: ${fmtRate(figures.auc.score)}; LOPO AUC before each fold's threshold shift: ${fmtRate(figures.auc.lopoUnshifted)})\n`);
  console.log(`LOPO confidence: ROC AUC ${fmtRate(figures.lopoConfidence.aucForRightVerdicts)} for telling right verdicts from wrong; share right by confidence:`);
  console.log(table([['verdict', 'confidence', 'modules', 'right'], ...calibration.map((c) => [c.verdict, c.confidence, String(c.modules), fmtRate(c.right)])]) + '\n');
  console.log(table([
    ['project', 'modules', 'native', 'AUC', 'LOPO AUC', 'flagged', 'hits'],
    ...figures.perProject.map((p) => [p.project, String(p.modules), String(p.positives), fmtRate(p.auc), fmtRate(p.lopoAuc), String(p.flagged), String(p.hits)]),
  ]));

  const order = rows.map((_, i) => i).sort((a, b) => logit[b] - logit[a]);
  const worstNeg = order.filter((i) => !y[i]).slice(0, missCount).map((i) => rows[i]);
  const worstPos = order.filter((i) => y[i]).reverse().slice(0, missCount).map((i) => rows[i]);
  console.log('\nworst misses — top-scored modules the maintainers kept in Python:');
  for (const r of worstNeg) console.log(missLine(r));
  console.log('\nworst misses — lowest-scored modules the maintainers made native:');
  for (const r of worstPos) console.log(missLine(r));

  const listed = Number(argValue('--list') ?? 0);
  if (listed > 0) {
    // the LOPO ranking's top, positives marked: what sits above the natives near the threshold
    console.log(`\ntop ${listed} by leave-one-project-out logit (* = native twin):`);
    const lopoOrder = rows.map((_, i) => i).sort((a, b) => lopoLogit[b] - lopoLogit[a]).slice(0, listed);
    for (const i of lopoOrder) {
      const f = rows[i].module.features;
      const show = [...FITTED, ...FIXED].filter((k) => f[k]).map((k) => `${k.replace(/_(density|share)$/, '')}=${Number(f[k].toFixed(2))}`).join(' ');
      console.log(`${y[i] ? '*' : ' '} ${lopoLogit[i].toFixed(2).padStart(6)}  ${rows[i].project}: ${rows[i].label.file} — ${show}`);
    }
  }

  let fitted: (Fit & { shift: number }) | undefined;
  if (flag('--fit')) {
    const fit = fitLogistic(x, y, offset, FITTED);
    // set where the out-of-project scores reach the target recall, as each LOPO fold set its own
    const shift = thresholdShift(lopoLogit.map((l, i) => l - lopoShift[i]), y);
    fitted = { ...fit, shift };
    console.log('\nrefitted on the whole corpus (bake into src/classify/weights.ts):');
    const product = baked(fit.weights);
    for (const f of FITTED) console.log(`  ${f.padEnd(24)} ${product[f].toFixed(3)}   (now ${FEATURES[f]?.weight ?? 'not baked'})${f in RELATIVE_BASIS ? `   fitted as ${f.replace(/^repo_/, '')} − norm: ${fit.weights[f].toFixed(3)}` : ''}`);
    console.log(`  ${'bias'.padEnd(24)} ${(fit.bias + shift).toFixed(3)}   (now ${BIAS}; fitted ${fit.bias.toFixed(3)} + threshold shift ${shift.toFixed(3)} for LOPO recall ≥ ${TARGET_RECALL})`);
  }

  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify({
    ...figures,
    weights: { bias: BIAS, ...Object.fromEntries(Object.entries(FEATURES).map(([k, s]) => [k, s.weight])) },
    refit: fitted,
    worstMisses: {
      keptButScored: worstNeg.map((r) => ({ file: `${r.label.root}/${r.label.file}`, score: r.module.score, reasons: r.module.reasons.slice(0, 5) })),
      nativeButMissed: worstPos.map((r) => ({ file: `${r.label.root}/${r.label.file}`, twinKind: r.label.twin_kind, score: r.module.score, reasons: r.module.reasons.slice(0, 5) })),
    },
  }, null, 2));
  console.log(`\nresults written to ${outFile}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`eval: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
