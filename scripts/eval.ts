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
 *   npm run eval [-- --corpus DIR] [--labels FILE] [--out FILE] [--reuse] [--fit] [--misses N]
 *   env: RUSTSCOUT_CORPUS=DIR (an already fetched corpus), RUSTSCOUT_LABELS=FILE
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, argValue, flag, fmtRate, precisionAtRecall, precisionRecall, rocAuc, scanToJson, table } from './metrics.js';
import type { ModuleReport, Report } from '../src/model.js';
import { BIAS, FEATURES, THRESHOLDS } from '../src/classify/weights.js';

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
export function fitLogistic(x: number[][], y: boolean[], offset: number[], names: string[], l2 = L2): Fit {
  const n = x.length;
  const d = names.length;
  const mean = names.map((_, j) => x.reduce((s, r) => s + r[j], 0) / n);
  const sd = names.map((_, j) => Math.sqrt(x.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / n) || 1);
  const z = x.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
  const pos = y.filter(Boolean).length;
  const w = y.map((p) => (p ? (n - pos) / pos : 1));
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

/** Each row scored by weights fitted without its project (leave one project out over `rows`). */
function crossValidatedLogits(rows: number[], project: (i: number) => string, x: number[][], y: boolean[], offset: number[]): number[] {
  const out = new Array<number>(rows.length).fill(0);
  for (const p of new Set(rows.map(project))) {
    const train = rows.filter((i) => project(i) !== p);
    const fit = fitLogistic(train.map((i) => x[i]), train.map((i) => y[i]), train.map((i) => offset[i]), FITTED);
    rows.forEach((i, k) => {
      if (project(i) === p) out[k] = logitWith(fit, x[i], offset[i]);
    });
  }
  return out;
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

const FITTED = Object.entries(FEATURES).filter(([, s]) => s.fitted).map(([k]) => k);
const FIXED = Object.entries(FEATURES).filter(([, s]) => !s.fitted).map(([k]) => k);

function design(rows: Row[]): { x: number[][]; offset: number[] } {
  const x = rows.map((r) => FITTED.map((f) => r.module.features[f] ?? 0));
  const offset = rows.map((r) => FIXED.reduce((s, f) => s + FEATURES[f].weight * (r.module.features[f] ?? 0), 0));
  return { x, offset };
}

const logitWith = (fit: Fit, x: number[], offset: number): number => fit.bias + offset + FITTED.reduce((s, f, j) => s + fit.weights[f] * x[j], 0);

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
  for (const root of [...new Set(labels.map((l) => l.root))]) {
    const report = scanRoot(root);
    const byPath = new Map(report.modules.map((m) => [m.path, m]));
    for (const label of labels.filter((l) => l.root === root)) {
      const module = byPath.get(label.file);
      if (!module) {
        missing.push(label);
        continue;
      }
      const source = readFileSync(join(corpusDir, root, label.file), 'utf8');
      rows.push({ label, project: projectOf(label), positive: label.label === 'native', module, complexity: textComplexity(source) });
    }
  }
  const y = rows.map((r) => r.positive);
  const score = rows.map((r) => r.module.score);
  const { x, offset } = design(rows);
  const logit = rows.map((r, i) => logitWith({ weights: Object.fromEntries(FITTED.map((f) => [f, FEATURES[f].weight])), bias: BIAS }, x[i], offset[i]));
  const verdicts = rows.map((r) => REWRITE.has(r.module.verdict));

  // Leave one project out: refit without the project, score it, set its threshold from the others.
  const projects = [...new Set(rows.map((r) => r.project))].sort();
  const lopoLogit = new Array<number>(rows.length).fill(0);
  const lopoFlag = new Array<boolean>(rows.length).fill(false);
  const lopoShift = new Array<number>(rows.length).fill(0);
  for (const p of projects) {
    const train = rows.map((r, i) => i).filter((i) => rows[i].project !== p);
    const test = rows.map((r, i) => i).filter((i) => rows[i].project === p);
    const fit = fitLogistic(train.map((i) => x[i]), train.map((i) => y[i]), train.map((i) => offset[i]), FITTED);
    // the threshold comes from the training projects alone, each scored without itself (nested LOPO)
    const inner = crossValidatedLogits(train, (i) => rows[i].project, x, y, offset);
    const shift = thresholdShift(inner, train.map((i) => y[i]));
    const candidate = Math.log(THRESHOLDS.candidate / (100 - THRESHOLDS.candidate));
    for (const i of test) {
      lopoLogit[i] = logitWith(fit, x[i], offset[i]) + shift;
      lopoShift[i] = shift;
      lopoFlag[i] = lopoLogit[i] >= candidate;
    }
  }

  const verdictPR = precisionRecall(verdicts, y);
  const lopoPR = precisionRecall(lopoFlag, y);
  const figures = {
    modules: rows.length,
    positives: y.filter(Boolean).length,
    notScanned: missing.map((m) => `${m.root}/${m.file}`),
    auc: { score: rocAuc(score, y), logit: rocAuc(logit, y), lopo: rocAuc(lopoLogit, y), lopoUnshifted: rocAuc(lopoLogit.map((l, i) => l - lopoShift[i]), y), linesOfCode: rocAuc(rows.map((r) => r.module.loc), y), cyclomatic: rocAuc(rows.map((r) => r.complexity), y) },
    verdicts: verdictPR,
    lopoVerdicts: lopoPR,
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
  console.log(`(score AUC on the rounded 0–100 score: ${fmtRate(figures.auc.score)}; LOPO AUC before each fold's threshold shift: ${fmtRate(figures.auc.lopoUnshifted)})\n`);
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

  let fitted: (Fit & { shift: number }) | undefined;
  if (flag('--fit')) {
    const fit = fitLogistic(x, y, offset, FITTED);
    // set where the out-of-project scores reach the target recall, as each LOPO fold set its own
    const shift = thresholdShift(lopoLogit.map((l, i) => l - lopoShift[i]), y);
    fitted = { ...fit, shift };
    console.log('\nrefitted on the whole corpus (bake into src/classify/weights.ts):');
    for (const f of FITTED) console.log(`  ${f.padEnd(16)} ${fit.weights[f].toFixed(3)}   (now ${FEATURES[f].weight})`);
    console.log(`  ${'bias'.padEnd(16)} ${(fit.bias + shift).toFixed(3)}   (now ${BIAS}; fitted ${fit.bias.toFixed(3)} + threshold shift ${shift.toFixed(3)} for LOPO recall ≥ ${TARGET_RECALL})`);
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
