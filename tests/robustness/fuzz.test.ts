/**
 * Property-based fuzzing: thousands of mutated real sources (the fixtures' Python files with bytes
 * and lines deleted, inserted, swapped and duplicated) and random byte strings go through
 * decode → parse → facts → detect → classify. No exception may escape and every result must stay
 * valid: scores 0–100, a known verdict, confidence 0–1, every line inside the file.
 */
import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyModule } from '../../src/classify/classifier.js';
import { PYTHON_VERDICTS } from '../../src/model.js';
import { scan } from '../../src/pipeline.js';
import { factsOf, profileFromFacts } from '../../src/profile.js';
import { tabErrorLine } from '../../src/python/compile-checks.js';
import { decodeSource } from '../../src/read-source.js';
import { REPO } from '../helpers.js';
import { tempDir } from './helpers.js';
import { expectValidReport } from './report-invariants.js';

function pythonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pythonFiles(path);
    return name.endsWith('.py') ? [path] : [];
  });
}

const SEEDS = pythonFiles(join(REPO, 'fixtures')).map((p) => readFileSync(p)).filter((b) => b.length > 0);

/** Fragments that damage Python structurally rather than just lexically. */
const TOKENS = ['(', ')', '[', ']', '{', '}', ':', '\n', '\r', '\r\n', '\t', '    ', '\\', '"""', "'''", '"', "'", '#', 'def ', 'class ', 'for ', 'while ', 'lambda', 'yield', 'async ', 'await ', 'print ', '@', '**', '%', '\x00', '\ufeff', '\u202e', 'é', '# -*- coding: latin-1 -*-\n', 'f"{', '0x', '1e', 'ñ'].map((t) => Buffer.from(t, t === '\x00' ? 'latin1' : 'utf8'));

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'token'; at: number; token: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'line'; op: 'delete' | 'duplicate' | 'swap' | 'indent-tab'; a: number; b: number }
  | { kind: 'truncate'; at: number };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('token' as const), at: position, token: fc.nat({ max: TOKENS.length - 1 }) }),
  fc.record({ kind: fc.constant('swap' as const), a: position, b: position }),
  fc.record({ kind: fc.constant('line' as const), op: fc.constantFrom('delete' as const, 'duplicate' as const, 'swap' as const, 'indent-tab' as const), a: position, b: position }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
);

function mutate(seed: Buffer, mutations: Mutation[]): Buffer {
  let buf = Buffer.from(seed);
  for (const m of mutations) {
    const at = (p: number): number => Math.floor(p * (buf.length + 1));
    switch (m.kind) {
      case 'delete': buf = Buffer.concat([buf.subarray(0, at(m.at)), buf.subarray(at(m.at) + m.length)]); break;
      case 'insert': buf = Buffer.concat([buf.subarray(0, at(m.at)), m.bytes, buf.subarray(at(m.at))]); break;
      case 'token': buf = Buffer.concat([buf.subarray(0, at(m.at)), TOKENS[m.token], buf.subarray(at(m.at))]); break;
      case 'swap': {
        if (!buf.length) break;
        const a = Math.min(at(m.a), buf.length - 1);
        const b = Math.min(at(m.b), buf.length - 1);
        [buf[a], buf[b]] = [buf[b], buf[a]];
        break;
      }
      case 'line': {
        const lines = buf.toString('latin1').split('\n');
        const a = Math.floor(m.a * lines.length);
        const b = Math.floor(m.b * lines.length);
        if (m.op === 'delete') lines.splice(a, 1);
        else if (m.op === 'duplicate') lines.splice(a, 0, lines[a]);
        else if (m.op === 'swap') [lines[a], lines[b]] = [lines[b], lines[a]];
        else lines[a] = `\t${lines[a]}`;
        buf = Buffer.from(lines.join('\n'), 'latin1');
        break;
      }
      case 'truncate': buf = buf.subarray(0, at(m.at)); break;
    }
  }
  return buf;
}

/** RUSTSCOUT_FUZZ_SCALE scales every property (e.g. 20 for a long soak run); CI uses 1. */
const SCALE = Number(process.env.RUSTSCOUT_FUZZ_SCALE ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));

