import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import type { ModuleReport, Report } from '../../src/model.js';
import { scan } from '../../src/pipeline.js';
import { parseProfile, readProfile } from '../../src/runtime/read-profile.js';
import { fixture, REPO, tempDir } from '../helpers.js';

const profilePath = (name: string): string => join(REPO, 'fixtures', 'profiles', name);
const mod = (r: Report, path: string): ModuleReport => r.modules.find((m) => m.path === path)!;

async function scanWith(fixtureName: string, ...profiles: string[]): Promise<Report> {
  return scan(fixture(fixtureName), { profiles: await Promise.all(profiles.map((p) => readProfile(profilePath(p)))) });
}

describe('runtime evidence that confirms the static view', () => {
  it('py-spy speedscope: the blur kernel holds 76% of the run, a 4.2× ceiling', async () => {
    const r = await scanWith('webapp-with-kernel', 'webapp-uploads.speedscope.json');
    const filters = mod(r, 'shopfront/imaging/filters.py');
    expect(filters.verdict).toBe('pyo3-extension');
    expect(filters.runtime).toMatchObject({ share: 0.764, pythonShare: 0.764, pythonMeasured: false, decision: 'confirmed', ceiling: { unbounded: 4.24, typical: 3.2 } });
    expect(filters.runtime!.functions.map((f) => [f.name, f.share])).toEqual([['box_blur', 0.7], ['adler32', 0.064]]);
    expect(filters.runtime!.hotLines[0]).toEqual({ line: 28, share: 0.3, function: 'box_blur' });
    expect(filters.reasons[0]).toMatchObject({ detector: 'runtime-profile', signal: 'measured-time', line: 28, function: 'box_blur' });
    expect(filters.reasons[0].message).toMatch(/measured agrees with static/);
    // Time under upload_image that is spent in PIL counts for the view, but not as its own Python time.
    const uploads = mod(r, 'shopfront/views/uploads.py');
    expect(uploads.runtime).toMatchObject({ share: 0.18, pythonShare: 0.06, decision: 'unchanged' });
    expect(r.runtime?.profiles[0]).toMatchObject({ format: 'py-spy-speedscope', matchedShare: 0.944, modulesMatched: 2 });
    expect(r.warnings.filter((w) => w.code === 'profile')).toEqual([]);
  });

  it('py-spy raw: the protocol kernels dominate, and the server still clears the ceiling', async () => {
    const r = await scanWith('tcp-protocol-server', 'kvstored-load.pyspy.txt');
    expect(mod(r, 'kvstored/protocol.py').runtime).toMatchObject({ pythonShare: 0.8052, decision: 'confirmed' });
    expect(mod(r, 'kvstored/protocol.py').runtime!.functions.map((f) => f.name)).toEqual(['decode_frames', 'checksum', 'encode_frame']);
    const server = mod(r, 'kvstored/server.py');
    expect(server.verdict).toBe('move-to-rust');
    expect(server.runtime).toMatchObject({ pythonShare: 0.1169, ceiling: { unbounded: 1.13 }, decision: 'confirmed' });
    expect(mod(r, 'kvstored/store.py').runtime).toMatchObject({ pythonShare: 0.0584, decision: 'unchanged' });
  });

  it('Scalene: NumPy-heavy code is 72% of the run but only 9.5% Python time, so it stays Python', async () => {
    const r = await scanWith('numpy-pipeline', 'salesstats-nightly.scalene.json');
    const metrics = mod(r, 'salesstats/metrics.py');
    expect(metrics.verdict).toBe('keep-python');
    expect(metrics.runtime).toMatchObject({ share: 0.716, pythonShare: 0.095, nativeShare: 0.613, pythonMeasured: true, decision: 'unchanged', ceiling: { unbounded: 1.1 } });
    expect(metrics.reasons.at(-1)!.message).toMatch(/61% native.*static and measured views agree: keep-python/);
  });
});

