import type { Evidence } from '../src/model.js';
import type { TsFileFacts } from '../src/typescript/facts.js';
import { tsFnName, tsImportedNames, tsModules, tsResolve, type TsCodeDetector } from './ts-types.js';

const ID = 'ts-services';
const WEB_FRAMEWORKS = new Set(['express', 'fastify', 'koa', '@koa/router', 'koa-router', '@hapi/hapi', 'hapi', 'restify', '@nestjs/core', '@nestjs/common', 'hono', 'next', '@remix-run/node', 'polka', 'h3', 'elysia']);
const UI_LIBRARIES = new Set(['react', 'react-dom', 'vue', 'svelte', 'preact', 'solid-js', '@angular/core', 'lit']);
const RAW_SERVER = /^(net|tls|dgram)\.(createServer|createSocket|Server)$/;
const HTTP_SERVER = /^(http|https|http2)\.(createServer|createSecureServer|Server)$/;
const FRAMING = /\.(read|write)(U?Int(8|16|32)|BigU?Int64|Float|Double)(BE|LE)?$|^Buffer\.(alloc|allocUnsafe|concat)$|\.(get|set)(U?Int(8|16|32)|BigU?Int64|Float32|Float64)$/;
const WORKERS = /^worker_threads\.(Worker|parentPort|workerData)|^cluster\.fork$|^child_process\.fork$/;
const CLI_LIBRARIES = new Set(['commander', 'yargs', 'meow', 'cac', 'sade', 'minimist', 'clipanion', 'oclif', '@oclif/core']);
const IO_CALL = /^(fetch|fs\.\w+|fs\.promises\.\w+|fs\/promises\.\w+|axios(\.\w+)?|\w+\.query|\w+\.findOne|\w+\.findMany)$/;

export const tsServices: TsCodeDetector = {
  id: ID,
  docs: {
    what: 'Servers (net/tls/dgram raw sockets, http.createServer, Express/Fastify/Koa/Hapi/Nest apps), byte-level framing (Buffer readUInt32BE/writeUInt16LE, DataView, socket data handlers), worker threads and cluster forks, CLI entry points (shebang, require.main === module, process.argv, commander/yargs), UI code (JSX, React/Vue), awaited I/O.',
    why: 'A standalone service or CLI whose cost is its own CPU (framing, parsing, workers added to get around one event-loop thread) is a whole program Rust can replace; framework request glue and UI code are I/O- and DOM-bound and stay in TypeScript.',
    example: "import net from 'node:net';\nnet.createServer((sock) => sock.on('data', (buf) => handle(buf.readUInt32BE(0)))).listen(7000);",
  },
  detect(file: TsFileFacts): Evidence[] {
    const out: Evidence[] = [];
    const imported = tsImportedNames(file);
    const modules = tsModules(file);
    const raw: { line: number; name: string; function?: string }[] = [];
    const http: { line: number; name: string; function?: string }[] = [];
    const workers: { line: number; name: string }[] = [];
    const io: { line: number; name: string }[] = [];
    let framing = 0;
    let framingLine = 0;
    let continuations = 0;
    let continuationLine = 0;
    for (const fn of file.functions) {
      for (const call of fn.calls) {
        if (call.name.endsWith('.then')) {
          // a promise continuation: code that waits on something, as `await` does
          continuations++;
          continuationLine ||= call.line;
        }
        const resolved = tsResolve(call.name, imported);
        if (RAW_SERVER.test(resolved)) raw.push({ line: call.line, name: resolved, function: tsFnName(fn.name) });
        else if (HTTP_SERVER.test(resolved)) http.push({ line: call.line, name: resolved, function: tsFnName(fn.name) });
        else if (WORKERS.test(resolved)) workers.push({ line: call.line, name: resolved });
        else if (FRAMING.test(resolved) || (/\.on$/.test(call.name) && call.firstString === 'data')) {
          framing++;
          framingLine ||= call.line;
        } else if (IO_CALL.test(resolved)) io.push({ line: call.line, name: resolved });
      }
    }
    if (raw.length) {
      out.push({
        detector: ID, signal: 'socket-server', value: raw.length, line: raw[0].line, function: raw[0].function,
        message: `runs its own socket server: ${[...new Set(raw.map((s) => s.name))].join(', ')}`,
      });
    }
    if (http.length) {
      out.push({
        detector: ID, signal: 'http-server', value: http.length, line: http[0].line, function: http[0].function,
        message: `runs a bare Node HTTP server (${http[0].name}) without a framework`,
      });
    }
    if (framing > 0 && (raw.length > 0 || http.length > 0 || modules.has('net') || modules.has('tls') || modules.has('dgram'))) {
      out.push({
        detector: ID, signal: 'raw-framing', value: framing, line: framingLine,
        message: `${framing} byte-framing call(s) (Buffer/DataView integer reads and writes, socket data handlers): it speaks a byte-level protocol`,
      });
    }
    if (workers.length) {
      out.push({
        detector: ID, signal: 'worker-threads', value: workers.length, line: workers[0].line,
        message: `spreads work over threads or processes (${[...new Set(workers.map((w) => w.name))].join(', ')}): CPU work one event loop cannot carry`,
      });
    }
    const frameworks = file.imports.filter((i) => !i.typeOnly && WEB_FRAMEWORKS.has(i.module));
    if (frameworks.length) {
      out.push({
        detector: ID, signal: 'web-framework', value: frameworks.length, line: frameworks[0].line,
        message: `web-framework code (${[...new Set(frameworks.map((f) => f.module))].join(', ')}): I/O-bound request glue`,
      });
    }
    const ui = file.imports.filter((i) => !i.typeOnly && UI_LIBRARIES.has(i.module));
    if (file.jsxElements > 0 || ui.length) {
      out.push({
        detector: ID, signal: 'ui-code', value: Math.max(1, file.jsxElements), line: file.firstJsxLine || ui[0]?.line || 1,
        message: `UI code (${file.jsxElements} JSX element(s)${ui.length ? `, ${ui.map((u) => u.module).join(', ')}` : ''}): DOM-bound, stays in the browser's language`,
      });
    }
    const cli = file.imports.find((i) => CLI_LIBRARIES.has(i.module));
    const entry = file.entryPoints[0];
    if (entry || cli) {
      const how = [...file.entryPoints.map((e) => e.kind), ...(cli ? [cli.module] : [])];
      out.push({
        detector: ID, signal: 'entry-point', value: how.length, line: entry?.line ?? cli!.line,
        message: `runs as a program (${how.join(', ')})`,
      });
    }
    const awaits = file.functions.reduce((n, f) => n + f.all.awaits, 0);
    if (io.length || awaits + continuations >= 3) {
      const firstAwait = file.functions.find((f) => f.all.awaits > 0)?.line;
      out.push({
        detector: ID, signal: 'async-io', value: io.length + awaits + continuations, line: io[0]?.line ?? firstAwait ?? (continuationLine || 1),
        message: `waits on I/O (${awaits} await(s)${continuations ? `, ${continuations} promise continuation(s) (.then)` : ''}${io.length ? `, ${[...new Set(io.map((c) => c.name))].slice(0, 3).join(', ')}` : ''})`,
      });
    }
    return out;
  },
};
