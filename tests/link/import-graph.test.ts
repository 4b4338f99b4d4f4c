import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { annotateComponentImports, buildImportGraph, dottedName, missingSourceEvidence, rootPackageName } from '../../src/link/import-graph.js';
import { scan } from '../../src/pipeline.js';
import { factsOf } from '../../src/profile.js';
import { py, tempDir } from '../helpers.js';

const mod = async (path: string, src: string) => ({ path, imports: (await factsOf(src)).imports });

describe('import graph', () => {
  it('resolves relative and absolute imports and notes repo modules that have no Python source', async () => {
    const modules = [
      await mod('markup/__init__.py', py`
        try:
            from ._speedups import escape
        except ImportError:
            from ._native import escape
        from . import _native
        from .util import helper
        import markup.compiled_tables
        import os.path
        import requests
      `),
      await mod('markup/_native.py', 'def escape(s):\n    return s\n'),
      await mod('markup/util.py', 'def helper():\n    pass\n'),
      await mod('tool.py', 'import markup\nfrom markup.util import helper\n'),
    ];
    const g = buildImportGraph(modules, new Set(['markup']));
    expect([...g.imports.get('markup/__init__.py')!].sort()).toEqual(['markup/_native.py', 'markup/util.py']);
    expect([...g.importedBy.get('markup/util.py')!].sort()).toEqual(['markup/__init__.py', 'tool.py']);
    expect(g.missing.get('markup/__init__.py')).toEqual([
      { module: 'markup._speedups', line: 2 },
      { module: 'markup.compiled_tables', line: 7 },
    ]);
    expect(g.missing.has('tool.py')).toBe(false);
    expect(missingSourceEvidence(g.missing.get('markup/__init__.py'))).toEqual([
      expect.objectContaining({ detector: 'imports', signal: 'missing-source-import', value: 2, line: 2 }),
    ]);
  });

  it('a lone top-level script does not make its name an internal package', async () => {
    const modules = [await mod('os.py', 'x = 1\n'), await mod('main.py', 'import os.path\n')];
    expect(buildImportGraph(modules, new Set()).missing.size).toBe(0);
  });

  it('says which components call into which', async () => {
    const modules = [
      await mod('services/api/handlers.py', 'from shared.codec import decode\nfrom .views import index\n'),
      await mod('services/api/views.py', 'def index():\n    pass\n'),
      await mod('shared/codec.py', 'def decode(b):\n    return b\n'),
      await mod('tools/cli.py', 'import shared.codec\nimport services.api.handlers\n'),
    ];
    const g = buildImportGraph(modules, new Set(['services', 'services/api', 'shared', 'tools']));
    const rows: { name: string; imports?: string[] }[] = [{ name: 'api' }, { name: 'shared' }, { name: 'tools' }];
    const componentOf = (path: string) => (path.startsWith('services/') ? 'api' : path.startsWith('shared/') ? 'shared' : path.startsWith('tools/') ? 'tools' : null);
    annotateComponentImports(rows, g, componentOf);
    expect(rows).toEqual([{ name: 'api', imports: ['shared'] }, { name: 'shared' }, { name: 'tools', imports: ['api', 'shared'] }]);
  });

  it('names the modules of a scanned root that is itself a package under its name, as its absolute imports do', () => {
    const packages = new Set(['', 'core', 'kernels']);
    expect(rootPackageName('/src/mylib', packages)).toBe('mylib');
    expect(rootPackageName('/src/my-lib', packages)).toBeUndefined(); // not importable by that name
    expect(rootPackageName('/src/mylib', new Set(['core']))).toBeUndefined(); // the root is no package
    expect(dottedName('core/add.py', packages, 'mylib')).toBe('mylib.core.add');
    expect(dottedName('__init__.py', packages, 'mylib')).toBe('mylib');
    expect(dottedName('scripts/run.py', packages, 'mylib')).toBe('run'); // scripts/ is no package: not under the root's name
    expect(dottedName('core/add.py', packages)).toBe('core.add');
  });
});

describe('import graph of a package scanned at its own directory', () => {
  it('gives every module the fan-in and fan-out it has when the repo around it is scanned', async () => {
    const repo = tempDir('rustscout-root-package-');
    const files: Record<string, string> = {
      'mylib/__init__.py': 'from mylib.core import parse\n',
      'mylib/core.py': 'import mylib.kernels.crc\nfrom mylib.kernels import crc\n\ndef parse(data):\n    return crc.crc(data)\n',
      'mylib/kernels/__init__.py': '',
      'mylib/kernels/crc.py': 'def crc(data):\n    c = 0\n    for b in data:\n        c = (c >> 1) ^ b\n    return c\n',
      'mylib/cli.py': 'from mylib import parse\nfrom .kernels.crc import crc\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
    const options = { git: false, cache: false as const };
    const links = (modules: { path: string; imports: { fanIn: number; fanOut: number; importedBy: string[] } }[], prefix: string) =>
      Object.fromEntries(modules.map((m) => [prefix + m.path, { fanIn: m.imports.fanIn, fanOut: m.imports.fanOut, importedBy: m.imports.importedBy.map((p) => prefix + p) }]));
    const whole = links((await scan(repo, options)).modules, '');
    const own = links((await scan(join(repo, 'mylib'), options)).modules, 'mylib/');
    expect(own).toEqual(whole);
    expect(own['mylib/kernels/crc.py'].importedBy).toEqual(['mylib/cli.py', 'mylib/core.py']);
  });
});

describe('import graph of namespace packages (directories without __init__.py)', () => {
  it('resolves absolute imports by the path from the root, after package names', async () => {
    const modules = [
      await mod('app/core.py', 'from app.utils import slug\nimport app.models\nimport requests\n'),
      await mod('app/utils.py', 'def slug(s):\n    return s.lower()\n'),
      await mod('app/models.py', 'class Item:\n    pass\n'),
      await mod('lib/__init__.py', ''),
      await mod('lib/utils.py', 'def slug(s):\n    return s\n'),
      await mod('main.py', 'from lib.utils import slug\n'),
    ];
    const g = buildImportGraph(modules, new Set(['lib']));
    expect([...g.imports.get('app/core.py')!].sort()).toEqual(['app/models.py', 'app/utils.py']);
    expect([...g.imports.get('main.py')!]).toEqual(['lib/utils.py']);
    expect(g.moduleName.get('app/utils.py')).toBe('utils'); // its own name is unchanged
    expect(g.missing.size).toBe(0);
  });
});
