/**
 * Baselines: `--write-baseline FILE` records every Python module's verdict, score and content
 * fingerprints; `--baseline FILE` marks each module and finding new, worse or unchanged.
 *
 * A module matches a baseline entry, in this order (each entry matches once): same path and same
 * content; same content (a renamed or moved file); same path (edited in place); a shared kernel
 * function (code moved between files). A match is worse when the verdict got stronger or the
 * score rose by SCORE_SLACK or more.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { BaselineState, Finding, ModuleReport, Verdict } from '../model.js';
import { CiUsageError } from './errors.js';
import { kernelFunctions } from './findings.js';

export const BASELINE_FORMAT = 'rustscout-baseline';
export const BASELINE_VERSION = 1;
/** A score rise smaller than this is noise from unrelated edits, not a worse finding. */
export const SCORE_SLACK = 5;

export interface BaselineKernel {
  name: string;
  score: number;
  fingerprint: string;
}

export interface BaselineModule {
  path: string;
  verdict: Verdict;
  score: number;
  fingerprint: string;
  kernels: BaselineKernel[];
}

export interface BaselineFile {
  format: typeof BASELINE_FORMAT;
  version: typeof BASELINE_VERSION;
  tool: string;
  modules: BaselineModule[];
}

const RANK: Record<string, number> = { 'keep-python': 0, 'keep-typescript': 0, 'keep-javascript': 0, 'keep-rust': 0, 'pyo3-extension': 1, 'wasm-extension': 1, 'move-to-rust': 2 };

export function baselineOf(modules: readonly ModuleReport[], toolVersion: string): BaselineFile {
  const entries: BaselineModule[] = modules.filter((m) => m.language !== 'rust').map((m) => ({
    path: m.path, verdict: m.verdict, score: m.score, fingerprint: m.fingerprint ?? '',
    kernels: kernelFunctions(m).map((f) => ({ name: f.name, score: f.score, fingerprint: f.fingerprint ?? '' })),
  }));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { format: BASELINE_FORMAT, version: BASELINE_VERSION, tool: toolVersion, modules: entries };
}

export async function writeBaseline(file: string, baseline: BaselineFile): Promise<void> {
  try {
    await writeFile(file, JSON.stringify(baseline, null, 1) + '\n');
  } catch (err) {
    throw new CiUsageError(`--write-baseline: cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export async function readBaseline(file: string): Promise<BaselineFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CiUsageError(`--baseline: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CiUsageError(`--baseline: ${file} is not JSON (${(err as Error).message})`);
  }
  const bad = (what: string): never => { throw new CiUsageError(`--baseline: ${file} is not a rustscout baseline (${what}); write one with --write-baseline`); };
  if (!isObj(data) || data.format !== BASELINE_FORMAT) bad('missing "format": "rustscout-baseline"');
  const d = data as Record<string, unknown>;
  if (d.version !== BASELINE_VERSION) bad(`unsupported version ${JSON.stringify(d.version)}`);
  if (!Array.isArray(d.modules)) bad('"modules" is not a list');
  (d.modules as unknown[]).forEach((m, i) => {
    if (!isObj(m) || typeof m.path !== 'string' || typeof m.verdict !== 'string' || typeof m.score !== 'number' || typeof m.fingerprint !== 'string' || !Array.isArray(m.kernels)) bad(`modules[${i}] is malformed`);
  });
  return data as BaselineFile;
}

function stateOf(verdict: string, score: number, base: { verdict?: string; score: number }): BaselineState {
  if (base.verdict !== undefined && RANK[verdict] > RANK[base.verdict]) return 'worse';
  return score >= base.score + SCORE_SLACK ? 'worse' : 'unchanged';
}

function indexBy(entries: readonly BaselineModule[], keys: (e: BaselineModule) => string[]): Map<string, BaselineModule[]> {
  const index = new Map<string, BaselineModule[]>();
  for (const e of entries) for (const k of keys(e)) {
    const list = index.get(k);
    if (list) list.push(e);
    else index.set(k, [e]);
  }
  return index;
}

/** Matches modules to baseline entries (see the file comment). Returns the entry per module path. */
function matchModules(modules: readonly ModuleReport[], baseline: BaselineFile): Map<string, BaselineModule> {
  const entries = baseline.modules;
  const passes: { index: Map<string, BaselineModule[]>; keys: (m: ModuleReport) => string[] }[] = [
    { index: indexBy(entries, (e) => (e.fingerprint ? [`${e.path}\0${e.fingerprint}`] : [])), keys: (m) => (m.fingerprint ? [`${m.path}\0${m.fingerprint}`] : []) },
    { index: indexBy(entries, (e) => (e.fingerprint ? [e.fingerprint] : [])), keys: (m) => (m.fingerprint ? [m.fingerprint] : []) },
    { index: indexBy(entries, (e) => [e.path]), keys: (m) => [m.path] },
    { index: indexBy(entries, (e) => e.kernels.map((k) => k.fingerprint).filter(Boolean)), keys: (m) => kernelFunctions(m).map((f) => f.fingerprint ?? '').filter(Boolean) },
  ];
  const matched = new Map<string, BaselineModule>();
  const claimed = new Set<BaselineModule>();
  const python = modules.filter((m) => m.language !== 'rust');
  for (const pass of passes) {
    for (const m of python) {
      if (matched.has(m.path)) continue;
      const e = pass.keys(m).flatMap((k) => pass.index.get(k) ?? []).find((x) => !claimed.has(x));
      if (e) {
        matched.set(m.path, e);
        claimed.add(e);
      }
    }
  }
  return matched;
}

export interface BaselineCounts {
  new: number;
  worse: number;
  unchanged: number;
}

/** Sets `baseline` on every Python module and on every RS001–RS003 finding; counts the findings. */
export function compareWithBaseline(modules: ModuleReport[], findings: Finding[], baseline: BaselineFile): BaselineCounts {
  const matched = matchModules(modules, baseline);
  const byPath = new Map(modules.map((m) => [m.path, m]));
  for (const m of modules) {
    if (m.language === 'rust') continue;
    const e = matched.get(m.path);
    m.baseline = e ? stateOf(m.verdict, m.score, e) : 'new';
  }
  const allKernels = new Map<string, BaselineKernel>();
  for (const e of baseline.modules) for (const k of e.kernels) if (k.fingerprint) allKernels.set(k.fingerprint, k);
  const counts: BaselineCounts = { new: 0, worse: 0, unchanged: 0 };
  for (const f of findings) {
    const m = byPath.get(f.path);
    if (!m || f.kind === 'unused-suppression') continue;
    if (f.kind === 'kernel-function') {
      const fn = m.functions.find((x) => x.name === f.function && x.line === f.line);
      const e = matched.get(m.path);
      const k = (fn?.fingerprint && e?.kernels.find((x) => x.fingerprint === fn.fingerprint))
        ?? e?.kernels.find((x) => x.name === f.function)
        ?? (fn?.fingerprint ? allKernels.get(fn.fingerprint) : undefined);
      f.baseline = k ? stateOf('', f.score, { score: k.score }) : 'new';
    } else f.baseline = m.baseline;
    if (f.baseline) counts[f.baseline]++;
  }
  return counts;
}