describe('runtime evidence that contradicts the static view', () => {
  it('downgrades a statically strong kernel the profiled workload barely runs, and says why', async () => {
    const staticOnly = await scan(fixture('webapp-with-kernel'));
    const before = mod(staticOnly, 'shopfront/imaging/filters.py');
    expect(before.verdict).toBe('pyo3-extension');

    const r = await scanWith('webapp-with-kernel', 'webapp-catalogue.scalene.json');
    const filters = mod(r, 'shopfront/imaging/filters.py');
    expect(filters.verdict).toBe('keep-python');
    expect(filters.score).toBe(before.score);
    expect(filters.runtime).toMatchObject({ pythonShare: 0.011, decision: 'downgraded', staticVerdict: 'pyo3-extension', ceiling: { unbounded: 1.01 } });
    const [first] = filters.reasons;
    expect(first).toMatchObject({ detector: 'runtime-profile', signal: 'negligible-ceiling', line: 8, function: 'adler32' });
    expect(first.message).toMatch(/measured beats static: static analysis scored it \d+ \(pyo3-extension\).*1\.1% in pure-Python code.*1\.01× end to end at best/);
    // Both views stay in the report: the static reasons follow the runtime one.
    expect(filters.reasons.slice(1).some((x) => x.contribution > 0 && x.detector !== 'runtime-profile')).toBe(true);
    expect(r.components[0].verdict).toBe('keep-python');
    expect(r.summary['pyo3-extension']).toBe(0);
  });

  it('promotes a statically cold module that the profile shows burning Python time', async () => {
    const raw = [
      'serve_forever (socketserver.py:238);handle (/srv/kv/kvstored/server.py:28);dispatch (/srv/kv/kvstored/server.py:32);get (/srv/kv/kvstored/store.py:14) 420',
      'serve_forever (socketserver.py:238);handle (/srv/kv/kvstored/server.py:23);decode_frames (/srv/kv/kvstored/protocol.py:25) 380',
      'serve_forever (socketserver.py:238) 200',
    ].join('\n');
    const r = await scan(fixture('tcp-protocol-server'), { profiles: [parseProfile(raw, 'hot-store.txt')] });
    const store = mod(r, 'kvstored/store.py');
    expect(store.verdict).toBe('pyo3-extension');
    expect(store.runtime).toMatchObject({ pythonShare: 0.42, decision: 'promoted', staticVerdict: 'keep-python' });
    expect(store.reasons[0]).toMatchObject({ signal: 'measured-hot', function: 'Store.get' });
    expect(store.reasons[0].message).toMatch(/measured beats static/);
  });

  it('does not promote web-framework glue, however hot', async () => {
    const raw = 'run (werkzeug/serving.py:323);upload_image (/app/shopfront/views/uploads.py:16) 60\nrun (werkzeug/serving.py:323) 40';
    const r = await scan(fixture('webapp-with-kernel'), { profiles: [parseProfile(raw, 'views.txt')] });
    const uploads = mod(r, 'shopfront/views/uploads.py');
    expect(uploads.runtime?.pythonShare).toBe(0.6);
    expect(uploads.verdict).toBe('keep-python');
    // The kernel the run never reached cannot pay either.
    expect(mod(r, 'shopfront/imaging/filters.py')).toMatchObject({ verdict: 'keep-python', runtime: { share: 0, decision: 'downgraded' } });
  });
});

describe('profiles whose paths do not match the scanned tree', () => {
  it('warns and leaves every verdict alone when nothing matches', async () => {
    const raw = [
      '<module> (/srv/billing/run.py:12);main (/srv/billing/billing/cli.py:40);total (/srv/billing/billing/invoice.py:88) 310',
      '<module> (/srv/billing/run.py:12);main (/srv/billing/billing/cli.py:41) 90',
    ].join('\n');
    const r = await scan(fixture('webapp-with-kernel'), { profiles: [parseProfile(raw, 'billing.txt')] });
    const warning = r.warnings.find((w) => w.code === 'profile')!;
    expect(warning.path).toBe('billing.txt');
    expect(warning.message).toMatch(/no profiled file matches a scanned module.*\/srv\/billing\/run\.py/);
    expect(r.modules.some((m) => m.runtime)).toBe(false);
    expect(mod(r, 'shopfront/imaging/filters.py').verdict).toBe('pyo3-extension');
    expect(r.runtime?.profiles[0]).toMatchObject({ matchedShare: 0, modulesMatched: 0 });
  });

  it('names project files outside the scanned tree that carry time, and ambiguous paths', async () => {
    const raw = [
      'main (/home/dev/shop/bench/load.py:30);box_blur (/home/dev/shop/shopfront/imaging/filters.py:28) 70',
      'main (/home/dev/shop/bench/load.py:31);make_image (/home/dev/shop/bench/images.py:9) 25',
      'main (/home/dev/shop/bench/load.py:33);register (__init__.py:5) 5',
    ].join('\n');
    const r = await scan(fixture('webapp-with-kernel'), { profiles: [parseProfile(raw, 'bench.txt')] });
    const messages = r.warnings.filter((w) => w.code === 'profile').map((w) => w.message);
    expect(messages.some((m) => /30% of the profiled time is in 2 file\(s\).*\/home\/dev\/shop\/bench\/load\.py 30%/.test(m))).toBe(true);
    expect(messages.some((m) => /__init__\.py matches several scanned modules/.test(m))).toBe(true);
    expect(mod(r, 'shopfront/imaging/filters.py').runtime?.share).toBe(0.7);
  });
});

