import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model.js';
import { ParseTimeoutError } from '../../src/python/parser.js';
import { FINGERPRINT_KEY } from '../../src/report/sarif.js';
import { profileRust } from '../../src/rust/profile.js';
import { profileTypeScript } from '../../src/typescript/profile.js';
import { cli, edit, tempCopy } from '../ci/helpers.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const contentOf = (src: string, path = 'm.ts') => profileTypeScript(path, src, path.endsWith('.js') ? 'javascript' : 'typescript').content!;
const fnPrint = (src: string, name: string): string => contentOf(src).functions.find((f) => f.name === name)!.fingerprint;

const KERNEL = `export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function scale(a: Float64Array, k: number): void {
  for (let i = 0; i < a.length; i++) a[i] *= k;
}
`;

describe('TS/JS content fingerprints', () => {
  it('survive comments, blank lines, re-indentation and moved functions; change when the code changes', () => {
    const base = contentOf(KERNEL);
    expect(base.functions.map((f) => f.name)).toEqual(['dot', 'scale']);
    const reshaped = `// vector helpers\n\n/** scales in place */\n${KERNEL.split('\n\n').reverse().join('\n\n\n').replace(/^ {2}/gm, '    ')}`;
    expect(fnPrint(reshaped, 'dot')).toBe(fnPrint(KERNEL, 'dot'));
    expect(fnPrint(reshaped, 'scale')).toBe(fnPrint(KERNEL, 'scale'));
    const edited = KERNEL.replace('s += a[i] * b[i]', 's += a[i] * b[i] * 2');
    expect(fnPrint(edited, 'dot')).not.toBe(fnPrint(KERNEL, 'dot'));
    expect(fnPrint(edited, 'scale')).toBe(fnPrint(KERNEL, 'scale'));
    expect(contentOf(edited).fingerprint).not.toBe(base.fingerprint);
    expect(contentOf(`/* header */\n${KERNEL}// trailer\n`).fingerprint).toBe(base.fingerprint);
  });

  it('reads template literals and regular expressions whole, so `//` inside them does not hide code', () => {
    const template = (n: number) => `export function f(b: string) {\n  const s = \`a\${b}c // not a comment\`; const y = ${n};\n  return s + y;\n}\n`;
    expect(fnPrint(template(1), 'f')).not.toBe(fnPrint(template(2), 'f'));
    const regex = (n: number) => `export function g(t: string) {\n  const re = /a\\/\\/b/; const y = ${n};\n  return re.test(t) ? y : 0;\n}\n`;
    expect(fnPrint(regex(1), 'g')).not.toBe(fnPrint(regex(2), 'g'));
    // …while a real comment after them still does not count.
    expect(fnPrint(regex(1).replace('const y = 1;', 'const y = 1; // one'), 'g')).toBe(fnPrint(regex(1), 'g'));
  });
});

describe('TS/JS suppression comments', () => {
  const placed = (src: string, path = 'm.ts') => {
    const p = profileTypeScript(path, src, path.endsWith('.js') ? 'javascript' : 'typescript');
    return { directives: p.content!.suppressions, problems: p.directiveProblems ?? [] };
  };

  it('apply to the module, to the function below (through JSDoc and decorators), on its first line, or inside its body', () => {
    const r = placed([
      '// rustscout: keep-typescript -- runs once per deploy', // 1
      'import { x } from "./x";',
      '',
      '// rustscout: keep-typescript -- above, through JSDoc', // 4
      '/**',
      ' * Sums.',
      ' */',
      'export function sum(a: number[]) { let s = 0; for (const v of a) s += v; return s; }',
      '',
      'function inline(a: number) { // rustscout: keep-typescript -- on its line', // 10
      '  return a * 2;',
      '}',
      '',
      'class Grid {',
      '  /* rustscout: keep-javascript -- block comment, either keyword */', // 15
      '  @memo({ size: 2,',
      '    ttl: 0 })',
      '  cell(i: number) {',
      '    // rustscout: keep-typescript -- inside the body', // 19
      '    return i;',
      '  }',
      '}',
    ].join('\n'));
    expect(r.directives.map((d) => [d.line, d.scope, d.function, d.reason])).toEqual([
      [1, 'module', undefined, 'runs once per deploy'],
      [4, 'function', 'sum', 'above, through JSDoc'],
      [10, 'function', 'inline', 'on its line'],
      [15, 'function', 'Grid.cell', 'block comment, either keyword'],
      [19, 'function', 'Grid.cell', 'inside the body'],
    ]);
    expect(r.problems).toEqual([]);
  });

  it('reports malformed directives and ignores the words in strings', () => {
    const r = placed('const s = "// rustscout: keep-typescript";\n// rustscout: keep-ts -- typo\nexport const x = 1;\n', 'm.js');
    expect(r.directives).toEqual([]);
    expect(r.problems).toEqual([{ line: 2, message: expect.stringContaining('expected "keep-typescript -- reason"') }]);
  });
});

