import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModuleReport, Report } from '../../src/model.js';
import { scan } from '../../src/pipeline.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { fixture } from '../helpers.js';

const EXPECTED: Record<string, string> = {
  'crates/geokernel/src/lib.rs': 'keep-rust',
  'crates/geokernel/src/grid.rs': 'keep-rust',
  'python/geostats/__init__.py': 'keep-python',
  'python/geostats/codec.py': 'keep-python',
  'python/geostats/distance.py': 'keep-python',
  'python/geostats/loader.py': 'keep-python',
  'python/geostats/smoothing.py': 'pyo3-extension',
  'python/tests/test_distance.py': 'keep-python',
  'services/ingest/src/config.ts': 'keep-typescript',
  'services/ingest/src/server.ts': 'move-to-rust',
  'web/dashboard/src/app.ts': 'keep-typescript',
  'web/dashboard/src/format.js': 'keep-javascript',
  'web/dashboard/src/heatmap.ts': 'wasm-extension',
};

function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rustscout-poly-'));
  cpSync(fixture('polyglot-monorepo'), dir, { recursive: true });
  return dir;
}

describe('polyglot monorepo fixture', () => {
  let r: Report;
  const mod = (path: string): ModuleReport => r.modules.find((m) => m.path === path)!;
  beforeAll(async () => {
    r = await scan(fixture('polyglot-monorepo'));
  });

  it('gives every module its pinned verdict and language', () => {
    expect(Object.fromEntries(r.modules.map((m) => [m.path, m.verdict]))).toEqual(EXPECTED);
    expect(mod('web/dashboard/src/format.js').language).toBe('javascript');
    expect(mod('web/dashboard/src/heatmap.ts').language).toBe('typescript');
    expect(mod('crates/geokernel/src/lib.rs').language).toBe('rust');
    // the parity test compares native and pure results in a loop: a test suite, judged by its top-level code alone
    expect(mod('python/tests/test_distance.py').reasons.map((x) => x.signal).slice(0, 1)).toEqual(['test-suite']);
    expect(mod('python/tests/test_distance.py').functions).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('gives each component a row and a verdict of its own', () => {
    const rows = Object.fromEntries(r.components.map((c) => [c.path, [c.kind, c.verdict]]));
    expect(rows).toEqual({
      'crates/geokernel': ['cargo-crate', 'keep-rust'],
      'services/ingest': ['npm-package', 'move-to-rust'],
      'web/dashboard': ['npm-package', 'wasm-extension'],
      python: ['python-package', 'pyo3-extension'],
      '.': ['cargo-crate', 'keep-rust'],
    });
    const crate = r.components.find((c) => c.path === 'crates/geokernel')!;
    expect(crate.facts).toMatchObject({
      pyo3: true, pythonBuild: 'maturin', pythonBuildConfig: 'python/pyproject.toml', exportsPythonModule: 'geostats._geokernel',
      features: 'default,parallel', pyo3Features: 'extension-module,abi3-py39', workspace: '.', pythonImporters: 2, pythonTwins: 2,
    });
    expect(r.components.find((c) => c.path === '.')!.facts).toMatchObject({ virtualWorkspace: true, workspaceMembers: 'crates/*' });
  });

  it('pairs each Python twin with its Rust item and says which has a parity test', () => {
    expect(r.native!.pairs.map((p) => [p.path, p.function, p.rust.path, p.rust.function, p.parityTests])).toEqual([
      ['python/geostats/codec.py', 'rle_encode', 'crates/geokernel/src/lib.rs', 'rle_encode_bytes', []],
      ['python/geostats/distance.py', 'haversine_matrix', 'crates/geokernel/src/lib.rs', 'haversine_matrix', ['python/tests/test_distance.py']],
    ]);
    expect(r.native!.untestedTwins).toBe(1);
    expect(r.native!.extensions).toEqual([{ crate: 'geokernel', module: 'geostats._geokernel', build: 'maturin', importedBy: ['python/geostats/__init__.py', 'python/tests/test_distance.py'] }]);
    const codec = mod('python/geostats/codec.py');
    expect(codec.reasons.slice(0, 2).map((x) => [x.signal, x.line])).toEqual([['native-backed', 1], ['twin-without-parity-test', 1]]);
    expect(codec.native).toMatchObject({ extension: 'geostats._geokernel', fullyBacked: true });
    const distance = mod('python/geostats/distance.py');
    expect(distance.reasons[0].signal).toBe('native-backed');
    expect(distance.reasons.map((x) => x.signal)).not.toContain('twin-without-parity-test');
    expect(mod('python/geostats/__init__.py').native).toMatchObject({ importLine: 2, twins: [] });
    expect(mod('crates/geokernel/src/lib.rs').imports.importedBy).toEqual(['python/geostats/__init__.py', 'python/tests/test_distance.py']);
  });

  it('says what share of the hot code is already native', () => {
    const n = r.native!;
    expect(n.kernels.rust).toBe(4); // haversine_matrix, rle_encode_bytes, Grid::add_points, Grid::densest
    expect(n.kernels.pythonMirrored).toBeGreaterThanOrEqual(1);
    expect(n.hotLoc).toBeGreaterThan(n.nativeHotLoc);
    expect(n.share).toBeCloseTo(n.nativeHotLoc / n.hotLoc, 2);
    expect(n.share).toBeGreaterThan(0);
    expect(renderTerminal(r)).toContain(`native: ${Math.round(n.share * 100)}% of hot code is already Rust (${n.nativeHotLoc} of ${n.hotLoc} lines); 2 Python↔Rust twin(s), 1 without a parity test`);
  });

  it('explains TS verdicts with located, weighed reasons in the Python shape', () => {
    const server = mod('services/ingest/src/server.ts');
    expect(server.reasons.map((x) => x.signal)).toEqual(expect.arrayContaining(['socket-server', 'raw-framing', 'worker-threads', 'entry-point']));
    const heat = mod('web/dashboard/src/heatmap.ts');
    expect(heat.functions[0].name).toBe('blur');
    expect(heat.imports.importedBy).toEqual(['web/dashboard/src/app.ts']);
    for (const m of r.modules) for (const reason of m.reasons) {
      expect(reason.line, `${m.path} ${reason.signal}`).toBeGreaterThan(0);
      expect(typeof reason.weight).toBe('number');
      expect(typeof reason.contribution).toBe('number');
    }
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // plain data all the way down
  });

  it('without the crate, the twins are candidates again (the link, not the names, made them native-backed)', async () => {
    const dir = copyFixture();
    try {
      rmSync(join(dir, 'crates'), { recursive: true });
      rmSync(join(dir, 'Cargo.toml'));
      const bare = await scan(dir);
      expect(bare.modules.find((m) => m.path === 'python/geostats/distance.py')!.verdict).toBe('pyo3-extension');
      expect(bare.modules.find((m) => m.path === 'python/geostats/distance.py')!.native).toBeUndefined();
      expect(bare.native!.pairs).toEqual([]);
      expect(bare.native!.share).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never scans node_modules, declaration files or minified bundles', async () => {
    const dir = copyFixture();
    try {
      mkdirSync(join(dir, 'web/dashboard/node_modules/fastkernel'), { recursive: true });
      writeFileSync(join(dir, 'web/dashboard/node_modules/fastkernel/index.js'), 'for (let i = 0; i < 9; i++) x ^= i << 1;\n');
      writeFileSync(join(dir, 'web/dashboard/src/types.d.ts'), 'export declare function f(x: number): number;\n');
      writeFileSync(join(dir, 'web/dashboard/src/vendor.min.js'), 'var a=1;for(var i=0;i<9;i++)a^=i<<1;\n');
      const again = await scan(dir);
      expect(again.modules.map((m) => m.path).sort()).toEqual(Object.keys(EXPECTED).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
