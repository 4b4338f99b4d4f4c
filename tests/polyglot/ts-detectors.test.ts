import { describe, expect, it } from 'vitest';
import { tsDynamic } from '../../detectors/ts-dynamic.js';
import { tsHotLoops } from '../../detectors/ts-hot-loops.js';
import { tsServices } from '../../detectors/ts-services.js';
import type { TsCodeDetector } from '../../detectors/ts-types.js';
import { extractTsFacts } from '../../src/typescript/facts.js';
import { py as ts, signals } from '../helpers.js';

const run = (d: TsCodeDetector, src: string, path = 'mod.ts') => d.detect(extractTsFacts(path, src, path.endsWith('.ts') || path.endsWith('.tsx') ? 'typescript' : 'javascript'));

describe('ts facts', () => {
  it('names functions from declarations, bindings, class members; callbacks of map/forEach are loops of their function', () => {
    const f = extractTsFacts('m.ts', ts`
      export function a(xs: number[]) { return xs.map((x) => x * 2 + 1); }
      const b = async (u: string) => { await fetch(u); };
      class K { run() { const inner = function () { return 1; }; return inner(); } }
      module.exports.c = function () {};
    `, 'typescript');
    expect(f.functions.map((fn) => fn.name)).toEqual(['<module>', 'a', 'b', 'K.run', 'K.run.inner', 'c']);
    const a = f.functions[1];
    expect(a.loops.map((l) => l.kind)).toEqual(['callback']);
    expect(a.inLoop.arith).toBe(2);
    expect(f.functions[2].isAsync).toBe(true);
  });

  it('records imports, requires, re-exports and dynamic imports; type-only imports are marked', () => {
    const f = extractTsFacts('m.ts', ts`
      import fs, { readFile as rf } from 'node:fs';
      import type { Server } from 'node:http';
      import * as path from 'path';
      const { Worker } = require('worker_threads');
      export * from './kernel.js';
      async function load() { return import('./lazy.js'); }
    `, 'typescript');
    expect(f.imports.map((i) => [i.module, i.kind, i.typeOnly])).toEqual([
      ['node:fs', 'import', false], ['node:http', 'import', true], ['path', 'import', false],
      ['worker_threads', 'require', false], ['./kernel.js', 're-export', false], ['./lazy.js', 'dynamic', false],
    ]);
    expect(f.imports[0]).toMatchObject({ names: ['default', 'readFile'], bound: ['fs', 'rf'] });
    expect(f.imports[3]).toMatchObject({ names: ['Worker'], bound: ['Worker'] });
  });

  it('counts lines of code without comments or blank lines (JSX included)', () => {
    const f = extractTsFacts('c.tsx', ts`
      // a comment
      /**
       * docs
       */
      export const C = () => <div className="x">{1 + 2}</div>;

      export default C;
    `, 'typescript');
    expect(f.loc).toBe(2);
    expect(f.jsxElements).toBe(1);
  });

  it('walks generated code nested thousands deep without overflowing the stack', () => {
    const chain = 'export const total = ' + Array.from({ length: 5000 }, (_, i) => `v${i}`).join(' + ') + ';\n';
    const f = extractTsFacts('gen.js', chain + 'function f(n) { let s = 0; for (let i = 0; i < n; i++) s += i * i; return s; }\n', 'javascript');
    expect(f.functions.map((fn) => fn.name)).toEqual(['<module>', 'f']);
    expect(f.functions[0].all.arith).toBe(4999);
  });

  it('profiles what parsed in a broken file and says where it broke', () => {
    const f = extractTsFacts('b.ts', 'export function ok(a: number) { return a + 1; }\nfunction broken( { let = ; }\n', 'typescript');
    expect(f.functions.map((fn) => fn.name)).toContain('ok');
    expect(f.syntaxErrors[0]).toBe(2);
  });
});

