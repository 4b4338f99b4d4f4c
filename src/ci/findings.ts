/**
 * The CI view of a report: one finding per rewrite-candidate module (RS001/RS002), per kernel
 * function of a PyO3 candidate (RS003) and, on request, per unused suppression (RS004).
 * Suppressed findings stay in the list, marked.
 */
import { THRESHOLDS } from '../classify/weights.js';
import { REWRITE_VERDICTS, type Finding, type FunctionSummary, type ModuleReport, type Report } from '../model.js';
import { TS_THRESHOLDS } from '../typescript/classify.js';
import { hashParts } from './fingerprints.js';
import { RULE_BY_KIND } from './rules.js';

/** Functions of a PyO3 candidate module listed as kernels to extract (the RS003 findings). */
export function kernelFunctions(module: ModuleReport): FunctionSummary[] {
  if (module.verdict !== 'pyo3-extension') return [];
  return module.functions.filter((f) => f.name !== '<module>' && f.score >= THRESHOLDS.kernel);
}

/**
 * Functions a function-level suppression comment can target: the RS003 kernels of a PyO3
 * candidate, or the kernel functions of a TS/JS wasm-extension candidate (which have no findings
 * of their own; suppressing all of them suppresses the module).
 */
export function suppressibleFunctions(module: ModuleReport): FunctionSummary[] {
  if (module.verdict === 'wasm-extension') return module.functions.filter((f) => f.name !== '<module>' && f.score >= TS_THRESHOLDS.kernel);
  return kernelFunctions(module);
}

const signed = (x: number): string => (x > 0 ? `+${x}` : String(x));

function topReasons(module: ModuleReport, n = 3): string {
  return module.reasons.filter((r) => r.contribution > 0).slice(0, n).map((r) => `${r.signal} at line ${r.line} (${signed(r.contribution)})`).join(', ');
}

function boundaryNote(fn: FunctionSummary): string {
  const b = fn.boundary;
  if (!b) return '';
  const issues = [b.callsBackIntoPython && 'calls back into Python', b.mutatesGlobals && 'mutates globals', b.doesIO && 'does I/O'].filter(Boolean);
  return b.easy ? ' Plain-value boundary: easy to extract.' : issues.length ? ` Boundary: ${issues.join(', ')}.` : '';
}

/** A module whose verdict is a rewrite (PyO3 extension, move to Rust, WebAssembly kernel). */
export const isCandidate = (m: ModuleReport): boolean => m.language !== 'rust' && REWRITE_VERDICTS.includes(m.verdict);

function moduleFinding(module: ModuleReport, kernels: FunctionSummary[]): Finding | null {
  if (!isCandidate(module)) return null;
  const rule = RULE_BY_KIND[module.verdict as 'pyo3-extension' | 'move-to-rust' | 'wasm-extension'];
  const reasons = topReasons(module);
  const kernelList = kernels.slice(0, 5).map((f) => `${f.name} (line ${f.line}, score ${f.score})`).join(', ');
  const what = { 'pyo3-extension': 'PyO3-extension candidate', 'move-to-rust': 'Move-to-Rust candidate', 'wasm-extension': 'WebAssembly/napi-rs kernel candidate' }[rule.kind as string];
  const message = `${what} (score ${module.score}/100, confidence ${module.confidence}).`
    + (kernelList ? ` Kernel functions: ${kernelList}${kernels.length > 5 ? `, and ${kernels.length - 5} more` : ''}.` : '')
    + (reasons ? ` Strongest evidence: ${reasons}.` : '');
  const content = module.verdict === 'pyo3-extension' && kernels.some((k) => k.fingerprint)
    ? kernels.map((k) => k.fingerprint ?? k.name).sort().join(',')
    : module.fingerprint ?? module.path;
  return {
    ruleId: rule.id, kind: rule.kind, level: rule.level, path: module.path, line: 1, endLine: Math.max(1, module.lines ?? 1),
    score: module.score, message, fingerprint: hashParts(rule.id, content),
    ...(module.suppressed ? { suppressed: module.suppressed } : {}),
    ...(module.baseline ? { baseline: module.baseline } : {}),
  };
}

function kernelFinding(module: ModuleReport, fn: FunctionSummary): Finding {
  const rule = RULE_BY_KIND['kernel-function'];
  const signals = Object.entries(fn.signals).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([s, v]) => `${s} ${v}`).join(', ');
  return {
    ruleId: rule.id, kind: rule.kind, level: rule.level, path: module.path, function: fn.name, line: fn.line, endLine: Math.max(fn.line, fn.endLine),
    score: fn.score, message: `Kernel function \`${fn.name}\` to extract into Rust (score ${fn.score}/100${signals ? `; ${signals}` : ''}).${boundaryNote(fn)}`,
    fingerprint: hashParts(rule.id, fn.fingerprint ?? `${module.path}:${fn.name}`),
    ...(fn.suppressed ? { suppressed: fn.suppressed } : {}),
  };
}

const LANGUAGE_NAME: Record<ModuleReport['language'], string> = { python: 'Python', typescript: 'TypeScript', javascript: 'JavaScript', rust: 'Rust' };

function unusedFindings(module: ModuleReport): Finding[] {
  const rule = RULE_BY_KIND['unused-suppression'];
  return (module.suppressions ?? []).filter((d) => d.used === false).map((d) => {
    const target = d.scope === 'function' ? module.functions.find((f) => f.name === d.function) : undefined;
    const what = d.scope === 'function' ? `function \`${d.function}\`` : 'module';
    return {
      ruleId: rule.id, kind: rule.kind, level: rule.level, path: module.path, line: d.line, endLine: d.line, score: 0,
      message: `Unused suppression: the ${what} has no rewrite finding to keep in ${LANGUAGE_NAME[module.language]} (verdict ${module.verdict}, score ${module.score}).`,
      fingerprint: hashParts(rule.id, target?.fingerprint ?? module.fingerprint ?? module.path, d.scope, d.function ?? '', d.reason),
    };
  });
}

/** Every finding of the report, in module order; RS004 only when asked for. */
export function findingsOf(report: Report, options: { unusedSuppressions?: boolean } = {}): Finding[] {
  const out: Finding[] = [];
  for (const m of report.modules) {
    const kernels = kernelFunctions(m);
    const mf = moduleFinding(m, kernels);
    if (mf) out.push(mf);
    for (const fn of kernels) out.push(kernelFinding(m, fn));
    if (options.unusedSuppressions) out.push(...unusedFindings(m));
  }
  return out;
}
