/**
 * `npm run holdout`: the held-out generalisation check of the classifier.
 *
 * Real public projects that are NOT in the dev corpus (../shared/corpus), labelled in
 * scripts/holdout/labels-holdout.json: `native` where the maintainers ship a native twin of the
 * module (C, Cython, C++, Rust, mypyc), `python` for the other modules of the package. Nobody tunes
 * on these labels: the dev corpus (`npm run eval`) is for tuning, this set only checks that what
 * was tuned generalises. Keep it that way — do not change a weight because of a module named here.
 *
 * Two steps (see the README section "Held-out check"):
 *   1. `npm run holdout -- --extract [--mirrors DIR]` copies each labelled project at its pinned
 *      commit out of a bare git mirror (DIR/<owner>+<name>/repo, as the session's `fetch` tool
 *      leaves them; default /work/.mirror) into RUSTSCOUT_HOLDOUT/<project>/ with `git archive`,
 *      then deletes native artefacts (.pyx .pxd .c .h .cpp .rs .so …, Cargo.toml, CMakeLists.txt)
 *      and the files the labels leave out (tests, test helpers). It never fetches anything.
 *   2. `npm run holdout` scans each project with the real CLI (`scan <dir> --format json
 *      --no-cache --no-config --no-git`), joins modules to labels and prints, for "rewrite
 *      candidate" (pyo3-extension | move-to-rust): ROC AUC of the module score (pooled and per
 *      project), the same for lines of code, precision / recall of the verdicts, recall per twin
 *      kind, and the worst misses with their top reasons.
 *
 *   With `--extract --strip`, comments and docstrings (every statement that is a bare string) are
 *   blanked in the extracted copies, line numbers kept: the classifier must not need them, so the
 *   figures should not move. File and function names are kept (renaming would break the imports).
 *
 *   env: RUSTSCOUT_HOLDOUT=DIR (extraction folder, default /work/holdout)
 *   flags: --extract [--strip], --mirrors DIR, --labels FILE, --out FILE, --misses N, --only a,b
 *
 * This script is the ONLY place that reads the held-out labels. A tool, not a CI test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleReport, Report } from '../src/model.js';
import { withPythonTree } from '../src/python/parser.js';
import { CLI, argValue, flag, fmtRate, precisionAtRecall, precisionRecall, rocAuc, scanToJson, table } from './metrics.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REWRITE = new Set(['pyo3-extension', 'move-to-rust']);
/** What the dev corpus deletes, plus the Rust and C++ build files: a scan must see only the Python. */
const NATIVE_ARTEFACT = /\.(pyx|pxd|pxi|c|h|cc|cpp|hpp|cxx|rs|so|pyd|dylib)$|(^|\/)(Cargo\.toml|Cargo\.lock|build\.rs|CMakeLists\.txt)$/;

export interface HoldoutModule {
  file: string;
  label: 'native' | 'python';
  twin_kind?: string;
  evidence: string;
  lines: number;
}

export interface HoldoutProject {
  project: string;
  repo: string;
  commit: string;
  include: string[];
  /** Regular expressions over repository paths: files left out of the extraction and the labels. */
  exclude: string[];
  skipped: { file: string; why: string }[];
  notes: string;
  modules: HoldoutModule[];
}

interface Row {
  project: string;
  label: HoldoutModule;
  positive: boolean;
  module: ModuleReport;
}

// ── arguments ─────────────────────────────────────────────────────────────────────────────────

const holdoutDir = resolve(process.env.RUSTSCOUT_HOLDOUT ?? '/work/holdout');
const mirrorsDir = resolve(argValue('--mirrors') ?? '/work/.mirror');
const labelsFile = resolve(argValue('--labels') ?? join(REPO, 'scripts', 'holdout', 'labels-holdout.json'));
const outFile = resolve(argValue('--out') ?? join(holdoutDir, '.results', 'holdout-results.json'));
const reportsDir = join(holdoutDir, '.results', 'reports');
const missCount = Number(argValue('--misses') ?? 15);
const only = argValue('--only')?.split(',');