describe('ts-hot-loops', () => {
  it('sees a bit-twiddling checksum over a typed array', () => {
    const ev = run(tsHotLoops, ts`
      export function crc32(buf: Uint8Array): number {
        const table = new Uint32Array(256);
        let c = ~0;
        for (let i = 0; i < buf.length; i++) {
          c ^= buf[i];
          for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
        }
        return ~c >>> 0;
      }
    `);
    expect(signals(ev)).toEqual(['bit-twiddling', 'nested-loop', 'scalar-loop', 'typed-array']);
    const loop = ev.find((e) => e.signal === 'scalar-loop')!;
    expect(loop).toMatchObject({ line: 4, function: 'crc32' });
    expect(ev.find((e) => e.signal === 'bit-twiddling')!.value).toBeGreaterThanOrEqual(5);
  });

  it('sees charCodeAt scanning in an index-stepping while loop', () => {
    const ev = run(tsHotLoops, ts`
      function countWords(s: string): number {
        let i = 0, n = 0, inWord = false;
        while (i < s.length) {
          const c = s.charCodeAt(i);
          const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
          if (letter && !inWord) n++;
          inWord = letter;
          i++;
        }
        return n;
      }
    `);
    expect(signals(ev)).toEqual(['byte-scan', 'index-while-loop', 'scalar-loop']);
    expect(ev.find((e) => e.signal === 'index-while-loop')!.line).toBe(3);
  });

  it('stays quiet on loops that only await I/O or call into libraries', () => {
    const ev = run(tsHotLoops, ts`
      export async function syncAll(ids: string[], db: Db) {
        for (const id of ids) {
          const row = await db.find(id);
          await db.save(row);
        }
      }
    `);
    expect(ev).toEqual([]);
  });
});

describe('ts-services', () => {
  it('sees a raw TCP server with byte framing, workers and an entry point', () => {
    const ev = run(tsServices, ts`
      #!/usr/bin/env node
      import { createServer } from 'node:net';
      import { Worker } from 'node:worker_threads';
      const w = new Worker('./w.js');
      createServer((s) => s.on('data', (b: Buffer) => w.postMessage(b.readUInt32BE(0)))).listen(9000);
    `);
    expect(signals(ev)).toEqual(['entry-point', 'raw-framing', 'socket-server', 'worker-threads']);
    expect(ev.find((e) => e.signal === 'socket-server')!.line).toBe(5);
  });

  it('counts promise continuations (.then) as waiting, like await: an interceptor chain is I/O orchestration', () => {
    const ev = run(tsServices, ts`
      export function request(config, chain) {
        let promise = Promise.resolve(config);
        let i = 0;
        while (i < chain.length) promise = promise.then(chain[i++], chain[i++]);
        return promise.then(dispatch).then((response) => transform(response));
      }
    `, 'core.js');
    const io = ev.find((e) => e.signal === 'async-io')!;
    expect(io.value).toBe(3);
    expect(io.message).toContain('3 promise continuation(s) (.then)');
    expect(run(tsServices, 'export const f = (p) => p.then(g);\n', 'one.js')).toEqual([]); // one continuation is not a pattern
  });

  it('resolves CommonJS requires and tells a bare http server from a framework app', () => {
    const http = run(tsServices, "const http = require('http');\nhttp.createServer((q, r) => r.end('ok')).listen(80);\nif (require.main === module) console.log('up');\n", 'srv.js');
    expect(signals(http)).toEqual(['entry-point', 'http-server']);
    const app = run(tsServices, "import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/', async () => ({ ok: true }));\n");
    expect(signals(app)).toEqual(['web-framework']);
  });

  it('does not call a method named createServer on an unrelated object a server', () => {
    const ev = run(tsServices, "import { factory } from './factory.js';\nfactory.createServer({ name: 'x' });\n");
    expect(ev).toEqual([]);
  });

  it('marks JSX and UI libraries as UI code', () => {
    const ev = run(tsServices, "import React from 'react';\nexport const A = () => <span>hi</span>;\n", 'a.tsx');
    expect(signals(ev)).toEqual(['ui-code']);
  });
});

describe('ts-dynamic', () => {
  it('sees eval, new Function, Proxy and built-in prototype patching', () => {
    const ev = run(tsDynamic, ts`
      const f = new Function('a', 'return a + 1');
      const p = new Proxy({}, { get: () => 1 });
      function run(code: string) { return eval(code); }
      Array.prototype.sum = function () { return 0; };
    `);
    expect(ev.map((e) => [e.line, e.function])).toEqual([[1, undefined], [2, undefined], [3, 'run'], [4, undefined]]);
    expect(ev.every((e) => e.signal === 'dynamic-feature')).toBe(true);
  });

  it('ignores a local function that happens to be called evaluate', () => {
    expect(run(tsDynamic, 'function evaluate(x: number) { return x; }\nevaluate(1);\n')).toEqual([]);
  });
});
