/** Shared by the eval and held-out scripts: command-line values, the CLI scan, ranking statistics, tables. */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../src/model.js';

/** The built CLI the scripts run. */
export const CLI = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'dist', 'src', 'cli.js');

/** Runs the built CLI (`scan <dir> --format json --output <out> --no-config --no-cache …extra`) and reads the report it wrote. */
export function scanToJson(dir: string, out: string, label: string, extra: string[] = []): Report {
  const started = Date.now();
  const res = spawnSync(process.execPath, [CLI, 'scan', dir, '--format', 'json', '--output', out, '--no-config', '--no-cache', ...extra], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  if (res.status !== 0) throw new Error(`rustscout scan ${label} exited ${res.status}`);
  console.log(`scanned ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return JSON.parse(readFileSync(out, 'utf8')) as Report;
}

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export const flag = (name: string): boolean => process.argv.includes(name);

/** ROC AUC with ties counted half (Mann–Whitney U); NaN without both classes. */
export function rocAuc(scores: number[], positive: boolean[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    for (let k = i; k <= j; k++) ranks[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let pos = 0;
  let rankSum = 0;
  positive.forEach((p, i) => {
    if (p) {
      pos++;
      rankSum += ranks[i];
    }
  });
  const neg = positive.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function precisionRecall(flagged: boolean[], positive: boolean[]): { precision: number; recall: number; flagged: number; hits: number } {
  let hits = 0;
  let f = 0;
  let p = 0;
  flagged.forEach((x, i) => {
    if (x) f++;
    if (positive[i]) p++;
    if (x && positive[i]) hits++;
  });
  return { precision: f ? hits / f : 0, recall: p ? hits / p : 0, flagged: f, hits };
}

/** Precision at the smallest top-k whose recall reaches `recall` (ties broken pessimistically). */
export function precisionAtRecall(scores: number[], positive: boolean[], recall: number): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || Number(positive[a]) - Number(positive[b]));
  const total = positive.filter(Boolean).length;
  let tp = 0;
  for (let k = 0; k < order.length; k++) {
    if (positive[order[k]]) tp++;
    if (tp / total >= recall) return tp / (k + 1);
  }
  return 0;
}

export const fmtRate = (x: number): string => (Number.isNaN(x) ? '  n/a' : x.toFixed(3));

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}