// ── extraction (from bare mirrors; never fetches) ─────────────────────────────────────────────

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Blanks comments and bare-string statements (docstrings), keeping every line break where it was. */
export async function stripCommentsAndDocstrings(source: string): Promise<string> {
  const spans: [number, number][] = [];
  await withPythonTree(source, (tree) => {
    const cursor = tree.walk();
    let more = true;
    while (more) {
      const node = cursor.currentNode;
      const bareString = node.type === 'expression_statement' && node.namedChildCount === 1 && ['string', 'concatenated_string'].includes(node.namedChildren[0]?.type ?? '');
      if (node.type === 'comment' || bareString) spans.push([node.startIndex, node.endIndex]);
      else if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          more = false;
          break;
        }
      }
    }
  });
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    const text = source.slice(start, end);
    const blank = text.replace(/[^\n]/g, ' ');
    // A comment becomes spaces; a string statement stays a (blank) string so the block keeps a body.
    out += source.slice(at, start) + (text.startsWith('#') ? blank : text.includes('\n') ? `""${'"'}${blank.slice(3, -3)}""${'"'}` : `""${blank.slice(2)}`);
    at = end;
  }
  return out + source.slice(at);
}

async function stripTree(dest: string): Promise<number> {
  let n = 0;
  for (const file of walk(dest).filter((f) => f.endsWith('.py'))) {
    const source = readFileSync(file, 'utf8');
    const stripped = await stripCommentsAndDocstrings(source);
    if (stripped.split('\n').length !== source.split('\n').length) throw new Error(`${file}: stripping changed the line count`);
    writeFileSync(file, stripped);
    n++;
  }
  return n;
}

