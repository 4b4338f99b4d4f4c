/**
 * Markdown for $GITHUB_STEP_SUMMARY or a pull-request comment: the gate outcome, counts per
 * verdict, then the top candidates (new ones first) with reasons and links to their lines.
 * Everything taken from the scanned code (paths, names, messages) is escaped.
 */
import { isCandidate, kernelFunctions } from '../ci/findings.js';
import type { Finding, ModuleReport, Report } from '../model.js';
import { markdownSafe } from './escape.js';
import { verdictRank } from './verdict-order.js';

export const TOP_CANDIDATES = 20;

/** Percent-encodes a path for a link target (keeps `/`; encodes spaces, parentheses, quotes…). */
function linkPath(path: string): string {
  return path.split('/').map((s) => encodeURIComponent(s).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}

function lineLink(report: Report, path: string, line: number, endLine?: number): string {
  const prefix = report.ci?.repoPath ? report.ci.repoPath + '/' : '';
  const anchor = endLine && endLine > line ? `#L${line}-L${endLine}` : `#L${line}`;
  return `${report.ci?.linkBase ?? ''}${linkPath(prefix + path)}${anchor}`;
}

const link = (text: string, target: string): string => `[${markdownSafe(text)}](${target})`;

const BADGE: Record<string, string> = { new: '🆕 new', worse: '⬆️ worse', unchanged: 'known' };

function reasonsCell(report: Report, m: ModuleReport): string {
  return m.reasons.filter((r) => r.contribution > 0).slice(0, 3)
    .map((r) => `${link(`${r.signal}@${r.line}`, lineLink(report, m.path, r.line))} (+${r.contribution})`).join(', ') || '—';
}

function kernelsCell(report: Report, m: ModuleReport): string {
  const kernels = kernelFunctions(m);
  if (!kernels.length) return '—';
  const shown = kernels.slice(0, 3).map((f) => `${link(f.name, lineLink(report, m.path, f.line, f.endLine))} (${f.score})`);
  return shown.join(', ') + (kernels.length > 3 ? `, +${kernels.length - 3}` : '');
}

export function renderMarkdown(report: Report): string {
  // Without the CI stage there are no RS004 findings (findingsOf only adds them on request).
  const findings = report.findings ?? [];
  const candidates = report.modules.filter(isCandidate);
  const active = candidates.filter((m) => !m.suppressed);
  const fresh = active.filter((m) => m.baseline !== 'unchanged');
  const lines: string[] = [];
  const ci = report.ci;

  const headline = ci?.baseline
    ? `${fresh.length} new or worse rewrite candidate${fresh.length === 1 ? '' : 's'}`
    : `${active.length} rewrite candidate${active.length === 1 ? '' : 's'}`;
  lines.push(`## rustscout: ${headline}`, '');

  if (ci?.failOn) {
    const gate = [ci.failOn.verdicts.length ? `fail-on ${ci.failOn.verdicts.join(', ')}` : '', ci.failOn.minScore !== undefined ? `min-score ${ci.failOn.minScore}` : ''].filter(Boolean).join(', ');
    lines.push(ci.failOn.failing.length
      ? `❌ **Check failed**: ${ci.failOn.failing.length} ${ci.failOn.failing.length === 1 ? 'module matches' : 'modules match'} ${markdownSafe(gate)}.`
      : `✅ **Check passed**: no new, unsuppressed module matches ${markdownSafe(gate)}.`, '');
  }
  const scope: string[] = [];
  if (ci?.changedSince) scope.push(`modules changed since \`${ci.changedSince.ref.replace(/`/g, '')}\` (${ci.changedSince.changedModules} in scope)`);
  if (ci?.baseline) scope.push(`compared with the baseline: ${ci.baseline.new} new, ${ci.baseline.worse} worse, ${ci.baseline.unchanged} unchanged findings`);
  if (scope.length) lines.push(`Scope: ${scope.join('; ')}.`, '');

  lines.push('| verdict | modules |', '| --- | ---: |');
  const counts = Object.entries(report.summary).sort((a, b) => verdictRank(a[0]) - verdictRank(b[0]));
  for (const [verdict, n] of counts) lines.push(`| ${verdict} | ${n} |`);
  lines.push('');

  const rank = (m: ModuleReport): number => (m.baseline === 'new' ? 0 : m.baseline === 'worse' ? 1 : 2);
  const ordered = [...active].sort((a, b) => rank(a) - rank(b) || b.score - a.score || (a.path < b.path ? -1 : 1));
  if (ordered.length) {
    lines.push(`### Top candidates${ordered.length > TOP_CANDIDATES ? ` (${TOP_CANDIDATES} of ${ordered.length})` : ''}`, '');
    const withState = !!ci?.baseline;
    lines.push(`|${withState ? ' status |' : ''} module | verdict | score | confidence | kernel functions | top reasons |`);
    lines.push(`|${withState ? ' --- |' : ''} --- | --- | ---: | ---: | --- | --- |`);
    for (const m of ordered.slice(0, TOP_CANDIDATES)) {
      const state = withState ? ` ${BADGE[m.baseline ?? 'new']} |` : '';
      lines.push(`|${state} ${link(m.path, lineLink(report, m.path, 1, m.lines))} | ${m.verdict} | ${m.score} | ${m.confidence.toFixed(2)} | ${kernelsCell(report, m)} | ${reasonsCell(report, m)} |`);
    }
    lines.push('');
  } else lines.push('No rewrite candidates.', '');

  const suppressed = candidates.filter((m) => m.suppressed);
  if (suppressed.length) {
    lines.push(`<details><summary>${suppressed.length} suppressed candidate${suppressed.length === 1 ? '' : 's'}</summary>`, '');
    for (const m of suppressed) {
      const s = m.suppressed!;
      const where = s.line ? link(`line ${s.line}`, lineLink(report, m.path, s.line)) : 'configuration';
      lines.push(`- ${link(m.path, lineLink(report, m.path, 1, m.lines))} (${m.verdict}, ${m.score}): ${s.reason ? markdownSafe(s.reason) : '_no reason given_'} — ${where}`);
    }
    lines.push('', '</details>', '');
  }

  const unused = findings.filter((f: Finding) => f.kind === 'unused-suppression');
  if (unused.length) {
    lines.push(`### Unused suppressions (${unused.length})`, '');
    for (const f of unused.slice(0, 50)) lines.push(`- ${link(`${f.path}:${f.line}`, lineLink(report, f.path, f.line))}: ${markdownSafe(f.message)}`);
    lines.push('');
  }

  if (report.warnings.length) lines.push(`${report.warnings.length} file warning${report.warnings.length === 1 ? '' : 's'} (see \`--format json\`).`, '');
  lines.push(`<sub>rustscout ${markdownSafe(report.tool.version)}</sub>`);
  return lines.join('\n') + '\n';
}
