import { factsOf, profileFromFacts, type FileProfile } from '../src/profile.js';
import type { Evidence } from '../src/model.js';
import type { CodeDetector } from '../detectors/types.js';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll } from 'vitest';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const fixture = (name: string): string => join(REPO, 'fixtures', name);

/** Dedents a template literal so snippets can be written indented in tests. */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export async function run(detector: CodeDetector, source: string): Promise<Evidence[]> {
  return detector.detect(await factsOf(source));
}

export async function profileOf(source: string, path = 'mod.py'): Promise<FileProfile> {
  return profileFromFacts(path, await factsOf(source));
}

export const signals = (evidence: Evidence[]): string[] => [...new Set(evidence.map((e) => e.signal))].sort();

/** A maker of temporary folders (mkdtemp under the OS temp dir); they, and any folder adopted, are removed after the test file. */
export function tempDirs(): ((prefix: string) => string) & { adopt: (dir: string) => void } {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  const adopt = (dir: string): void => void made.push(dir);
  return Object.assign((prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    adopt(dir);
    return dir;
  }, { adopt });
}

/** A temporary folder removed after the test file that made it (one maker per test file: vitest loads this module once per file). */
export const tempDir = tempDirs();