describe('--profile on the command line', () => {
  it('is repeatable and shows in the JSON report', async () => {
    let out = '';
    const code = await runCli(['scan', fixture('webapp-with-kernel'), '--format', 'json', '--profile', profilePath('webapp-uploads.speedscope.json'), '--profile', profilePath('webapp-catalogue.scalene.json')], { stdout: (t) => (out += t), stderr: () => {} });
    expect(code).toBe(0);
    const r = JSON.parse(out) as Report;
    expect(r.runtime?.profiles.map((p) => p.format)).toEqual(['py-spy-speedscope', 'scalene']);
    // The workload that exercises the kernel decides: the best ceiling over all profiles counts.
    const filters = mod(r, 'shopfront/imaging/filters.py');
    expect(filters.verdict).toBe('pyo3-extension');
    expect(filters.runtime?.format).toBe('py-spy-speedscope');
  });

  it('exits 2 with one line on stderr for a missing or unrecognised profile', async () => {
    let err = '';
    const io = { stdout: () => {}, stderr: (t: string) => (err += t) };
    expect(await runCli(['scan', fixture('webapp-with-kernel'), '--profile', join(REPO, 'no-such-profile.json')], io)).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/no-such-profile\.json: ENOENT|cannot read .*no-such-profile/);
    const dir = tempDir('rustscout-profile-');
    writeFileSync(join(dir, 'trace.json'), '{"traceEvents": []}');
    err = '';
    expect(await runCli(['scan', fixture('webapp-with-kernel'), '--profile', join(dir, 'trace.json')], io)).toBe(2);
    expect(err).toMatch(/neither a speedscope file/);
  });
});

describe('profiles and components', () => {
  it('measure only the components they reached: a run of one service says nothing of another', async () => {
    const root = tempDir('rustscout-two-services-');
    const kernel = 'def crc(data: bytes) -> int:\n    c = 0xFFFFFFFF\n    for b in data:\n        c ^= b\n        for _ in range(8):\n            c = (c >> 1) ^ (0xEDB88320 & -(c & 1))\n    return c ^ 0xFFFFFFFF\n';
    for (const svc of ['ingest', 'billing']) {
      mkdirSync(join(root, svc, svc), { recursive: true });
      writeFileSync(join(root, svc, 'pyproject.toml'), `[project]\nname = "${svc}"\nversion = "1.0"\n`);
      writeFileSync(join(root, svc, svc, '__init__.py'), '');
      writeFileSync(join(root, svc, svc, 'checksum.py'), kernel);
      writeFileSync(join(root, svc, svc, 'app.py'), `from .checksum import crc\n\n\ndef handle(payload):\n    return crc(payload)\n`);
    }
    const staticOnly = await scan(root);
    expect(mod(staticOnly, 'billing/billing/checksum.py').verdict).toBe('pyo3-extension');
    const raw = 'main (/srv/ingest/ingest/app.py:5);handle (/srv/ingest/ingest/app.py:5) 90\nmain (/srv/ingest/ingest/app.py:5);crc (/srv/ingest/ingest/checksum.py:6) 1';
    const r = await scan(root, { profiles: [parseProfile(raw, 'ingest.txt')] });
    expect(mod(r, 'ingest/ingest/checksum.py')).toMatchObject({ verdict: 'keep-python', runtime: { decision: 'downgraded' } });
    expect(mod(r, 'billing/billing/checksum.py').verdict).toBe('pyo3-extension');
    expect(mod(r, 'billing/billing/checksum.py').runtime).toBeUndefined();
  });
});