const mutatedSource = fc.tuple(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 8 }))
  .map(([seed, mutations]) => mutate(SEEDS[seed], mutations));
const randomBytes = fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a));
const randomText = fc.string({ unit: 'binary', maxLength: 512 }).map((s) => Buffer.from(s, 'utf8'));

/** The whole per-file path for one input; throws (failing the property) on any invalid result. */
async function checkOne(bytes: Buffer): Promise<void> {
  const decoded = decodeSource(bytes);
  if ('error' in decoded) {
    expect(decoded.error.length).toBeGreaterThan(0);
    return;
  }
  const text = decoded.text;
  const facts = await factsOf(text, { maxParseMs: 5_000 });
  const profile = profileFromFacts('fuzz.py', facts);
  const last = Math.max(1, profile.totalLines);
  const inFile = (line: number): boolean => Number.isInteger(line) && line >= 1 && line <= last;
  expect(profile.totalLines).toBe(text.split('\n').length);
  for (const line of profile.syntaxErrors) expect(inFile(line), `syntax error line ${line}`).toBe(true);
  for (const e of profile.evidence) expect(inFile(e.line), `${e.signal} at ${e.line} of ${last}`).toBe(true);
  for (const f of profile.functions) expect(inFile(f.line) && inFile(f.endLine) && f.line <= f.endLine, `${f.name} ${f.line}-${f.endLine}`).toBe(true);
  const tab = tabErrorLine(text);
  if (tab !== null) expect(inFile(tab)).toBe(true);
  const c = classifyModule(profile, { fanIn: 0, fanOut: profile.imports.length });
  expect(PYTHON_VERDICTS).toContain(c.verdict);
  expect(Number.isFinite(c.score) && c.score >= 0 && c.score <= 100, `score ${c.score}`).toBe(true);
  expect(Number.isFinite(c.confidence) && c.confidence >= 0 && c.confidence <= 1, `confidence ${c.confidence}`).toBe(true);
  for (const r of c.reasons) expect(inFile(r.line), `reason ${r.signal} at ${r.line}`).toBe(true);
  for (const f of c.functions) expect(Number.isFinite(f.score) && f.score >= 0 && f.score <= 100 && inFile(f.line)).toBe(true);
  for (const v of Object.values(c.features)) expect(Number.isFinite(v)).toBe(true);
}

describe('fuzzing the per-file path', () => {
  it('has real seeds to mutate', () => {
    expect(SEEDS.length).toBeGreaterThanOrEqual(10);
  });

  it('survives 1,500 mutated real sources', async () => {
    await fc.assert(fc.asyncProperty(mutatedSource, checkOne), { numRuns: runs(1_500) });
  }, 60_000 * SCALE);

  it('survives 500 random byte strings and random text', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(randomBytes, randomText), checkOne), { numRuns: runs(500) });
  }, 60_000 * SCALE);
});

describe('fuzzing whole scans', () => {
  it('keeps the report valid and every file accounted for, whatever the files hold', async () => {
    const files = fc.array(fc.tuple(fc.constantFrom('a.py', 'pkg/b.py', 'pkg/__init__.py', 'c d.py', 'requirements.txt', 'pyproject.toml'), fc.oneof(mutatedSource, randomBytes)), { minLength: 1, maxLength: 5 });
    await fc.assert(fc.asyncProperty(files, async (entries) => {
      const root = tempDir('rustscout-fuzz-');
      const written = new Map(entries);
      for (const [name, bytes] of written) {
        mkdirSync(join(root, 'pkg'), { recursive: true });
        writeFileSync(join(root, name), bytes);
      }
      const report = await scan(root);
      expectValidReport(report);
      const accounted = new Set([...report.modules.map((m) => m.path), ...report.warnings.map((w) => w.path)]);
      for (const name of written.keys()) if (name.endsWith('.py')) expect(accounted.has(name), name).toBe(true);
    }), { numRuns: runs(25) });
  }, 60_000 * SCALE);
});
