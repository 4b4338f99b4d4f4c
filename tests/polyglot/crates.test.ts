import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Warning } from '../../src/model.js';
import { discoverCrates } from '../../src/rust/crates.js';
import { profileRust } from '../../src/rust/profile.js';
import { tempDir } from '../helpers.js';

function tree(files: Record<string, string>): string {
  const root = tempDir('rustscout-crates-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const kindOf = (p: string): string => (p.endsWith('Cargo.toml') ? 'cargo' : p.endsWith('pyproject.toml') ? 'pyproject' : p.endsWith('setup.py') ? 'setup-py' : 'other');

async function crates(files: Record<string, string>, rust: Record<string, string> = {}) {
  const root = tree({ ...files, ...rust });
  const manifests = Object.keys(files).map((path) => ({ path, kind: kindOf(path) }));
  const rustFiles = await Promise.all(Object.entries(rust).map(([path, text]) => profileRust(path, text)));
  const warnings: Warning[] = [];
  return { crates: await discoverCrates(root, manifests, rustFiles, warnings), warnings };
}

describe('crate and workspace discovery', () => {
  it('reads a workspace, its members, their features and the maturin wiring that names the Python module', async () => {
    const { crates: found } = await crates({
      'Cargo.toml': '[workspace]\nmembers = ["rust/*"]\n',
      'rust/fastparse/Cargo.toml': '[package]\nname = "fastparse"\nversion = "0.1.0"\n[lib]\ncrate-type = ["cdylib", "rlib"]\n[dependencies]\npyo3 = { version = "0.22", features = ["abi3-py38"] }\nmemchr = "2"\n[features]\nsimd = []\n',
      'rust/cli/Cargo.toml': '[package]\nname = "fastparse-cli"\nversion = "0.1.0"\n[dependencies]\nclap = "4"\n',
      'pyproject.toml': '[build-system]\nrequires = ["maturin>=1.5"]\nbuild-backend = "maturin"\n[tool.maturin]\nmanifest-path = "rust/fastparse/Cargo.toml"\nmodule-name = "parsing._fast"\n',
    });
    const lib = found.find((c) => c.name === 'fastparse')!;
    expect(lib).toMatchObject({
      dir: 'rust/fastparse', pyo3: true, pyo3Features: ['abi3-py38'], features: ['simd'], crateTypes: ['cdylib', 'rlib'],
      dependencies: ['memchr', 'pyo3'], workspace: '.', build: { tool: 'maturin', config: 'pyproject.toml' }, pythonModule: 'parsing._fast',
    });
    const cli = found.find((c) => c.name === 'fastparse-cli')!;
    expect(cli.pyo3).toBe(false);
    expect(cli.pythonModule).toBeUndefined();
    expect(cli.workspace).toBe('.');
    const ws = found.find((c) => c.dir === '')!;
    expect(ws.hasPackage).toBe(false);
    expect(ws.workspaceMembers).toEqual(['rust/*']);
  });

  it('follows setuptools-rust in setup.py (read as text) and in pyproject ext-modules', async () => {
    const { crates: found } = await crates({
      'setup.py': 'from setuptools import setup\nfrom setuptools_rust import RustExtension\nsetup(name="a", rust_extensions=[RustExtension("pkg._speed", path="native/Cargo.toml")])\n',
      'native/Cargo.toml': '[package]\nname = "speed"\nversion = "0.1.0"\n[dependencies]\npyo3 = "0.21"\n',
      'other/pyproject.toml': '[[tool.setuptools-rust.ext-modules]]\ntarget = "other_pkg._core"\npath = "core/Cargo.toml"\n',
      'other/core/Cargo.toml': '[package]\nname = "core"\nversion = "0.1.0"\n[dependencies]\npyo3 = "0.21"\n',
    });
    expect(found.find((c) => c.name === 'speed')).toMatchObject({ build: { tool: 'setuptools-rust', config: 'setup.py' }, pythonModule: 'pkg._speed' });
    expect(found.find((c) => c.name === 'core')).toMatchObject({ build: { tool: 'setuptools-rust', config: 'other/pyproject.toml' }, pythonModule: 'other_pkg._core' });
  });

  it('without build wiring, the module is what #[pymodule] declares; sources belong to the innermost crate', async () => {
    const { crates: found } = await crates(
      { 'Cargo.toml': '[package]\nname = "outer"\nversion = "0.1.0"\n', 'inner/Cargo.toml': '[package]\nname = "inner-lib"\nversion = "0.1.0"\n[dependencies]\npyo3 = "0.22"\n' },
      { 'src/main.rs': 'fn main() {}\n', 'inner/src/lib.rs': 'use pyo3::prelude::*;\n#[pymodule]\n#[pyo3(name = "_inner")]\nfn inner_mod(m: &Bound<PyModule>) -> PyResult<()> { Ok(()) }\n' },
    );
    const inner = found.find((c) => c.name === 'inner-lib')!;
    expect(inner.pythonModule).toBe('_inner');
    expect(inner.sources).toEqual(['inner/src/lib.rs']);
    expect(found.find((c) => c.name === 'outer')!.sources).toEqual(['src/main.rs']);
  });

  it('a malformed Cargo.toml becomes a warning and still yields a crate', async () => {
    const { crates: found, warnings } = await crates({ 'Cargo.toml': '[package\nname = "x"\npyo3 = "0.2"\n' });
    expect(found).toHaveLength(1);
    expect(found[0].pyo3).toBe(true);
    expect(warnings[0].message).toMatch(/malformed TOML/);
  });
});
