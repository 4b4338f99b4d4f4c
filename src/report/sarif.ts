/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Renders `report.findings` (or
 * derives them when the CI stage did not run); one rule per finding kind with stable ids.
 * With a baseline, unchanged findings are left out. GitHub's limits (25,000 results per run,
 * 10 MB gzip-compressed upload) are kept by dropping the least important results, with a warning.
 */
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { findingsOf } from '../ci/findings.js';
import { helpTextOf, RULES } from '../ci/rules.js';
import { directiveOf } from '../ci/suppressions.js';
import type { Finding, ModuleReport, Report } from '../model.js';
import { jsonSafe } from './escape.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const FINGERPRINT_KEY = 'rustscout/v1';
export const SRCROOT = '%SRCROOT%';

export interface SarifLimits {
  maxResults: number;
  /** Bytes of the gzip-compressed log. */
  maxGzipBytes: number;
}

export const GITHUB_LIMITS: SarifLimits = { maxResults: 25_000, maxGzipBytes: 10 * 1024 * 1024 };
const MAX_NOTIFICATIONS = 1000;

type Json = Record<string, unknown>;

const encodePath = (path: string): string => path.split('/').map((s) => encodeURIComponent(s)).join('/');

function srcRoot(report: Report): string {
  const prefix = report.ci?.repoPath;
  let top = report.root;
  if (prefix && top.endsWith('/' + prefix)) top = top.slice(0, -prefix.length - 1);
  const href = pathToFileURL(top || '/').href;
  return href.endsWith('/') ? href : href + '/';
}

function uriOf(path: string, report: Report): string {
  const prefix = report.ci?.repoPath && report.root.endsWith('/' + report.ci.repoPath) ? report.ci.repoPath + '/' : '';
  return encodePath(prefix + path);
}

function ruleDescriptor(rule: (typeof RULES)[number]): Json {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.short },
    fullDescription: { text: rule.full },
    // No helpUri: the project has no public documentation URL, and GitHub code scanning does not
    // use one; it shows help.markdown (help.text where Markdown is not rendered) next to each alert.
    help: { text: helpTextOf(rule), markdown: rule.help },
    defaultConfiguration: { level: rule.level },
    properties: { tags: rule.tags, precision: 'medium', 'problem.severity': rule.level === 'note' ? 'recommendation' : 'warning' },
  };
}

const BASELINE_STATE = { new: 'new', worse: 'updated', unchanged: 'unchanged' } as const;

function result(f: Finding, report: Report, ruleIndex: number, language: ModuleReport['language']): Json {
  const out: Json = {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.level,
    message: { text: f.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: uriOf(f.path, report), uriBaseId: SRCROOT },
        region: { startLine: f.line, endLine: Math.max(f.line, f.endLine) },
      },
      ...(f.function ? { logicalLocations: [{ name: f.function.split('.').pop(), fullyQualifiedName: f.function, kind: 'function' }] } : {}),
    }],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties: { score: f.score },
  };
  if (f.baseline) out.baselineState = BASELINE_STATE[f.baseline];
  if (f.suppressed) {
    const s = f.suppressed;
    out.suppressions = [{
      kind: s.kind === 'config' ? 'external' : 'inSource',
      status: 'accepted',
      justification: s.reason || `suppressed by a ${s.kind === 'config' ? 'configuration override' : `${directiveOf(language)} comment`}`,
      ...(s.line ? { location: { physicalLocation: { artifactLocation: { uri: uriOf(f.path, report), uriBaseId: SRCROOT }, region: { startLine: s.line } } } } : {}),
    }];
  }
  return out;
}

const LEVEL_RANK = { error: 0, warning: 1, note: 2 } as const;

/** Most important first: unsuppressed, new or worse, higher level, higher score; then by place. */
function byImportance(a: Finding, b: Finding): number {
  return Number(!!a.suppressed) - Number(!!b.suppressed)
    || LEVEL_RANK[a.level] - LEVEL_RANK[b.level]
    || b.score - a.score
    || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
    || a.line - b.line;
}

export interface SarifBuild {
  log: Json;
  text: string;
  dropped: number;
  reason?: string;
}

export function buildSarif(report: Report, limits: SarifLimits = GITHUB_LIMITS): SarifBuild {
  const all = (report.findings ?? findingsOf(report)).filter((f) => f.baseline !== 'unchanged');
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const languageOf = new Map(report.modules.map((m) => [m.path, m.language]));
  let kept = [...all].sort(byImportance);
  let reason: string | undefined;
  if (kept.length > limits.maxResults) {
    kept = kept.slice(0, limits.maxResults);
    reason = `${all.length} results exceed the limit of ${limits.maxResults} per run`;
  }
  const notifications = report.warnings.slice(0, MAX_NOTIFICATIONS).map((w) => ({
    level: 'warning',
    message: { text: w.message },
    ...(w.path ? { locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(w.path, report), uriBaseId: SRCROOT } } }] } : {}),
    ...(w.code ? { descriptor: { id: w.code } } : {}),
  }));
  const render = (results: Finding[], note?: string): { log: Json; text: string } => {
    const extra = note ? [{ level: 'warning', message: { text: note } }] : [];
    const log: Json = {
      $schema: SARIF_SCHEMA,
      version: '2.1.0',
      runs: [{
        tool: {
          driver: {
            name: 'rustscout',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: RULES.map(ruleDescriptor),
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: [...extra, ...notifications] }],
        originalUriBaseIds: { [SRCROOT]: { uri: srcRoot(report), description: { text: 'The root of the scanned repository.' } } },
        results: [...results].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || a.ruleId.localeCompare(b.ruleId))
          .map((f) => result(f, report, ruleIndex.get(f.ruleId)!, languageOf.get(f.path) ?? 'python')),
        columnKind: 'utf16CodeUnits',
        properties: { summary: report.summary, ...(report.ci ? { rustscout: report.ci } : {}) },
      }],
    };
    // Like the JSON report: invisible and reordering characters (a bidi override in a suppression reason) as \u escapes.
    return { log, text: jsonSafe(JSON.stringify(log, null, 2)) + '\n' };
  };
  const note = (n: number, why: string): string => `rustscout kept the ${n} most important of ${all.length} results: ${why}`;
  let out = render(kept, reason && note(kept.length, reason));
  for (let guard = 0; guard < 20; guard++) {
    const size = gzipSync(out.text).length;
    if (size <= limits.maxGzipBytes) break;
    const n = Math.max(0, Math.floor(kept.length * (limits.maxGzipBytes / size) * 0.9));
    reason = `the log exceeds ${Math.round(limits.maxGzipBytes / 1024)} KiB gzip-compressed`;
    kept = kept.slice(0, n);
    out = render(kept, note(kept.length, reason));
  }
  return { ...out, dropped: all.length - kept.length, ...(reason ? { reason } : {}) };
}

export function renderSarif(report: Report, warn: (message: string) => void = () => {}, limits: SarifLimits = GITHUB_LIMITS): string {
  const built = buildSarif(report, limits);
  if (built.dropped > 0) warn(`SARIF truncated: dropped ${built.dropped} least important result(s) because ${built.reason}`);
  return built.text;
}
