import { describe, expect, it } from 'vitest';
import { annotateComponentImports, buildImportGraph, missingSourceEvidence } from '../../src/link/import-graph.js';
import { factsOf } from '../../src/profile.js';
import { py } from '../helpers.js';

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
});
