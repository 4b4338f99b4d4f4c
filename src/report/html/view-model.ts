/**
 * The slice of the report the HTML page needs, with the two plot coordinates derived in one
 * documented place:
 * - gain (x): the static score (0–100), or with runtime profiles the measured pure-Python share of
 *   the run (%), which is what a rewrite can actually speed up;
 * - port cost (y, 0–11): size `min(4, log2(1 + loc) / 3)` + glue, the weight of evidence against
 *   Rust `min(3, Σ |negative contributions|)` + boundary, the share of candidate functions whose
 *   boundary is not easy (callbacks into Python, globals, I/O, complex types) `× 2` (+0.5 when one
 *   calls back into Python) + importers to keep working `min(2, log2(1 + fan-in) / 2)`.
 */
import { THRESHOLDS } from '../../classify/weights.js';
import type { ComponentReport, ModuleReport, Report } from '../../model.js';
import { TS_THRESHOLDS } from '../../typescript/classify.js';

const MAX_REASONS = 8;
const MAX_FUNCTIONS = 6;
/** Function score from which a function counts as kernel code: the classifier's own threshold per language. */
const kernelScore = (m: ModuleReport): number => (m.language === 'python' ? THRESHOLDS.kernel : TS_THRESHOLDS.kernel);

/** What the evidence panel shows for one module; embedded as a JSON string and parsed on demand. */
export interface ModuleDetail {
  reasons: { detector: string; signal: string; line: number; function?: string; contribution: number; message: string }[];
  functions: { name: string; line: number; endLine: number; loc: number; score: number; easy?: boolean; callsBack?: boolean; io?: boolean; globals?: boolean; params?: string }[];
  runtime?: ModuleReport['runtime'];
  excerpts?: ModuleReport['excerpts'];
  suppressed?: string;
}

/**
 * One module as the tables and the plot need it. The evidence (`detail`) stays a JSON string until
 * the module is opened: a page with 20,000 modules parses strings, not 20,000 object trees.
 */
export interface ViewModule {
  path: string;
  language: string;
  component: string | null;
  verdict: string;
  score: number;
  confidence: number;
  loc: number;
  fanIn: number;
  fanOut: number;
  gain: number;
  cost: number;
  /** Lines of code in kernel functions (score ≥ 45). */
  hotLoc: number;
  /** The strongest reason as `signal@line`, and every reason's signal (for the filter). */
  top: string;
  signals: string[];
  /** Measured pure-Python share of the run (with --profile). */
  python?: number;
  detail: string;
}

export interface ViewModel {
  root: string;
  version: string;
  summary: Record<string, number>;
  gainAxis: 'score' | 'measured';
  components: (Pick<ComponentReport, 'name' | 'kind' | 'path' | 'modules' | 'loc' | 'verdict'> & { dependencies: number })[];
  modules: ViewModule[];
  warnings: { path: string; message: string }[];
  runtime?: Report['runtime'];
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

export function portCost(m: ModuleReport): number {
  const size = Math.min(4, Math.log2(1 + m.loc) / 3);
  const glue = Math.min(3, m.reasons.reduce((n, r) => n + (r.contribution < 0 ? -r.contribution : 0), 0));
  const kernels = m.functions.filter((f) => f.score >= kernelScore(m));
  const judged = (kernels.length ? kernels : m.functions).filter((f) => f.boundary);
  const hard = judged.filter((f) => !f.boundary!.easy).length;
  const boundary = judged.length ? (2 * hard) / judged.length + (judged.some((f) => f.boundary!.callsBackIntoPython) ? 0.5 : 0) : 0;
  const importers = Math.min(2, Math.log2(1 + m.imports.fanIn) / 2);
  return round(size + glue + boundary + importers);
}

function detailOf(m: ModuleReport): ModuleDetail {
  return {
    reasons: m.reasons.slice(0, MAX_REASONS).map((r) => ({
      detector: r.detector, signal: r.signal, line: r.line, ...(r.function ? { function: r.function } : {}), contribution: r.contribution, message: r.message,
    })),
    functions: m.functions.slice(0, MAX_FUNCTIONS).map((f) => ({
      name: f.name, line: f.line, endLine: f.endLine, loc: f.loc, score: f.score,
      ...(f.boundary ? {
        easy: f.boundary.easy, callsBack: f.boundary.callsBackIntoPython, io: f.boundary.doesIO, globals: f.boundary.mutatesGlobals,
        params: f.boundary.params.map((p) => (p.annotation ? `${p.name}: ${p.annotation}` : p.name)).join(', ') + (f.boundary.returns ? ` → ${f.boundary.returns}` : ''),
      } : {}),
    })),
    ...(m.runtime ? { runtime: m.runtime } : {}),
    ...(m.excerpts?.length ? { excerpts: m.excerpts } : {}),
    ...(m.suppressed ? { suppressed: m.suppressed.reason } : {}),
  };
}

export function viewModel(report: Report): ViewModel {
  const measured = Boolean(report.runtime?.profiles.some((p) => p.modulesMatched > 0));
  return {
    root: report.root,
    version: report.tool.version,
    summary: report.summary,
    gainAxis: measured ? 'measured' : 'score',
    components: report.components.map((c) => ({ name: c.name, kind: c.kind, path: c.path, modules: c.modules, loc: c.loc, verdict: c.verdict, dependencies: c.dependencies.length })),
    modules: report.modules.map((m) => ({
      path: m.path, language: m.language, component: m.component, verdict: m.verdict, score: m.score, confidence: m.confidence, loc: m.loc,
      fanIn: m.imports.fanIn, fanOut: m.imports.fanOut,
      gain: measured ? round((m.runtime?.pythonShare ?? 0) * 100, 1) : m.score,
      cost: portCost(m),
      hotLoc: m.functions.filter((f) => f.score >= kernelScore(m) && f.name !== '<module>').reduce((n, f) => n + f.loc, 0),
      top: m.reasons[0] ? `${m.reasons[0].signal}@${m.reasons[0].line}` : '',
      signals: [...new Set(m.reasons.map((r) => r.signal))],
      ...(m.runtime ? { python: m.runtime.pythonShare } : {}),
      detail: JSON.stringify(detailOf(m)),
    })),
    warnings: report.warnings.map((w) => ({ path: w.path, message: w.message })),
    ...(report.runtime ? { runtime: report.runtime } : {}),
  };
}
