/**
 * py-spy `record --format raw`: Brendan Gregg's collapsed stacks, one distinct stack per line,
 * outermost frame first, frames joined by `;`, then a space and the sample count:
 *
 *   process 4242:"python bench.py";thread (4243): MainThread;<module> (bench.py:9);blur (shop/filters.py:28) 311
 *
 * A frame is `name (file:line)`, `name (file)` with --nolineno, or a bare name. The `process …`
 * (--subprocesses) and `thread (…)` (--threads) pseudo-frames carry no code and are dropped.
 */
import { ProfileError, type ProfileFrame, type RuntimeProfile, type StackSample } from './types.js';

const WITH_LINE = /^(.*?) \((.*):(\d+)\)$/;
const WITHOUT_LINE = /^(.*?) \((.+)\)$/;
const PSEUDO = /^(process \d+:|thread \()/;

export function parseRawFrame(text: string): ProfileFrame | null {
  if (PSEUDO.test(text)) return null;
  const m = WITH_LINE.exec(text);
  if (m) return { name: m[1], file: m[2], line: Number(m[3]) };
  const n = WITHOUT_LINE.exec(text);
  if (n) return { name: n[1], file: n[2], line: 0 };
  return { name: text, file: '', line: 0 };
}

export function readPySpyRaw(text: string, source: string): RuntimeProfile {
  const stacks: StackSample[] = [];
  let bad = 0;
  let firstBad = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const space = line.lastIndexOf(' ');
    const count = space > 0 ? Number(line.slice(space + 1)) : NaN;
    if (!Number.isFinite(count) || count < 0) {
      bad++;
      firstBad ||= i + 1;
      return;
    }
    const frames = line.slice(0, space).split(';').map(parseRawFrame).filter((f): f is ProfileFrame => f !== null);
    if (frames.length) stacks.push({ frames, weight: count });
  });
  if (!stacks.length) throw new ProfileError(bad ? `not py-spy raw output: line ${firstBad} does not end in a sample count` : 'empty profile: no stacks');
  return { source, format: 'py-spy-raw', separatesNative: false, stacks, lines: [] };
}
