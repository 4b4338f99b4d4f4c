import fg from 'fast-glob';
import { readFileSync } from 'node:fs';
import { pythonTokens, sourceFingerprints } from '/work/main/dist/src/ci/fingerprints.js';
const files = fg.sync('**/*.py', { cwd: '/work/corpus-cache/corpus', absolute: true });
let bytes = 0; const texts = files.map((f) => { const t = readFileSync(f, 'utf8'); bytes += t.length; return t; });
const t0 = performance.now();
let n = 0;
for (const t of texts) { n += sourceFingerprints(t, [{ name: 'f', line: 1, endLine: 50 }, { name: 'g', line: 30, endLine: 200 }]).functions.length; }
const ms = performance.now() - t0;
console.log(files.length, 'files', (bytes / 1e6).toFixed(1), 'MB', ms.toFixed(0), 'ms', (bytes / 1e6 / (ms / 1000)).toFixed(1), 'MB/s');
