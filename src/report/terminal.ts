import type { Report } from '../model.js';
import { terminalSafe } from './escape.js';
import { verdictRank } from './verdict-order.js';

/** Kept modules listed (highest scores first, the near misses); every other verdict is always listed. */
export const KEEP_ROWS = 40;

const isKeep = (verdict: string): boolean => verdict.startsWith('keep-');

function pad(text: string, width: number): string {
  const t = text.length > width ? text.slice(0, width - 1) + '…' : text;
  return t + ' '.repeat(Math.max(0, width - t.length));
}

export function renderTerminal(report: Report): string {
  const lines: string[] = [];
  lines.push(`rustscout ${report.tool.version} — ${terminalSafe(report.root)}`);
  lines.push('');
  if (report.components.length) {
    lines.push('Components');
    // a name several components of one kind share (test packages copied from one template) is told apart by its path
    const key = (c: Report['components'][number]): string => `${c.kind}\0${c.name}`;
    const named = new Map<string, number>();
    for (const c of report.components) named.set(key(c), (named.get(key(c)) ?? 0) + 1);
    const labelOf = (c: Report['components'][number]): string => ((named.get(key(c)) ?? 0) > 1 ? `${c.name} (${c.path})` : c.name);
    const labelWidth = Math.min(48, Math.max(24, ...report.components.map((c) => labelOf(c).length)));
    for (const c of report.components) {
      const counts = Object.entries(c.summary).map(([v, n]) => `${n} ${v}`).join(', ');
      lines.push(`  ${pad(terminalSafe(labelOf(c)), labelWidth)} ${pad(c.kind, 15)} ${pad(c.verdict ?? '-', 15)} ${String(c.modules).padStart(4)} modules ${String(c.loc).padStart(7)} loc  ${counts}`);
    }
    lines.push('');
  }
  const sorted = [...report.modules].sort((a, b) => verdictRank(a.verdict) - verdictRank(b.verdict) || b.score - a.score || a.path.localeCompare(b.path));
  const kept = sorted.filter((m) => isKeep(m.verdict)).sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
  const shown = new Set(kept.slice(0, KEEP_ROWS));
  const modules = sorted.filter((m) => !isKeep(m.verdict) || shown.has(m));
  const hidden = kept.length - shown.size;
  const pathWidth = Math.min(48, Math.max(12, ...modules.map((m) => m.path.length)));
  lines.push(`${pad('MODULE', pathWidth)}  ${pad('VERDICT', 15)} SCORE  CONF   LOC  TOP REASONS`);
  for (const m of modules) {
    const top = m.reasons.slice(0, 3).map((r) => `${r.signal}@${r.line}${r.contribution ? ` (${r.contribution > 0 ? '+' : ''}${r.contribution})` : ''}`).join(', ');
    lines.push(`${pad(terminalSafe(m.path), pathWidth)}  ${pad(m.verdict, 15)} ${String(m.score).padStart(5)}  ${m.confidence.toFixed(2)} ${String(m.loc).padStart(5)}  ${terminalSafe(top)}`);
  }
  if (hidden > 0) lines.push(`… and ${hidden} more kept module(s), scoring ${kept[KEEP_ROWS].score} or less (every module: --format json, markdown or html)`);
  lines.push('');
  lines.push(Object.entries(report.summary).map(([v, n]) => `${n} ${v}`).join(' · '));
  const native = report.native;
  if (native && (native.nativeHotLoc > 0 || native.pairs.length > 0)) {
    const twins = native.pairs.length ? `; ${native.pairs.length} Python↔Rust twin(s), ${native.untestedTwins} without a parity test` : '';
    lines.push(`native: ${Math.round(native.share * 100)}% of hot code is already Rust (${native.nativeHotLoc} of ${native.hotLoc} lines)${twins}`);
  }
  if (report.warnings.length) {
    lines.push('');
    lines.push(`${report.warnings.length} warning(s):`);
    for (const w of report.warnings.slice(0, 50)) lines.push(`  ${terminalSafe(w.path)}: ${terminalSafe(w.message)}`);
    if (report.warnings.length > 50) lines.push(`  … and ${report.warnings.length - 50} more (see --format json)`);
  }
  return lines.join('\n') + '\n';
}
