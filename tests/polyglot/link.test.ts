import { describe, expect, it } from 'vitest';
import { buildImportGraph } from '../../src/link/import-graph.js';
import type { ModuleReport } from '../../src/model.js';
import type { CrateInfo } from '../../src/rust/crates.js';
import { applyNativeLink, isTestModule, linkNative } from '../../src/rust/link.js';
import { profileRust } from '../../src/rust/profile.js';
import { profileOf, py } from '../helpers.js';

const crate = (over: Partial<CrateInfo> = {}): CrateInfo => ({
  name: 'fastcsv', dir: 'rust', manifest: 'rust/Cargo.toml', crateTypes: ['cdylib'], dependencies: ['pyo3'], features: [], pyo3: true,
  pyo3Features: [], napi: false, wasmBindgen: false, workspaceMembers: [], hasPackage: true, pythonModule: 'csvkit._fast', sources: ['rust/src/lib.rs'], ...over,
});

async function link(files: Record<string, string>, c = crate()) {
  const rust = await profileRust('rust/src/lib.rs', '#[pyfunction]\nfn split_line(s: &str) -> Vec<String> { s.split(\',\').map(|x| x.to_string()).collect() }\n');
  const profiles = await Promise.all(Object.entries(files).map(([path, src]) => profileOf(src, path)));
  const graph = buildImportGraph(profiles, new Set(['csvkit', 'tests']));
  return { links: linkNative([c], [rust], profiles, graph), profiles };
}

describe('linking Python to the repo\'s PyO3 crate', () => {
  it('finds importers through absolute, relative and from-package imports', async () => {
    const { links } = await link({
      'csvkit/__init__.py': 'from ._fast import split_line\n',
      'csvkit/reader.py': 'import csvkit._fast as fast\n',
      'csvkit/writer.py': 'from csvkit import _fast\n',
      'csvkit/other.py': 'import csv\n',
    });
    expect([...links.byModule.keys()].sort()).toEqual(['csvkit/__init__.py', 'csvkit/reader.py', 'csvkit/writer.py']);
    expect(links.importers.get('rust')).toEqual(['csvkit/__init__.py', 'csvkit/reader.py', 'csvkit/writer.py']);
  });

  it('a twin is a def of the exported name; a parity test imports both the twin module and the extension', async () => {
    const { links } = await link({
      'csvkit/__init__.py': '',
      'csvkit/pure.py': 'def split_line(s):\n    return s.split(",")\n',
      'tests/__init__.py': '',
      'tests/test_parity.py': 'from csvkit import pure, _fast\n\ndef test_same():\n    assert pure.split_line("a,b") == _fast.split_line("a,b")\n',
      'tests/test_pure_only.py': 'from csvkit import pure\n\ndef test_pure():\n    assert pure.split_line("a") == ["a"]\n',
    });
    const twin = links.byModule.get('csvkit/pure.py')!;
    expect(twin.twins).toEqual([{ function: 'split_line', line: 1, rust: { crate: 'fastcsv', path: 'rust/src/lib.rs', function: 'split_line', line: 2 }, parityTests: ['tests/test_parity.py'] }]);
    expect(links.byModule.has('tests/test_pure_only.py')).toBe(false);
  });

  it('a method of the same name is not a twin of a #[pyfunction]', async () => {
    const { links } = await link({ 'csvkit/__init__.py': '', 'csvkit/obj.py': 'class Row:\n    def split_line(self, s):\n        return s.split(",")\n' });
    expect(links.byModule.has('csvkit/obj.py')).toBe(false);
  });

  it('recognises test modules by their structure (uncalled functions that assert, test frameworks), not by names', async () => {
    expect(isTestModule(await profileOf('import pytest\n', 'a.py'))).toBe(true);
    expect(isTestModule(await profileOf('class Checks:\n    def same(self):\n        self.assertEqual(f(1), 2)\n', 'b.py'))).toBe(true);
    expect(isTestModule(await profileOf('class TestX:\n    def test_a(self):\n        pass\n', 'test_b.py'))).toBe(false);
    expect(isTestModule(await profileOf('def helper():\n    pass\n', 'c.py'))).toBe(false);
  });
});

describe('marking a module native-backed', () => {
  const report = (functions: { name: string; score: number }[], verdict: ModuleReport['verdict'] = 'pyo3-extension'): ModuleReport => ({
    path: 'pkg/m.py', language: 'python', component: null, verdict, score: 80, confidence: 0.8, loc: 40, reasons: [],
    functions: functions.map((f, i) => ({ ...f, line: 1 + 10 * i, endLine: 9 + 10 * i, loc: 9, signals: {} })), features: {}, evidence: [],
    imports: { fanIn: 0, fanOut: 0, importedBy: [] },
  });
  const twin = (fn: string) => ({ function: fn, line: 1, rust: { crate: 'c', path: 'src/lib.rs', function: fn, line: 3 }, parityTests: [] as string[] });

  it('withdraws a pyo3-extension verdict when every kernel has a Rust twin', () => {
    const m = applyNativeLink(report([{ name: 'hot', score: 90 }, { name: 'cold', score: 10 }]), { extension: 'pkg._n', crate: 'c', twins: [twin('hot')], fullyBacked: false });
    expect(m.verdict).toBe('keep-python');
    expect(m.native!.fullyBacked).toBe(true);
    expect(m.reasons.map((r) => r.signal)).toEqual(['native-backed', 'twin-without-parity-test']);
  });

  it('keeps the verdict when a kernel without a twin remains, and says which', () => {
    const m = applyNativeLink(report([{ name: 'hot', score: 90 }, { name: 'other', score: 70 }]), { extension: 'pkg._n', crate: 'c', importLine: 2, twins: [twin('hot')], fullyBacked: false });
    expect(m.verdict).toBe('pyo3-extension');
    expect(m.native!.fullyBacked).toBe(false);
    expect(m.reasons[0]).toMatchObject({ signal: 'native-backed', line: 2 });
    expect(m.reasons[0].message).toMatch(/1 kernel function\(s\) without a Rust twin remain \(other\)/);
  });

  it('never turns a move-to-rust service into keep-python', () => {
    const m = applyNativeLink(report([], 'move-to-rust'), { extension: 'pkg._n', crate: 'c', importLine: 1, twins: [], fullyBacked: false });
    expect(m.verdict).toBe('move-to-rust');
  });
});
