import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/ci/rules.js';
import type { Report } from '../../src/model.js';
import { buildSarif, FINGERPRINT_KEY, GITHUB_LIMITS, renderSarif } from '../../src/report/sarif.js';
import { REPO, tempDir } from '../helpers.js';
import { cli, edit, gitRepo, tempCopy } from './helpers.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const FILTERS = 'shopfront/imaging/filters.py';

async function sarifOf(args: string[]): Promise<{ code: number; log: Json; text: string; stderr: string }> {
  const r = await cli(['scan', ...args, '--format', 'sarif']);
  return { code: r.code, log: r.stdout ? JSON.parse(r.stdout) : null, text: r.stdout, stderr: r.stderr };
}

/** The polyglot fixture loads the TypeScript compiler (seconds): scan it once for the whole file. */
let polyglot: Promise<{ code: number; log: Json; text: string; stderr: string }> | undefined;
const polyglotSarif = () => (polyglot ??= sarifOf([join(REPO, 'fixtures', 'polyglot-monorepo')]));

/** The official validator: @microsoft/sarif-multitool ships a self-contained .NET binary per platform. */
function multitool(): string {
  const require = createRequire(join(REPO, 'package.json'));
  const bin: string = require('@microsoft/sarif-multitool');
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    chmodSync(bin, 0o755); // its postinstall does this; .npmrc has ignore-scripts=true
  }
  return bin;
}

interface Validation {
  errors: string[];
  warnings: string[];
  notes: number;
}

