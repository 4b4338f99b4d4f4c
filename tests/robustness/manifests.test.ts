import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requirementIncludes } from '../../src/manifest-reader.js';
import { scan } from '../../src/pipeline.js';
import { tempRepo } from './helpers.js';

const component = (r: Awaited<ReturnType<typeof scan>>, name: string) => r.components.find((c) => c.name === name);
const warned = (r: Awaited<ReturnType<typeof scan>>, path: string) => r.warnings.filter((w) => w.path === path).map((w) => w.message);

describe('manifests: a warning each, and the rest still used', () => {
  it('follows -r includes inside the repo, stops at cycles, refuses includes outside it and URLs', async () => {
    const outside = tempRepo({ 'shared.txt': 'leaked-package==1.0\n' });
    const root = tempRepo({
      'app/__init__.py': '',
      'requirements.txt': [
        'flask>=2.0',
        '-r requirements/base.txt',
        '--requirement=requirements/dev.txt',
        `-r ${join(outside, 'shared.txt')}`,
        '-r ../../etc/passwd',
        '-r https://example.com/reqs.txt',
        '-c constraints.txt',
        '',
      ].join('\n'),
      'requirements/base.txt': 'requests\n-r common.txt\n',
      'requirements/common.txt': 'click\n-r base.txt\n',
      'requirements/dev.txt': 'pytest\n-r ./missing.txt\n',
      'constraints.txt': 'not-a-dependency==1\n',
    });
    const r = await scan(root);
    const deps = r.components.flatMap((c) => c.dependencies);
    expect(deps).toEqual(expect.arrayContaining(['flask', 'requests', 'click', 'pytest']));
    expect(deps).not.toContain('leaked-package');
    expect(deps).not.toContain('not-a-dependency');
    const top = warned(r, 'requirements.txt');
    expect(top).toEqual(expect.arrayContaining([
      expect.stringMatching(/line 4: -r \/.*shared\.txt points outside the scanned root; not read/),
      expect.stringMatching(/line 5: -r \.\.\/\.\.\/etc\/passwd points outside the scanned root/),
      expect.stringMatching(/line 6: -r https:\/\/example\.com\/reqs\.txt is a URL; not fetched/),
    ]));
    expect(warned(r, 'requirements/common.txt')).toEqual([
      'line 2: -r base.txt closes an include cycle (requirements.txt → requirements/base.txt → requirements/common.txt → requirements/base.txt); not followed again',
    ]);
    expect(warned(r, 'requirements/dev.txt')).toEqual([expect.stringMatching(/included requirements file requirements\/missing\.txt: vanished/)]);
  });

  it('does not read an include that escapes through a symlink', async () => {
    const outside = tempRepo({ 'secret.txt': 'secret-package\n' });
    const root = tempRepo({ 'requirements.txt': 'six\n-r linked.txt\n' });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'linked.txt'));
    const r = await scan(root);
    expect(r.components.flatMap((c) => c.dependencies)).not.toContain('secret-package');
    expect(warned(r, 'requirements.txt')).toEqual([expect.stringMatching(/included requirements file linked\.txt: symlink resolves outside the scanned root/)]);
  });

  it('skips garbage lines in requirements with a warning per line and keeps the good ones', async () => {
    const root = tempRepo({ 'requirements.txt': 'numpy>=1.20\n<<<<<<< HEAD\n}}} not (a requirement\nscipy\n=======\n' });
    const r = await scan(root);
    expect(r.components[0]?.dependencies).toEqual(expect.arrayContaining(['numpy', 'scipy']));
    expect(warned(r, 'requirements.txt').length).toBeGreaterThanOrEqual(2);
    expect(r.warnings.every((w) => w.code)).toBe(true);
  });

  it('reports malformed TOML with its position and still finds dependencies by text', async () => {
    const root = tempRepo({
      'pyproject.toml': '[project]\nname = "broken"\ndependencies = [\n  "httpx>=0.27",\n  "attrs"\n\n[tool.x\n',
      'broken/__init__.py': '',
    });
    const r = await scan(root);
    expect(warned(r, 'pyproject.toml')).toEqual([expect.stringMatching(/malformed TOML/)]);
    expect(r.components.flatMap((c) => c.dependencies)).toEqual(expect.arrayContaining(['httpx', 'attrs']));
  });

  it('warns about unknown Cargo.toml sections and still reads the crate', async () => {
    const root = tempRepo({
      'Cargo.toml': '[package]\nname = "fastcore"\nversion = "0.1.0"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\npyo3 = "0.22"\n\n[frobnicate]\nlevel = 11\n',
      'src/lib.rs': 'use pyo3::prelude::*;\n',
    });
    const r = await scan(root);
    expect(warned(r, 'Cargo.toml')).toEqual(['unknown section [frobnicate] ignored']);
    const crate = component(r, 'fastcore');
    expect(crate?.kind).toBe('cargo-crate');
    expect(crate?.dependencies).toContain('pyo3');
  });

  it('reports a binary or oversized manifest instead of reading it', async () => {
    const root = tempRepo({ 'setup.cfg': Buffer.from([0, 1, 2, 3, 0, 0, 0]), 'pkg/__init__.py': '' });
    const r = await scan(root);
    expect(r.warnings).toEqual(expect.arrayContaining([{ path: 'setup.cfg', code: 'binary', message: expect.stringMatching(/binary/) }]));
  });
});

describe('requirementIncludes', () => {
  it('finds -r and --requirement in every spelling, ignoring comments and -c', () => {
    const text = '-r a.txt\n--requirement b.txt\n--requirement=c.txt\n-rd.txt\n# -r commented.txt\n-c constraints.txt\nflask # -r not-this.txt\n';
    expect(requirementIncludes(text)).toEqual([
      { target: 'a.txt', line: 1 }, { target: 'b.txt', line: 2 }, { target: 'c.txt', line: 3 }, { target: 'd.txt', line: 4 },
    ]);
  });
});
