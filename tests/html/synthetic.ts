/** Builds large and hostile reports for the HTML tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleReport, Report } from '../../src/model.js';
import { tempDir } from '../helpers.js';


/** A report of `n` modules shaped like real ones (reasons, functions, excerpts), deterministic. */
export function syntheticReport(n: number, template: ModuleReport): Report {
  const modules: ModuleReport[] = [];
  for (let i = 0; i < n; i++) {
    const verdict = i % 41 === 0 ? 'move-to-rust' : i % 13 === 0 ? 'pyo3-extension' : 'keep-python';
    modules.push({
      ...template,
      path: `pkg${String(i % 200).padStart(3, '0')}/sub${i % 7}/mod${i}.py`,
      component: `pkg${String(i % 200).padStart(3, '0')}`,
      verdict,
      score: (i * 37) % 101,
      loc: 10 + ((i * 13) % 900),
      imports: { fanIn: i % 9, fanOut: i % 5, importedBy: [] },
    });
  }
  modules.sort((a, b) => (a.path < b.path ? -1 : 1));
  const summary: Record<string, number> = { 'keep-python': 0, 'pyo3-extension': 0, 'move-to-rust': 0 };
  for (const m of modules) summary[m.verdict]++;
  return {
    schemaVersion: 1, tool: { name: 'rustscout', version: '0.1.0' }, root: '/synthetic/monorepo', summary,
    components: Array.from({ length: 200 }, (_, k) => ({
      name: `pkg${String(k).padStart(3, '0')}`, kind: 'python-package' as const, path: `pkg${String(k).padStart(3, '0')}`, manifests: [], dependencies: [],
      modules: modules.filter((m) => m.component === `pkg${String(k).padStart(3, '0')}`).length, loc: 0, verdict: 'keep-python' as const, summary: {}, facts: {},
    })),
    modules, warnings: [],
  };
}

/** A repository whose names and code try to break out of the report. */
export function hostileRepo(): string {
  const dir = tempDir('rustscout-hostile-');
  const pkg = join(dir, '<img src=x onerror=alert(1)>');
  mkdirSync(pkg);
  writeFileSync(join(pkg, '__init__.py'), '');
  const kernel = [
    'def checksum(data: bytes) -> int:  # </script><script>alert(2)</script><!--',
    '    h = 0',
    '    for b in data:',
    '        h = (h * 31 + b) & 0xFFFFFFFF',
    '        h ^= (h >> 7) ^ (h << 3) & 0xFFFFFFFF',
    '    return h',
    '',
    'def scan(buf: bytes) -> int:',
    '    i = 0',
    '    n = 0',
    '    while i < len(buf):',
    '        if buf[i] == 0x3C and buf[i + 1] == 0x2F:',
    '            n += (buf[i] ^ buf[i + 1]) & 0xFF',
    '        i += 1',
    '    return n',
  ].join('\n');
  writeFileSync(join(pkg, 'k"e\'r&n<e>l\u2028.py'), kernel + '\n');
  writeFileSync(join(pkg, 'new\nline.py'), 'import os\n\nprint(os.getcwd())\n');
  return dir;
}

