/**
 * Runtime evidence after classification: measured time replaces the static guess of hotness.
 * For every Python module it records what the profiles measured (share of the run, pure-Python
 * share, Amdahl ceiling) and reconciles that with the classifier's verdict:
 * - a rewrite whose ceiling is negligible (even an infinitely fast Rust version would speed the
 *   run up by less than NEGLIGIBLE_CEILING) is downgraded to keep-python;
 * - a keep-python module that the profile shows spending a large share of the run in its own
 *   Python code is promoted to pyo3-extension, unless its static evidence says the time is
 *   glue (web framework) or, when the profiler cannot separate native time, array calls.
 * Each decision adds a `runtime-profile` reason that states both views and which one won.
 * A profile only measures modules of the components (packages) it reached at all; modules of
 * components it never entered keep their static verdict, unmeasured.
 */
import type { FunctionSummary, ModuleReport, Reason, Warning } from '../model.js';
import { amdahlSpeedup, ceilingOf, NEGLIGIBLE_CEILING, TYPICAL_RUST_SPEEDUP } from './amdahl.js';
import { attribute, type Attribution, type ModuleCost } from './attribute.js';
import { ModulePathIndex } from './paths.js';
import type { FunctionRuntime, ModuleRuntime, ProfileSummary, RuntimeProfile, RuntimeSummary } from './types.js';

/** Pure-Python share of the run above which a statically cold module is promoted. */
export const PROMOTE_PYTHON_SHARE = 0.25;

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
const times = (x: number): string => `${x >= 100 ? Math.round(x) : x.toFixed(2)}×`;
const round4 = (x: number): number => Math.round(x * 10000) / 10000;
const TOOL: Record<RuntimeProfile['format'], string> = { 'py-spy-speedscope': 'py-spy', 'py-spy-raw': 'py-spy', scalene: 'Scalene' };

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** The innermost function whose line range holds the line; '<module>' for top-level code. */
function functionAt(functions: FunctionSummary[], line: number): { name: string; line: number } {
  let best: FunctionSummary | undefined;
  for (const f of functions) {
    if (f.name === '<module>' || line < f.line || line > f.endLine) continue;
    if (!best || f.endLine - f.line < best.endLine - best.line) best = f;
  }
  return best ? { name: best.name, line: best.line } : { name: '<module>', line: 1 };
}

function functionsOf(cost: ModuleCost, functions: FunctionSummary[]): FunctionRuntime[] {
  const byName = new Map<string, FunctionRuntime>();
  const bump = (name: string, line: number, share: number, python: number): void => {
    const f = byName.get(name) ?? { name, line, share: 0, pythonShare: 0 };
    f.share += share;
    f.pythonShare += python;
    byName.set(name, f);
  };
  for (const [line, [share, python]] of cost.lines) {
    const fn = functionAt(functions, line);
    bump(fn.name, fn.line, share, python);
  }
  for (const [name, [share, python]] of cost.namedOnly) {
    const fn = functions.find((f) => f.name === name || f.name.endsWith(`.${name}`));
    bump(fn?.name ?? name, fn?.line ?? 0, share, python);
  }
  return [...byName.values()]
    .map((f) => ({ ...f, share: round4(f.share), pythonShare: round4(f.pythonShare) }))
    .sort((a, b) => b.share - a.share || a.line - b.line)
    .slice(0, 10);
}

function measure(module: ModuleReport, profile: RuntimeProfile, attribution: Attribution): ModuleRuntime {
  const cost = attribution.modules.get(module.path);
  const share = cost?.total ?? 0;
  const python = cost?.python ?? 0;
  const runtime: ModuleRuntime = {
    profile: profile.source, format: profile.format, share: round4(share), pythonShare: round4(python), pythonMeasured: profile.separatesNative,
    ceiling: ceilingOf(python),
    hotLines: cost ? [...cost.lines].map(([line, [s]]) => ({ line, share: round4(s), function: functionAt(module.functions, line).name })).sort((a, b) => b.share - a.share || a.line - b.line).slice(0, 5) : [],
    functions: cost ? functionsOf(cost, module.functions) : [],
    decision: 'unchanged',
  };
  if (profile.separatesNative && cost) {
    runtime.nativeShare = round4(cost.native);
    runtime.systemShare = round4(cost.system);
    runtime.mallocMb = Math.round(cost.mallocMb * 10) / 10;
    runtime.copyMbPerSec = Math.round(cost.copyMbPerSec * 10) / 10;
  }
  return runtime;
}

function describe(r: ModuleRuntime): string {
  const tool = `${TOOL[r.format]} (${baseName(r.profile)})`;
  const own = r.pythonMeasured
    ? `${pct(r.pythonShare)} in pure-Python code${r.nativeShare !== undefined ? `, ${pct(r.nativeShare)} native, ${pct(r.systemShare ?? 0)} system` : ''}`
    : `${pct(r.pythonShare)} in its own lines (py-spy cannot tell Python from native time: an upper bound)`;
  const top = r.functions[0];
  const hot = r.hotLines[0] ? `; hottest line ${r.hotLines[0].line} (${r.hotLines[0].function})${top && top.name !== r.hotLines[0].function ? `, hottest function ${top.name} (${pct(top.share)})` : ''}` : '';
  return `measured by ${tool}: ${pct(r.share)} of the run, ${own}${hot}. Amdahl ceiling: ${times(r.ceiling.unbounded)} end to end at best, ${times(r.ceiling.typical)} if Rust runs that Python ${TYPICAL_RUST_SPEEDUP}× faster`;
}

