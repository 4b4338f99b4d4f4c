/**
 * The parse floor for `npm run bench`: discover the same Python files a scan would, read them the
 * same way, parse each with the same tree-sitter parser on ONE thread, and do nothing else. No
 * detector can make a scan cheaper than this. It runs with the scan's V8 settings (src/v8-tuning.ts:
 * WebAssembly inlining speeds the parser up for both).   usage: node dist/scripts/parse-floor.js DIR
 */
import { join, resolve } from 'node:path';
import { discover } from '../src/discover.js';
import { pythonParser } from '../src/python/parser.js';
import { readSource } from '../src/read-source.js';
import { tuneV8ForScans } from '../src/v8-tuning.js';

async function main(): Promise<void> {
  tuneV8ForScans();
  const root = resolve(process.argv[2] ?? '.');
  const files = discover(root).files.filter((f) => f.language === 'python');
  const parser = await pythonParser();
  let parsed = 0;
  for (const f of files) {
    const src = await readSource(join(root, f.path));
    if ('error' in src) continue;
    const tree = parser.parse(src.text);
    tree?.delete();
    parsed++;
  }
  process.stdout.write(`${JSON.stringify({ files: files.length, parsed })}\n`);
}

void main();
