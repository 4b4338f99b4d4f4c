import { describe, expect, it } from 'vitest';
import { classifyTsModule, TS_FEATURES } from '../../src/typescript/classify.js';
import { profileTypeScript } from '../../src/typescript/profile.js';
import { py as ts } from '../helpers.js';

const classify = (src: string, path = 'm.ts', fanIn = 0) => classifyTsModule(profileTypeScript(path, src, /\.tsx?$/.test(path) ? 'typescript' : 'javascript'), { fanIn });

const KERNEL = ts`
  export function sobel(src: Float32Array, w: number, h: number): Float32Array {
    const out = new Float32Array(w * h);
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        const i = y * w + x;
        const gx = -src[i - w - 1] - 2 * src[i - 1] - src[i + w - 1] + src[i - w + 1] + 2 * src[i + 1] + src[i + w + 1];
        const gy = -src[i - w - 1] - 2 * src[i - w] - src[i - w + 1] + src[i + w - 1] + 2 * src[i + w] + src[i + w + 1];
        out[i] = Math.sqrt(gx * gx + gy * gy);
      }
    }
    return out;
  }

  export function quantise(values: Float32Array, levels: number): Uint8Array {
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = Math.min(levels - 1, (values[i] * levels) | 0) & 0xff;
    return out;
  }
`;

describe('TypeScript/JavaScript scorer', () => {
  it('a numeric kernel over typed arrays is a wasm-extension, its kernel function ranked first', () => {
    const c = classify(KERNEL);
    expect(c.verdict).toBe('wasm-extension');
    expect(c.score).toBeGreaterThanOrEqual(50);
    expect(c.functions[0].name).toBe('sobel');
    expect(c.reasons[0].signal).toBe('scalar-loop');
    const sum = Object.entries(c.features).reduce((n, [k, v]) => n + (TS_FEATURES[k]?.weight ?? 0) * v, 0);
    expect(c.logit).toBeCloseTo(-3.2 + sum, 1); // the score is exactly the named features × named weights
  });

  it('the same kernel in a CLI entry point moves to Rust whole', () => {
    const c = classify(`#!/usr/bin/env node\n${KERNEL}\nconst [, , file] = process.argv;\nconsole.log(file);\n`);
    expect(c.verdict).toBe('move-to-rust');
    expect(c.reasons.map((r) => r.signal)).toContain('entry-point');
  });

  it('a raw socket server with framing moves to Rust even without a numeric kernel', () => {
    const c = classify(ts`
      import net from 'node:net';
      const server = net.createServer((sock) => {
        sock.on('data', (buf: Buffer) => {
          const len = buf.readUInt32BE(0);
          const kind = buf.readUInt8(4);
          sock.write(Buffer.concat([Buffer.from([kind]), buf.subarray(5, 5 + len)]));
        });
      });
      server.listen(7000);
    `);
    expect(c.verdict).toBe('move-to-rust');
  });

  it('Express glue and UI stay in their language, even with a small loop', () => {
    const api = classify(ts`
      import express from 'express';
      const app = express();
      app.get('/sum', (req, res) => {
        let total = 0;
        for (const v of String(req.query.v).split(',')) total += Number(v);
        res.json({ total });
      });
      export default app;
    `);
    expect(api.verdict).toBe('keep-typescript');
    expect(api.reasons.find((r) => r.signal === 'web-framework')!.contribution).toBeLessThan(0);
    const ui = classify("import React from 'react';\nexport const List = ({ xs }) => <ul>{xs.map((x) => <li key={x}>{x * 2}</li>)}</ul>;\n", 'list.jsx');
    expect(ui.verdict).toBe('keep-javascript');
  });

  it('the kernel in a JavaScript file gets the same verdict as in TypeScript', () => {
    const js = KERNEL.replace(/: Float32Array|: number|: Uint8Array/g, '');
    expect(classify(js, 'k.mjs').verdict).toBe('wasm-extension');
  });
});