function reasonOf(r: ModuleRuntime, signal: string, message: string): Reason {
  const line = r.hotLines[0]?.line ?? 1;
  const fn = r.hotLines[0]?.function;
  return {
    detector: 'runtime-profile', signal, value: Math.round(r.pythonShare * 1000) / 10, line, message,
    ...(fn && fn !== '<module>' ? { function: fn } : {}), weight: 0, contribution: 0,
  };
}

const hasSignal = (m: ModuleReport, signal: string): boolean => m.evidence.some((e) => e.signal === signal) || m.reasons.some((e) => e.signal === signal);

function reconcile(module: ModuleReport, r: ModuleRuntime): void {
  const measured = describe(r);
  const staticView = `static analysis scored it ${module.score} (${module.verdict})`;
  const rewrite = module.verdict === 'pyo3-extension' || module.verdict === 'move-to-rust';
  if (rewrite && amdahlSpeedup(r.pythonShare, Infinity) < NEGLIGIBLE_CEILING) {
    r.decision = 'downgraded';
    r.staticVerdict = module.verdict;
    module.reasons.unshift(reasonOf(r, 'negligible-ceiling',
      `measured beats static: ${staticView}, but ${measured}. Below ${times(NEGLIGIBLE_CEILING)} a rewrite cannot pay: keep-python (profile a workload that exercises it to revisit)`));
    module.verdict = 'keep-python';
    return;
  }
  const cold = module.verdict === 'keep-python';
  const glue = hasSignal(module, 'web-framework') || hasSignal(module, 'native-backed') || (!r.pythonMeasured && hasSignal(module, 'vectorised-call'));
  if (cold && !glue && r.pythonShare >= PROMOTE_PYTHON_SHARE) {
    r.decision = 'promoted';
    r.staticVerdict = module.verdict;
    module.reasons.unshift(reasonOf(r, 'measured-hot',
      `measured beats static: ${staticView} from its code shape, but ${measured}: pyo3-extension (extract the hottest functions)`));
    module.verdict = 'pyo3-extension';
    return;
  }
  if (rewrite) {
    r.decision = 'confirmed';
    module.reasons.unshift(reasonOf(r, 'measured-time', `measured agrees with static: ${staticView}; ${measured}`));
    return;
  }
  if (r.share > 0) module.reasons.push(reasonOf(r, 'measured-time', `${measured}; static and measured views agree: keep-python`));
}

/**
 * Applies the profiles to the classified modules (mutating their verdicts, reasons and `runtime`)
 * and returns what the report header shows. Warnings go to `warnings`.
 */
export function applyRuntimeProfiles(modules: ModuleReport[], profiles: RuntimeProfile[], root: string, warnings: Warning[]): RuntimeSummary {
  const python = modules.filter((m) => m.language === 'python');
  const index = new ModulePathIndex(python.map((m) => m.path), root);
  const usable: { profile: RuntimeProfile; attribution: Attribution; reached: Set<string | null> }[] = [];
  const componentOf = new Map(python.map((m) => [m.path, m.component]));
  const summaries: ProfileSummary[] = [];
  for (const profile of profiles) {
    const attribution = attribute(profile, index);
    summaries.push({
      source: profile.source, format: profile.format, ...(profile.exporter ? { exporter: profile.exporter } : {}),
      ...(profile.elapsedSeconds ? { elapsedSeconds: profile.elapsedSeconds } : {}),
      matchedShare: round4(attribution.matchedShare), modulesMatched: attribution.modules.size,
    });
    warnProfile(profile, attribution, warnings);
    if (attribution.modules.size) usable.push({ profile, attribution, reached: new Set([...attribution.modules.keys()].map((p) => componentOf.get(p) ?? null)) });
  }
  const summary: RuntimeSummary = { profiles: summaries, assumedSpeedup: TYPICAL_RUST_SPEEDUP, negligibleCeiling: NEGLIGIBLE_CEILING };
  if (!usable.length) return summary;
  for (const module of python) {
    let best: ModuleRuntime | undefined;
    for (const { profile, attribution, reached } of usable) {
      // A profile speaks for the components it reached: a run of one service says nothing about another.
      if (!reached.has(module.component)) continue;
      const r = measure(module, profile, attribution);
      if (!best || r.pythonShare > best.pythonShare || (r.pythonShare === best.pythonShare && r.share > best.share)) best = r;
    }
    if (!best) continue;
    module.runtime = best;
    reconcile(module, best);
  }
  return summary;
}

function warnProfile(profile: RuntimeProfile, attribution: Attribution, warnings: Warning[]): void {
  const path = profile.source;
  if (!attribution.modules.size) {
    const files = [...new Set([...profile.stacks.flatMap((s) => s.frames.map((f) => f.file)), ...profile.lines.map((l) => l.file)])].filter(Boolean);
    warnings.push({
      path, code: 'profile',
      message: `no profiled file matches a scanned module (it names ${files.length} file(s), e.g. ${files.slice(0, 3).join(', ') || 'none'}): recorded from another checkout or program? Its measurements are ignored`,
    });
    return;
  }
  const foreign = [...attribution.foreign].sort((a, b) => b[1] - a[1]);
  const foreignShare = attribution.foreignShare;
  if (foreign.length && foreignShare >= 0.01) {
    warnings.push({
      path, code: 'profile',
      message: `${pct(foreignShare)} of the profiled time is in ${foreign.length} file(s) that are neither in the scanned tree nor installed libraries (e.g. ${foreign.slice(0, 3).map(([f, s]) => `${f} ${pct(s)}`).join(', ')}); that time is not attributed to any module`,
    });
  }
  for (const [file, candidates] of attribution.ambiguous) {
    warnings.push({ path, code: 'profile', message: `profiled file ${file} matches several scanned modules equally well (${candidates.slice(0, 4).join(', ')}); its time is not attributed` });
  }
}