/** Runs `Sarif.Multitool validate` (GitHub policy, no network rule) over files; returns its findings by level. */
function validate(files: string[]): Validation {
  const out = join(tempDir('rustscout-sarif-'), 'validation.sarif');
  execFileSync(multitool(), ['validate', '-c', join(REPO, 'tests/ci/sarif-validate.config.xml'), '--level', 'Error;Warning;Note', '-o', out, ...files], {
    encoding: 'utf8', stdio: 'pipe', env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  const results: Json[] = JSON.parse(readFileSync(out, 'utf8')).runs[0].results ?? [];
  const text = (r: Json): string => `${r.ruleId}: ${r.message?.text ?? `${r.message?.id} ${JSON.stringify(r.message?.arguments)}`}`;
  // A result without a level is a warning (SARIF's default level).
  const levelOf = (r: Json): string => r.level ?? 'warning';
  // The one accepted warning: the tool has no informationUri because rustscout has no public URL
  // to give (a placeholder would mislead; GitHub does not use the property).
  const accepted = (r: Json): boolean => r.ruleId === 'SARIF2005' && r.message?.id === 'Warning_ProvideToolnformationUri';
  return {
    errors: results.filter((r) => levelOf(r) === 'error').map(text),
    warnings: results.filter((r) => levelOf(r) === 'warning' && !accepted(r)).map(text),
    notes: results.filter((r) => levelOf(r) === 'note').length,
  };
}

describe('SARIF 2.1.0 output', () => {
  let repo: string;
  let plain: Json;
  beforeAll(async () => {
    repo = gitRepo(tempCopy('webapp-with-kernel'));
    plain = (await sarifOf([repo])).log;
  });

  it('declares the schema, the version, the tool with its version and one rule per finding kind', () => {
    expect(plain.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(plain.version).toBe('2.1.0');
    const driver = plain.runs[0].tool.driver;
    expect(driver.name).toBe('rustscout');
    expect(driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(driver.informationUri).toBeUndefined();
    expect(driver.rules.map((r: Json) => r.id)).toEqual(['RS001', 'RS002', 'RS003', 'RS004', 'RS005']);
    for (const rule of driver.rules) {
      expect(Object.keys(rule)).toEqual(expect.arrayContaining(['shortDescription', 'fullDescription', 'help', 'defaultConfiguration', 'properties']));
      // No link to a documentation page the project does not have: the help itself is complete.
      expect(rule.helpUri).toBeUndefined();
      expect(rule.help.text.length).toBeGreaterThan(100);
      expect(rule.help.text).not.toMatch(/[`*]/);
      if (rule.id !== 'RS005') expect(rule.help.markdown).toContain('rustscout: keep-python');
      if (rule.id === 'RS004' || rule.id === 'RS005') expect(rule.help.markdown).toContain('rustscout: keep-typescript');
      expect(rule.properties.tags.length).toBeGreaterThan(0);
      expect(['warning', 'note']).toContain(rule.defaultConfiguration.level);
    }
  });

  it('locates results by relative URI under %SRCROOT%, with the module or kernel lines as region', () => {
    const run = plain.runs[0];
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/\/.*\/$/);
    const results: Json[] = run.results;
    const module = results.find((r) => r.ruleId === 'RS001')!;
    const loc = module.locations[0].physicalLocation;
    expect(loc.artifactLocation).toEqual({ uri: FILTERS, uriBaseId: '%SRCROOT%' });
    expect(loc.region.startLine).toBe(1);
    expect(loc.region.endLine).toBe(readFileSync(join(repo, FILTERS), 'utf8').split('\n').length);
    const kernel = results.find((r) => r.ruleId === 'RS003' && r.locations[0].logicalLocations[0].name === 'box_blur')!;
    const src = readFileSync(join(repo, FILTERS), 'utf8').split('\n');
    expect(src[kernel.locations[0].physicalLocation.region.startLine - 1]).toMatch(/^def box_blur\(/);
    for (const r of results) {
      expect(r.level).toBe(RULES[r.ruleIndex].level);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{20}$/);
      expect(r.message.text.length).toBeGreaterThan(10);
    }
  });

  it('keeps partialFingerprints across runs and moved lines, and changes them when the kernel changes', async () => {
    const prints = (log: Json): Record<string, string> => Object.fromEntries(log.runs[0].results.map((r: Json) => [`${r.ruleId}:${r.locations[0].logicalLocations?.[0]?.name ?? ''}`, r.partialFingerprints[FINGERPRINT_KEY]]));
    const again = (await sarifOf([repo])).log;
    expect(prints(again)).toEqual(prints(plain));
    const moved = tempCopy('webapp-with-kernel');
    edit(moved, FILTERS, (t) => '# Pixel filters.\n\n\n' + t.replace('def sharpen(', '# 3x3 kernel\n\ndef sharpen('));
    const shifted = (await sarifOf([moved])).log;
    expect(shifted.runs[0].results.find((r: Json) => r.ruleId === 'RS001').locations[0].physicalLocation.region.endLine).toBeGreaterThan(plain.runs[0].results.find((r: Json) => r.ruleId === 'RS001').locations[0].physicalLocation.region.endLine);
    expect(prints(shifted)).toEqual(prints(plain));
    const changed = tempCopy('webapp-with-kernel');
    edit(changed, FILTERS, (t) => t.replace('total += pixels[row + xx]', 'total += pixels[row + xx] * 2'));
    const after = prints((await sarifOf([changed])).log);
    expect(after['RS003:box_blur']).not.toBe(prints(plain)['RS003:box_blur']);
  });

  it('carries suppressed findings with a suppressions entry instead of dropping them', async () => {
    const dir = tempCopy('webapp-with-kernel');
    edit(dir, FILTERS, (t) => '# rustscout: keep-python -- decided in ADR-12\n' + t);
    const { log } = await sarifOf([dir]);
    const results: Json[] = log.runs[0].results;
    expect(results.length).toBe(plain.runs[0].results.length);
    for (const r of results.filter((x) => x.locations[0].physicalLocation.artifactLocation.uri === FILTERS)) {
      expect(r.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'decided in ADR-12', location: expect.any(Object) }]);
    }
  });

  it('with --baseline reports only new or worse results, with their baselineState', async () => {
    const dir = tempCopy('webapp-with-kernel');
    const baseline = join(dir, 'rustscout-baseline.json');
    await cli(['scan', dir, '--write-baseline', baseline]);
    expect((await sarifOf([dir, '--baseline', baseline])).log.runs[0].results).toEqual([]);
    const kernel = readFileSync(join(dir, FILTERS), 'utf8').replace(/def (\w+)\(/g, 'def $1_fast(');
    writeFileSync(join(dir, 'shopfront/imaging/fast.py'), kernel);
    const results: Json[] = (await sarifOf([dir, '--baseline', baseline])).log.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('shopfront/imaging/fast.py');
      expect(r.baselineState).toBe('new');
    }
  });

  it('makes URIs relative to the git work tree when a subdirectory is scanned', async () => {
    const dir = tempCopy();
    const sub = join(dir, 'services', 'web');
    cpSync(join(REPO, 'fixtures', 'webapp-with-kernel'), sub, { recursive: true });
    gitRepo(dir);
    const { log } = await sarifOf([sub]);
    const run = log.runs[0];
    expect(run.results.find((r: Json) => r.ruleId === 'RS001').locations[0].physicalLocation.artifactLocation.uri).toBe(`services/web/${FILTERS}`);
    expect(decodeURIComponent(run.originalUriBaseIds['%SRCROOT%'].uri)).not.toContain('services/web');
  });

  it('truncates to the limits, most important results first, with a notification', () => {
    const report: Report = { ...JSON.parse(JSON.stringify(plainReport)) };
    const byCount = buildSarif(report, { maxResults: 1, maxGzipBytes: GITHUB_LIMITS.maxGzipBytes });
    expect(byCount.dropped).toBe(report.findings!.length - 1);
    const run = (byCount.log as Json).runs[0];
    expect(run.results).toHaveLength(1);
    expect(run.results[0].ruleId).toBe('RS001');
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toMatch(/kept the 1 most important of \d+ results/);
    const bySize = buildSarif(report, { maxResults: 25_000, maxGzipBytes: 2_000 });
    expect(bySize.dropped).toBeGreaterThan(0);
    expect(bySize.reason).toMatch(/gzip-compressed/);
    expect(GITHUB_LIMITS).toEqual({ maxResults: 25_000, maxGzipBytes: 10 * 1024 * 1024 });
    const warnings: string[] = [];
    renderSarif(report, (m) => warnings.push(m), { maxResults: 1, maxGzipBytes: GITHUB_LIMITS.maxGzipBytes });
    expect(warnings).toEqual([`SARIF truncated: dropped ${report.findings!.length - 1} least important result(s) because ${report.findings!.length} results exceed the limit of 1 per run`]);
    renderSarif(report, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
  });

  let plainReport: Report;
  beforeAll(async () => {
    plainReport = JSON.parse((await cli(['scan', repo, '--format', 'json'])).stdout) as Report;
  });

  it('passes the official validator (@microsoft/sarif-multitool) with no errors or warnings', async () => {
    const out = tempDir('rustscout-sarif-');
    const files: string[] = [];
    const save = (name: string, text: string): void => {
      const f = join(out, name);
      writeFileSync(f, text);
      files.push(f);
    };
    for (const name of ['webapp-with-kernel', 'tcp-protocol-server', 'numpy-pipeline', 'pyo3-crate']) save(`${name}.sarif`, (await sarifOf([join(REPO, 'fixtures', name)])).text);
    save('polyglot-monorepo.sarif', (await polyglotSarif()).text);
    // suppressions (in-source and config), unused suppressions, baseline states, odd file names, a broken file
    const dir = tempCopy('webapp-with-kernel');
    writeFileSync(join(dir, 'shopfront', 'imaging', 'kernels (v2) ü#.py'), readFileSync(join(dir, FILTERS), 'utf8').replace(/def (\w+)\(/g, 'def $1_v2('));
    edit(dir, FILTERS, (t) => t.replace('def box_blur(', '# rustscout: keep-python -- "quoted" <reason> & more\ndef box_blur('));
    edit(dir, 'shopfront/models.py', (t) => '# rustscout: keep-python -- stale\n' + t);
    writeFileSync(join(dir, 'shopfront', 'broken.py'), 'def broken(:\n    pass\n');
    writeFileSync(join(dir, 'rustscout.toml'), '[[overrides]]\npaths = ["shopfront/imaging/kernels*"]\nsuppress = "vendored"\n');
    await cli(['scan', dir, '--write-baseline', join(out, 'b.json'), '--no-config']);
    writeFileSync(join(dir, 'shopfront', 'imaging', 'fresh.py'), readFileSync(join(REPO, 'fixtures', 'webapp-with-kernel', FILTERS), 'utf8').replace(/def (\w+)\(/g, 'def $1_fresh('));
    save('mixed.sarif', (await sarifOf([dir, '--baseline', join(out, 'b.json'), '--report-unused-suppressions'])).text);
    save('mixed-full.sarif', (await sarifOf([dir, '--report-unused-suppressions'])).text);
    const mixed: Json[] = [files.length - 2, files.length - 1].flatMap((i) => JSON.parse(readFileSync(files[i], 'utf8')).runs[0].results);
    expect(mixed.some((r) => r.suppressions?.[0]?.kind === 'inSource')).toBe(true);
    expect(mixed.some((r) => r.suppressions?.[0]?.kind === 'external')).toBe(true);
    expect(mixed.some((r) => r.ruleId === 'RS004')).toBe(true);
    expect(mixed.some((r) => r.baselineState === 'new' || r.baselineState === 'updated')).toBe(true);
    expect(mixed.some((r) => r.locations[0].physicalLocation.artifactLocation.uri.includes('kernels%20(v2)%20%C3%BC%23.py'))).toBe(true);
    expect(JSON.parse(readFileSync(files[files.length - 1], 'utf8')).runs[0].invocations[0].toolExecutionNotifications.length).toBeGreaterThan(0);

    const v = validate(files);
    expect(v.errors).toEqual([]);
    expect(v.warnings).toEqual([]);
    expect(v.notes).toBeGreaterThan(0); // it parsed and analysed every file (advisory notes only)

    // negative control: the same validator rejects a broken log
    const bad = JSON.parse(readFileSync(files[0], 'utf8'));
    bad.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'file:///abs/filters.py';
    bad.runs[0].results[0].ruleIndex = 99;
    save('bad.sarif', JSON.stringify(bad));
    expect(validate([files[files.length - 1]]).errors.length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe('SARIF for TypeScript/JavaScript candidates', () => {
  it('reports move-to-rust services as RS002 and WebAssembly kernels as RS005', async () => {
    const { log } = await polyglotSarif();
    const byUri = Object.fromEntries(log.runs[0].results.map((r: Json) => [r.locations[0].physicalLocation.artifactLocation.uri.replace(/^.*fixtures\/polyglot-monorepo\//, ''), r.ruleId]));
    expect(byUri['services/ingest/src/server.ts']).toBe('RS002');
    expect(byUri['web/dashboard/src/heatmap.ts']).toBe('RS005');
  });
});