describe('TS/JS suppressions and fingerprints end to end', () => {
  const HEATMAP = 'web/dashboard/src/heatmap.ts';
  const CONFIG = 'services/ingest/src/config.ts';

  async function scanJson(dir: string, extra: string[] = []): Promise<{ code: number; report: Report; stderr: string }> {
    const r = await cli(['scan', dir, '--format', 'json', '--no-git', ...extra]);
    return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
  }

  it('a module comment suppresses a wasm-extension candidate; SARIF keeps its content fingerprint', async () => {
    const dir = tempCopy('polyglot-monorepo');
    const sarifOf = async (): Promise<Json> => JSON.parse((await cli(['scan', dir, '--format', 'sarif', '--no-git'])).stdout).runs[0].results
      .find((r: Json) => r.locations[0].physicalLocation.artifactLocation.uri.endsWith(HEATMAP));
    const before = await sarifOf();
    expect(before.ruleId).toBe('RS005');
    expect(before.suppressions).toBeUndefined();

    edit(dir, HEATMAP, (t) => '// rustscout: keep-typescript -- the grid is 64×64, WebAssembly would not pay\n\n' + t);
    const { code, report } = await scanJson(dir, ['--fail-on', 'wasm']);
    expect(code).toBe(0);
    const m = report.modules.find((x) => x.path === HEATMAP)!;
    expect(m.verdict).toBe('wasm-extension');
    expect(m.suppressed).toEqual({ kind: 'module', reason: 'the grid is 64×64, WebAssembly would not pay', line: 1 });
    const after = await sarifOf();
    expect(after.suppressions).toEqual([expect.objectContaining({ kind: 'inSource', justification: 'the grid is 64×64, WebAssembly would not pay' })]);
    // Lines moved and a comment added: the same code, so the same alert.
    expect(after.partialFingerprints[FINGERPRINT_KEY]).toBe(before.partialFingerprints[FINGERPRINT_KEY]);
    edit(dir, HEATMAP, (t) => t.replace('TAPS[k + 2]', 'TAPS[2 + k]'));
    expect((await sarifOf()).partialFingerprints[FINGERPRINT_KEY]).not.toBe(before.partialFingerprints[FINGERPRINT_KEY]);
  }, 60_000);

  it('function comments suppress kernels one by one, and the module once every kernel is; stale ones are RS004', async () => {
    const dir = tempCopy('polyglot-monorepo');
    const kernels = ['blur', 'densityHeatmap', 'gridHash'];
    edit(dir, HEATMAP, (t) => t.replace('export function blur(', '// rustscout: keep-typescript -- blur is cheap here\nexport function blur('));
    edit(dir, CONFIG, (t) => '// rustscout: keep-typescript -- stale\n' + t);
    edit(dir, 'web/dashboard/src/format.js', (t) => '// rustscout: keep-js -- typo\n' + t);
    let { code, report } = await scanJson(dir, ['--fail-on', 'wasm', '--report-unused-suppressions']);
    expect(code).toBe(1);
    expect(report.warnings).toContainEqual({ path: 'web/dashboard/src/format.js', message: expect.stringMatching(/^line 1: unrecognised rustscout directive "keep-js -- typo"/) });
    let m = report.modules.find((x) => x.path === HEATMAP)!;
    expect(m.suppressed).toBeUndefined();
    expect(m.functions.find((f) => f.name === 'blur')!.suppressed?.reason).toBe('blur is cheap here');
    const unused = report.findings!.filter((f) => f.ruleId === 'RS004');
    expect(unused.map((f) => [f.path, f.line])).toEqual([[CONFIG, 1]]);
    expect(unused[0].message).toMatch(/no rewrite finding to keep in TypeScript \(verdict keep-typescript/);

    for (const name of kernels.filter((k) => k !== 'blur')) {
      edit(dir, HEATMAP, (t) => t.replace(`export function ${name}(`, `// rustscout: keep-typescript -- small grids\nexport function ${name}(`));
    }
    ({ code, report } = await scanJson(dir, ['--fail-on', 'wasm']));
    expect(code).toBe(0);
    m = report.modules.find((x) => x.path === HEATMAP)!;
    expect(m.suppressed).toMatchObject({ kind: 'function', reason: 'blur is cheap here; small grids' });
  }, 60_000);
});

describe('parse budget for TypeScript and Rust (--max-parse-ms)', () => {
  const bigTs = Array.from({ length: 4_000 }, (_, i) => `export function f${i}(a: number) { return a * ${i} + (a >> 1); }`).join('\n');
  const bigRust = Array.from({ length: 20_000 }, (_, i) => `pub fn f${i}(a: u64) -> u64 { a * ${i} + (a >> 1) }`).join('\n');

  it('gives up a TypeScript file over budget, and parses it within a generous one', () => {
    expect(() => profileTypeScript('big.ts', bigTs, 'typescript', { maxParseMs: 0 })).toThrow(ParseTimeoutError);
    expect(profileTypeScript('big.ts', bigTs, 'typescript', { maxParseMs: 600_000 }).functions).toHaveLength(4_001);
  });

  it('cancels a Rust parse over budget; the parser stays usable', async () => {
    await expect(profileRust('big.rs', bigRust, { maxParseMs: 0 })).rejects.toBeInstanceOf(ParseTimeoutError);
    expect((await profileRust('small.rs', 'pub fn f(a: u64) -> u64 { let mut s = 0; for i in 0..a { s += i; } s }\n', { maxParseMs: 600_000 })).kernels.map((k) => k.name)).toEqual(['f']);
  });
});