async function extract(project: HoldoutProject): Promise<void> {
  const gitDir = join(mirrorsDir, project.repo.replace('/', '+'), 'repo');
  if (!existsSync(gitDir)) throw new Error(`${project.repo}: no mirror at ${gitDir} (fetch github:${project.repo} first)`);
  const dest = join(holdoutDir, project.project);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const archive = spawnSync('git', ['--git-dir', gitDir, 'archive', '--format=tar', project.commit, '--', ...project.include], { maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`${project.repo}: git archive ${project.commit} failed: ${archive.stderr.toString()}`);
  const untar = spawnSync('tar', ['-x', '-C', dest], { input: archive.stdout, maxBuffer: 1 << 30 });
  if (untar.status !== 0) throw new Error(`${project.repo}: tar failed: ${untar.stderr.toString()}`);
  const excluded = project.exclude.map((e) => new RegExp(e));
  const skipped = new Set(project.skipped.map((s) => s.file));
  let removed = 0;
  for (const file of walk(dest)) {
    const rel = relative(dest, file).split('\\').join('/');
    if (NATIVE_ARTEFACT.test(rel) || excluded.some((e) => e.test(rel)) || skipped.has(rel)) {
      rmSync(file);
      removed++;
    }
  }
  const missing = project.modules.filter((m) => !existsSync(join(dest, m.file)));
  if (missing.length) throw new Error(`${project.project}: labelled files missing after extraction: ${missing.map((m) => m.file).join(', ')}`);
  const stripped = flag('--strip') ? await stripTree(dest) : 0;
  console.log(`extracted ${project.project} (${project.repo}@${project.commit.slice(0, 10)}) → ${dest}; ${removed} native artefact / excluded file(s) removed${stripped ? `; comments and docstrings blanked in ${stripped} file(s)` : ''}`);
}

// ── scan and join ─────────────────────────────────────────────────────────────────────────────

function scan(project: HoldoutProject): Report {
  const dir = join(holdoutDir, project.project);
  if (!existsSync(dir)) throw new Error(`${dir} missing: run \`npm run holdout -- --extract\` first (see README, "Held-out check")`);
  mkdirSync(reportsDir, { recursive: true });
  return scanToJson(dir, join(reportsDir, `${project.project}.json`), project.project, ['--no-git']);
}

// ── report ────────────────────────────────────────────────────────────────────────────────────

function topReasons(m: ModuleReport, n = 4): string {
  return m.reasons
    .filter((x) => x.contribution !== 0)
    .slice(0, n)
    .map((x) => `${x.signal}${x.line ? `@${x.line}` : ''} ${x.contribution > 0 ? '+' : ''}${x.contribution}`)
    .join(', ');
}

function missLine(r: Row): string {
  return `  ${String(r.module.score).padStart(3)} ${r.module.verdict.padEnd(14)} ${r.project}: ${r.label.file} (${r.module.loc} loc${r.label.twin_kind ? `, ${r.label.twin_kind}` : ''}) — ${topReasons(r.module) || 'no weighed signal'}`;
}

async function main(): Promise<void> {
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as { projects: HoldoutProject[] };
  const projects = labels.projects.filter((p) => !only || only.includes(p.project));
  if (flag('--extract')) {
    for (const p of projects) await extract(p);
    return;
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} not built: run npm run build`);

  const rows: Row[] = [];
  const notScanned: string[] = [];
  for (const p of projects) {
    const report = scan(p);
    const byPath = new Map(report.modules.map((m) => [m.path, m]));
    for (const label of p.modules) {
      const module = byPath.get(label.file);
      if (!module) notScanned.push(`${p.project}/${label.file}`);
      else rows.push({ project: p.project, label, positive: label.label === 'native', module });
    }
  }

  const y = rows.map((r) => r.positive);
  const score = rows.map((r) => r.module.score);
  const loc = rows.map((r) => r.module.loc);
  /** The module's hottest function: does the module score add anything over its best kernel? */
  const hottest = rows.map((r) => Math.max(0, ...r.module.functions.map((f) => f.score)));
  const verdicts = rows.map((r) => REWRITE.has(r.module.verdict));
  const pr = precisionRecall(verdicts, y);
  const names = projects.map((p) => p.project);
  const perProject = names.map((p) => {
    const idx = rows.map((_, i) => i).filter((i) => rows[i].project === p);
    const pick = <T>(a: T[]): T[] => idx.map((i) => a[i]);
    const ppr = precisionRecall(pick(verdicts), pick(y));
    return { project: p, modules: idx.length, native: idx.filter((i) => y[i]).length, auc: rocAuc(pick(score), pick(y)), locAuc: rocAuc(pick(loc), pick(y)), flagged: ppr.flagged, hits: ppr.hits };
  });
  const withBoth = perProject.filter((p) => !Number.isNaN(p.auc));
  const kinds = [...new Set(rows.filter((r) => r.positive).map((r) => r.label.twin_kind ?? '?'))].sort();
  const byKind = kinds.map((k) => {
    const idx = rows.map((_, i) => i).filter((i) => rows[i].positive && rows[i].label.twin_kind === k);
    const negIdx = rows.map((_, i) => i).filter((i) => !y[i]);
    const sub = [...idx, ...negIdx];
    return { kind: k, native: idx.length, flagged: idx.filter((i) => verdicts[i]).length, auc: rocAuc(sub.map((i) => score[i]), sub.map((i) => y[i])) };
  });
  const figures = {
    when: new Date().toISOString(),
    modules: rows.length,
    native: y.filter(Boolean).length,
    projects: names.length,
    notScanned,
    auc: { score: rocAuc(score, y), hottestFunction: rocAuc(hottest, y), linesOfCode: rocAuc(loc, y), meanPerProject: withBoth.reduce((s, p) => s + p.auc, 0) / withBoth.length, meanPerProjectLoc: withBoth.reduce((s, p) => s + p.locAuc, 0) / withBoth.length },
    verdicts: pr,
    precisionAtRecall60: { score: precisionAtRecall(score, y, 0.6), hottestFunction: precisionAtRecall(hottest, y, 0.6), linesOfCode: precisionAtRecall(loc, y, 0.6) },
    perProject,
    byKind,
  };

  console.log(`\nrustscout held-out check — ${rows.length} labelled modules (${figures.native} with a native twin) in ${names.length} projects${notScanned.length ? `; ${notScanned.length} labelled file(s) not in the report: ${notScanned.join(', ')}` : ''}\n`);
  console.log(table([
    ['ranking', 'ROC AUC', 'mean per-project AUC', 'P@R≥0.60'],
    ['rustscout module score', fmtRate(figures.auc.score), fmtRate(figures.auc.meanPerProject), fmtRate(figures.precisionAtRecall60.score)],
    ['rustscout hottest function score', fmtRate(figures.auc.hottestFunction), '', fmtRate(figures.precisionAtRecall60.hottestFunction)],
    ['naive: lines of code', fmtRate(figures.auc.linesOfCode), fmtRate(figures.auc.meanPerProjectLoc), fmtRate(figures.precisionAtRecall60.linesOfCode)],
  ]));
  console.log(`\nverdicts (pyo3-extension | move-to-rust): precision ${fmtRate(pr.precision)}, recall ${fmtRate(pr.recall)} (${pr.hits} of ${figures.native} native twins; ${pr.flagged} modules flagged)\n`);
  console.log(table([
    ['project', 'modules', 'native', 'AUC', 'LOC AUC', 'flagged', 'hits'],
    ...perProject.map((p) => [p.project, String(p.modules), String(p.native), fmtRate(p.auc), fmtRate(p.locAuc), String(p.flagged), String(p.hits)]),
  ]));
  console.log('\nby twin kind (AUC of that kind against all python modules):');
  console.log(table([['twin kind', 'native', 'flagged', 'AUC'], ...byKind.map((k) => [k.kind, String(k.native), String(k.flagged), fmtRate(k.auc)])]));

  // Does size alone make a candidate? Verdicts by lines of code, and flagged modules without a kernel.
  const buckets: [number, number][] = [[0, 100], [100, 300], [300, 700], [700, Infinity]];
  const bySize = buckets.map(([lo, hi]) => {
    const idx = rows.map((_, i) => i).filter((i) => loc[i] >= lo && loc[i] < hi);
    const pos = idx.filter((i) => y[i]);
    const neg = idx.filter((i) => !y[i]);
    return { loc: `${lo}–${hi === Infinity ? '' : hi}`, native: pos.length, recall: pos.filter((i) => verdicts[i]).length / (pos.length || 1), python: neg.length, pythonFlagged: neg.filter((i) => verdicts[i]).length / (neg.length || 1) };
  });
  const noKernel = (i: number): boolean => verdicts[i] && !rows[i].module.functions.some((f) => f.score >= 45);
  console.log('\nverdicts by module size (lines of code):');
  console.log(table([['loc', 'native', 'recall', 'python', 'python flagged'], ...bySize.map((b) => [b.loc, String(b.native), fmtRate(b.recall), String(b.python), fmtRate(b.pythonFlagged)])]));
  console.log(`flagged without any function scoring ≥ 45: ${rows.filter((_, i) => noKernel(i) && !y[i]).length} python, ${rows.filter((_, i) => noKernel(i) && y[i]).length} native`);
  Object.assign(figures, { bySize });

  const order = rows.map((_, i) => i).sort((a, b) => score[b] - score[a] || loc[b] - loc[a]);
  const falsePositives = order.filter((i) => !y[i]).slice(0, missCount).map((i) => rows[i]);
  const missed = order.filter((i) => y[i]).reverse().slice(0, missCount).map((i) => rows[i]);
  console.log('\nworst misses — top-scored modules the maintainers kept in Python:');
  for (const r of falsePositives) console.log(missLine(r));
  console.log('\nworst misses — lowest-scored modules the maintainers gave a native twin:');
  for (const r of missed) console.log(missLine(r));

  const brief = (r: Row) => ({
    project: r.project, file: r.label.file, label: r.label.label, twinKind: r.label.twin_kind, score: r.module.score, verdict: r.module.verdict,
    loc: r.module.loc, features: r.module.features, reasons: r.module.reasons.slice(0, 6),
  });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify({ ...figures, rows: rows.map(brief) }, null, 1));
  console.log(`\nresults (every module with its features and reasons) written to ${outFile}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`holdout: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
