import { describe, expect, it } from 'vitest';
import { readManifest } from '../../detectors/manifests.js';

describe('manifests', () => {
  it('reads requirements with includes, markers, extras and options', () => {
    const m = readManifest('requirements', 'requirements.txt', [
      '# pinned', 'flask>=2.3,<3', 'requests[socks]>=2.31 ; python_version >= "3.8"', '-r dev.txt',
      '--index-url https://example.invalid/simple', 'Django_Rest-framework==3.14', '-e git+https://x.invalid/r.git#egg=localpkg', '!!! garbage',
    ].join('\n'));
    expect(m.dependencies).toEqual(['flask', 'requests', 'django-rest-framework', 'localpkg']);
    expect(m.includes).toEqual(['dev.txt']);
    expect(m.warnings).toHaveLength(1);
    expect(m.warnings[0]).toMatch(/line 8/);
  });

  it('reads PEP 621 and Poetry pyproject files and the maturin backend', () => {
    const m = readManifest('pyproject', 'pyproject.toml', `
[project]
name = "demo"
dependencies = ["numpy>=1.26", "pydantic[email]>=2"]
[project.optional-dependencies]
web = ["fastapi"]
[tool.poetry.dependencies]
python = "^3.11"
httpx = "^0.27"
[build-system]
requires = ["maturin>=1.4,<2"]
build-backend = "maturin"
[tool.maturin]
module-name = "demo._core"
`);
    expect(m.name).toBe('demo');
    expect(m.dependencies).toEqual(['numpy', 'pydantic', 'fastapi', 'httpx']);
    expect(m.nativeBuild).toEqual(['maturin']);
    expect(m.exportsModule).toBe('demo._core');
  });

  it('reads a PyO3 Cargo.toml, its lib name and workspace members', () => {
    const m = readManifest('cargo', 'Cargo.toml', `
[package]
name = "fastcore"
[lib]
name = "_fastcore"
crate-type = ["cdylib"]
[dependencies]
pyo3 = { version = "0.21", features = ["extension-module"] }
serde = "1"
[workspace]
members = ["crates/*"]
[mystery]
x = 1
`);
    expect(m.pyo3).toBe(true);
    expect(m.crateTypes).toEqual(['cdylib']);
    expect(m.exportsModule).toBe('_fastcore');
    expect(m.workspaceMembers).toEqual(['crates/*']);
    expect(m.warnings).toEqual(['unknown section [mystery] ignored']);
  });

  it('keeps going on malformed TOML and still finds quoted requirements', () => {
    const m = readManifest('pyproject', 'pyproject.toml', '[project\nname = "x"\ndependencies = ["requests>=2"]\n');
    expect(m.warnings[0]).toMatch(/malformed TOML/);
    expect(m.dependencies).toContain('requests');
  });

  it('reads setup.cfg install_requires and setup.py as text', () => {
    const cfg = readManifest('setup-cfg', 'setup.cfg', '[metadata]\nname = legacy\n[options]\ninstall_requires =\n    six>=1.16\n    attrs\n');
    expect(cfg.name).toBe('legacy');
    expect(cfg.dependencies).toEqual(['six', 'attrs']);
    const setup = readManifest('setup-py', 'setup.py', 'from setuptools import setup, Extension\nsetup(name="speedy", ext_modules=[Extension("speedy._c", ["c.c"])], install_requires=["cffi>=1.0"])');
    expect(setup.name).toBe('speedy');
    expect(setup.nativeBuild).toEqual(['c-extension']);
    expect(setup.dependencies).toEqual(['cffi']);
  });
});
