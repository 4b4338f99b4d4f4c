/**
 * The CI stage, run after the scan and before rendering:
 * suppressions → write baseline → changed-files scope → findings → baseline comparison → gate.
 * It only annotates and narrows the report; renderers read `report.findings` and `report.ci`.
 */
import { REWRITE_VERDICTS, type CiContext, type ModuleReport, type Verdict, type Report, type Suppression } from '../model.js';
import type { RustscoutConfig } from '../config.js';
import { baselineOf, compareWithBaseline, readBaseline, writeBaseline } from './baseline.js';
import { changedFiles, gitLocation } from './changed-files.js';
import { failsGate, gateIsActive, type GatePolicy } from './fail-on.js';
import { findingsOf, suppressibleFunctions } from './findings.js';
import { applySuppressions } from './suppressions.js';

export interface CiSettings {
  root: string;
  config?: RustscoutConfig;
  failOn?: Verdict[];
  minScore?: number;
  baseline?: string;
  writeBaseline?: string;
  changedSince?: string;
  reportUnusedSuppressions?: boolean;
  /** Resolve where the root sits in its git work tree (for SARIF URIs and Markdown links). */
  locateInGit?: boolean;
  /** Prefix for links to source lines; defaults from GITHUB_SERVER_URL/GITHUB_REPOSITORY/GITHUB_SHA. */
  linkBase?: string;
  env?: Record<string, string | undefined>;
  /** Verbose log lines (stderr). */
  log?: (message: string) => void;
}

export interface CiOutcome {
  report: Report;
  failing: ModuleReport[];
}

function summarise(modules: ModuleReport[]): Record<string, number> {
  const summary: Record<string, number> = { 'keep-python': 0, 'pyo3-extension': 0, 'move-to-rust': 0 };
  for (const m of modules) summary[m.verdict] = (summary[m.verdict] ?? 0) + 1;
  return summary;
}

function configSuppressionFor(path: string, config: RustscoutConfig | undefined): Suppression | undefined {
  if (!config) return undefined;
  let out: Suppression | undefined;
  for (const o of config.overrides) {
    if (o.suppress && config.overrideMatches(o, path)) out = { kind: 'config', reason: o.suppress, source: config.file };
  }
  return out;
}

/** The gate for one module: the global policy with every matching override applied in order. */
function policyFor(path: string, settings: CiSettings): GatePolicy {
  const policy: GatePolicy = { failOn: settings.failOn, minScore: settings.minScore };
  for (const o of settings.config?.overrides ?? []) {
    if (!settings.config!.overrideMatches(o, path)) continue;
    if (o.failOn !== undefined) policy.failOn = o.failOn;
    if (o.minScore !== undefined) policy.minScore = o.minScore;
  }
  return policy;
}

export function linkBaseFromEnv(env: Record<string, string | undefined>): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  if (!server || !repo || !sha || !/^[\w.-]+\/[\w.-]+$/.test(repo) || !/^[0-9a-f]{7,64}$/i.test(sha) || !/^https?:\/\/[^\s]+$/.test(server)) return undefined;
  return `${server.replace(/\/+$/, '')}/${repo}/blob/${sha}/`;
}

export async function applyCi(report: Report, settings: CiSettings): Promise<CiOutcome> {
  const log = settings.log ?? (() => {});
  const ci: CiContext = {};
  if (settings.config) ci.config = settings.config.file;

  for (const m of report.modules) {
    if (m.language !== 'rust') applySuppressions(m, suppressibleFunctions(m), configSuppressionFor(m.path, settings.config));
  }

  if (settings.writeBaseline) {
    const baseline = baselineOf(report.modules, report.tool.version);
    await writeBaseline(settings.writeBaseline, baseline);
    log(`wrote baseline ${settings.writeBaseline} (${baseline.modules.length} modules)`);
  }

  let modules = report.modules;
  if (settings.changedSince) {
    const changed = await changedFiles(settings.root, settings.changedSince);
    modules = modules.filter((m) => changed.files.has(m.path));
    ci.changedSince = { ref: changed.ref, base: changed.base, changedModules: modules.length };
    log(`changed since ${changed.ref} (merge base ${changed.base.slice(0, 12)}): ${changed.files.size} files, ${modules.length} modules in scope`);
  }
  const out: Report = { ...report, modules, summary: settings.changedSince ? summarise(modules) : report.summary };

  const findings = findingsOf(out, { unusedSuppressions: settings.reportUnusedSuppressions });
  if (settings.baseline) {
    const baseline = await readBaseline(settings.baseline);
    const counts = compareWithBaseline(modules, findings, baseline);
    ci.baseline = { file: settings.baseline, ...counts };
    log(`baseline ${settings.baseline}: ${counts.new} new, ${counts.worse} worse, ${counts.unchanged} unchanged findings`);
  }
  if (settings.reportUnusedSuppressions) {
    const unused = findings.filter((f) => f.kind === 'unused-suppression');
    out.warnings = [...out.warnings, ...unused.map((f) => ({ path: f.path, message: `line ${f.line}: ${f.message}` }))];
  }

  const policies = modules.map((m) => ({ m, policy: policyFor(m.path, settings) }));
  const failing = policies.filter(({ m, policy }) => failsGate(m, policy)).map(({ m }) => m);
  const global: GatePolicy = { failOn: settings.failOn, minScore: settings.minScore };
  if (gateIsActive(global) || policies.some(({ policy }) => gateIsActive(policy))) {
    ci.failOn = {
      verdicts: settings.failOn ?? (settings.minScore !== undefined ? [...REWRITE_VERDICTS] : []),
      ...(settings.minScore !== undefined ? { minScore: settings.minScore } : {}),
      failing: failing.map((m) => m.path),
    };
  }

  if (settings.locateInGit) {
    const where = await gitLocation(settings.root);
    if (where) ci.repoPath = where.prefix;
  }
  const linkBase = settings.linkBase ?? linkBaseFromEnv(settings.env ?? {});
  if (linkBase) ci.linkBase = linkBase;

  out.findings = findings;
  out.ci = ci;
  return { report: out, failing };
}
