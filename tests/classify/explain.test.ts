import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain, parseTarget, whatWouldChange, type Explanation } from '../../src/explain.js';
import { FEATURES } from '../../src/classify/weights.js';
import { fixture } from '../helpers.js';
import { cli, tempCopy } from '../ci/helpers.js';
import { scan } from '../../src/pipeline.js';

const WEIGHTS = Object.fromEntries(Object.entries(FEATURES).map(([k, s]) => [k, s.weight]));

describe('explain: target parsing', () => {
  it('splits file:function and leaves drive letters and plain files alone', () => {
    expect(parseTarget('pkg/mod.py:Parser.scan')).toEqual({ file: 'pkg/mod.py', function: 'Parser.scan' });
    expect(parseTarget('pkg/mod.py')).toEqual({ file: 'pkg/mod.py' });
    expect(parseTarget('C:\\repo\\mod.py')).toEqual({ file: 'C:\\repo\\mod.py' });
  });
});

describe('explain: a module verdict', () => {
  let e: Explanation;
  beforeAll(async () => {
    e = await explain('shopfront/imaging/filters.py', { root: fixture('webapp-with-kernel') });
  });

  it('gives the same verdict and score as the scan, and every feature with (value − typical) × weight = contribution', () => {
    expect(e.verdict).toBe('pyo3-extension');
    expect(e.score).toBeGreaterThanOrEqual(50);
    expect(e.features.map((f) => f.name).sort()).toEqual(Object.keys(FEATURES).sort());
    for (const f of e.features) expect(f.contribution, f.name).toBeCloseTo((f.value - f.typical) * f.weight, 1);
    const sum = e.bias + e.features.reduce((s, f) => s + f.contribution, 0);
    expect(sum).toBeCloseTo(e.logit, 1);
  });

  it('ties features to the lines that produced them', () => {
    const scalar = e.features.find((f) => f.name === 'scalar_density')!;
    expect(scalar.evidence.map((x) => x.function)).toEqual(expect.arrayContaining(['box_blur', 'sharpen']));
    expect(scalar.evidence.find((x) => x.function === 'box_blur')?.line).toBe(13);
    expect(e.evidence.some((x) => x.signal === 'scalar-loop' && x.function === 'box_blur')).toBe(true);
  });

  it('lists the kernels to extract with their boundary and lines', () => {
    expect(e.kernels.slice(0, 2).map((k) => k.name)).toEqual(['box_blur', 'sharpen']);
    expect(e.kernels[0].boundary?.params.map((p) => p.name)).toEqual(['pixels', 'width', 'height', 'radius']);
    expect([e.kernels[0].line, e.kernels[0].endLine]).toEqual([13, 31]);
  });

  it('says what would change the verdict, and that change does change it', () => {
    const first = e.whatIf.find((w) => w.verdict === 'keep-python')!;
    expect(first).toBeDefined();
    const features = Object.fromEntries(e.features.map((f) => [f.name, f.value]));
    const after = { ...features, [first.feature]: first.to };
    const typical = Object.fromEntries(e.features.map((f) => [f.name, f.typical]));
    const logit = (fs: Record<string, number>): number => e.bias + Object.entries(fs).reduce((s, [k, v]) => s + (WEIGHTS[k] ?? 0) * (v - (typical[k] ?? 0)), 0);
    expect(logit(features)).toBeGreaterThan(e.threshold);
    expect(logit(after)).toBeLessThan(e.threshold);
  });
});

describe('explain: whatWouldChange', () => {
  it('keeps shares within 0–1 and flips flags whole', () => {
    const changes = whatWouldChange({ io_share: 0.2, web_framework: 0, scalar_density: 0.1 }, -1, 0, { io_share: -2, web_framework: -1, scalar_density: 2 }, 'pyo3-extension');
    expect(changes.map((c) => c.feature)).toEqual(['scalar_density']);
    expect(changes[0].to).toBeGreaterThan(0.6);
    expect(changes[0].to).toBeLessThan(0.62);
    const down = whatWouldChange({ io_share: 0, web_framework: 0 }, 0.5, 0, { io_share: -2, web_framework: -1 }, 'keep-python');
    expect(down.find((c) => c.feature === 'web_framework')?.to).toBe(1);
    const io = down.find((c) => c.feature === 'io_share')!;
    expect(io.to).toBeGreaterThan(0.25);
    expect(io.to).toBeLessThanOrEqual(0.26);
    // a share of classes cannot pass 1: a change that would need it is no answer
    expect(whatWouldChange({ inherit_share: 0 }, 2.2, 0, { inherit_share: -1.35 }, 'keep-python')).toEqual([]);
    // a flag whose flip does not cross the threshold is no answer
    expect(whatWouldChange({ web_framework: 0 }, 3, 0, { web_framework: -1 }, 'keep-python')).toEqual([]);
  });

  it('never suggests changing the repo norm: the module cannot change what is typical in its repo', () => {
    const changes = whatWouldChange({ scalar_density: 0.5, repo_scalar_density: 0.15 }, 0.5, 0, { scalar_density: 1.5, repo_scalar_density: -4.8 }, 'keep-python');
    expect(changes.map((c) => c.feature)).toEqual(['scalar_density']);
  });
});

describe('explain: the command', () => {
  it('prints the trace of a module and of one function', async () => {
    const root = fixture('webapp-with-kernel');
    const mod = await cli(['explain', 'shopfront/imaging/filters.py', '--root', root]);
    expect(mod.code).toBe(0);
    expect(mod.stdout).toMatch(/pyo3-extension, score \d+/);
    expect(mod.stdout).toMatch(/kernels to extract, ranked:\n\s+box_blur\s+lines 13–31/);
    expect(mod.stdout).toMatch(/what would change the verdict/);
    const fn = await cli(['explain', join(root, 'shopfront/imaging/filters.py:box_blur')]);
    expect(fn.code).toBe(0);
    expect(fn.stdout).toMatch(/filters\.py:box_blur — kernel \(extract\)/);
    const json = await cli(['explain', 'kvstored/server.py', '--root', fixture('tcp-protocol-server'), '--format', 'json']);
    const parsed = JSON.parse(json.stdout) as Explanation;
    expect(parsed.verdict).toBe('move-to-rust');
    expect(parsed.service.logit).toBeGreaterThanOrEqual(parsed.service.threshold);
    expect(parsed.notes.find((n) => n.signal === 'standalone')?.message).toMatch(/stand alone/);
    // it moves because it runs its own server: without one it would stay
    expect(parsed.whatIf[0]).toEqual({ feature: 'socket_server', from: 1, to: 0, verdict: 'keep-python' });
  });

  it('exits 2 with one line for a missing file or an unknown function', async () => {
    const root = fixture('webapp-with-kernel');
    const missing = await cli(['explain', 'nope.py', '--root', root]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const unknown = await cli(['explain', 'shopfront/imaging/filters.py:no_such', '--root', root]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no function no_such.*box_blur/);
  });
});

describe('explain: which repository', () => {
  it('explains a file outside the current directory within its project, as a scan of that project judges it', async () => {
    const project = tempCopy('webapp-with-kernel'); // under the OS temp dir: outside the current directory, with a pyproject.toml
    const e = await explain(join(project, 'shopfront/imaging/filters.py'));
    const scanned = (await scan(project)).modules.find((m) => m.path === 'shopfront/imaging/filters.py')!;
    expect(e.path).toBe('shopfront/imaging/filters.py');
    expect([e.verdict, e.score]).toEqual([scanned.verdict, scanned.score]);
    expect(scanned.imports.fanIn).toBeGreaterThan(0); // judged with its importers, which the folder alone does not have
  });
});
