import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { STDLIB_MODULES } from '../src/link/stdlib-modules.js';
import { fileIndex, fnName, resolveName, rootOf } from './util.js';

const ID = 'network-server';
const WEB_FRAMEWORKS = new Set(['flask', 'django', 'fastapi', 'starlette', 'tornado', 'bottle', 'pyramid', 'falcon', 'sanic', 'quart', 'litestar']);
const SERVER_BASES = /(^|\.)(BaseRequestHandler|StreamRequestHandler|DatagramRequestHandler|TCPServer|UDPServer|ThreadingTCPServer|ThreadingMixIn|ForkingMixIn|Protocol|DatagramProtocol|BufferedProtocol|BaseHTTPRequestHandler|HTTPServer|ThreadingHTTPServer)$/;
const FRAMEWORK_BASES = /(^|\.)(View|APIView|RequestHandler|HTTPEndpoint|MethodView|ModelViewSet|ViewSet|web\.View)$/;
/** Roots and method names the per-call checks below can match: anything else is skipped cheaply. */
const FRAMING_OR_SERVER_ROOTS = new Set(['asyncio', 'socketserver', 'socket', 'struct', 'int']);
const FRAMING_OR_SERVER_METHODS = new Set(['listen', 'accept', 'bind', 'create_server', 'recv', 'recv_into', 'sendall', 'recvfrom', 'readexactly', 'to_bytes']);
const ROUTE_DECORATOR = /\.(route|get|post|put|delete|patch|websocket|api_route)\(/;

export const networkServer: CodeDetector = {
  id: ID,
  docs: {
    what: 'Sockets bound and listened on (bind/listen/accept), socketserver handlers, asyncio servers and protocol classes, raw framing with struct; versus web-framework code (Flask, Django, FastAPI, Starlette, aiohttp.web, Tornado routes and views). Signals: `socket-server` (value: server sites), `raw-framing` (value: struct/recv/sendall/int.from_bytes calls in a module that uses sockets), `web-framework` (value: routes plus view classes, at least 1). Route decorators whose receiver comes from the standard library (`@mock.patch`) are not routes. HTTP/database clients are io-glue signals.',
    why: 'A raw protocol server owns its sockets, framing and concurrency: a standalone Rust service (tokio) does that with lower latency and no GIL. A web app built on a framework is I/O-bound glue whose time goes to the database and network: a rewrite buys little.',
    example: 'import socket\nsrv = socket.socket()\nsrv.bind(("0.0.0.0", 9000))\nsrv.listen()\nwhile True:\n    conn, _ = srv.accept()',
  },
  detect(file: PyFileFacts): Evidence[] {
    const out: Evidence[] = [];
    const ix = fileIndex(file);
    const imported = ix.imported;
    const rawSocket = [...imported.values()].some((m) => rootOf(m) === 'socket' || rootOf(m) === 'socketserver' || rootOf(m) === 'asyncio' || rootOf(m) === 'selectors');
    const serverCalls: { line: number; name: string; function?: string }[] = [];
    let framing = 0;
    let framingLine = 0;
    for (const fn of file.functions) {
      for (const { call, resolved, method, root } of ix.callsOf(fn)) {
        if (!FRAMING_OR_SERVER_ROOTS.has(root) && !FRAMING_OR_SERVER_METHODS.has(method)) continue;
        if (rawSocket && (method === 'listen' || method === 'accept' || (method === 'bind' && call.args >= 1))) {
          serverCalls.push({ line: call.line, name: call.name, function: fnName(fn) });
        } else if (/^asyncio\.(start_server|start_unix_server)$/.test(resolved) || /\.create_server$/.test(resolved) || /^socketserver\.\w*Server$/.test(resolved) || /^socket\.create_server$/.test(resolved)) {
          serverCalls.push({ line: call.line, name: call.name, function: fnName(fn) });
        } else if (/^struct\.(pack|unpack|unpack_from|pack_into|calcsize)$/.test(resolved) || /\.(recv|recv_into|sendall|recvfrom|readexactly)$/.test(call.name) || /^int\.from_bytes$|\.to_bytes$/.test(resolved)) {
          framing++;
          framingLine ||= call.line;
        }
      }
    }
    for (const cls of file.classes) {
      const base = cls.bases.map((b) => resolveName(b, imported)).find((b) => SERVER_BASES.test(b) && /^(socketserver|asyncio|http\.server)\b|^(BaseRequestHandler|StreamRequestHandler|DatagramRequestHandler)/.test(b));
      if (base) serverCalls.push({ line: cls.line, name: `class ${cls.name}(${base})` });
    }
    if (serverCalls.length > 0) {
      out.push({
        detector: ID, signal: 'socket-server', value: serverCalls.length, line: serverCalls[0].line, function: serverCalls[0].function,
        message: `runs its own server: ${serverCalls.slice(0, 3).map((s) => s.name).join(', ')}`,
      });
    }
    if (framing > 0 && (serverCalls.length > 0 || rawSocket)) {
      out.push({
        detector: ID, signal: 'raw-framing', value: framing, line: framingLine,
        message: `${framing} framing call(s) (struct pack/unpack, recv/sendall, int.from_bytes): it speaks a byte-level protocol`,
      });
    }
    const frameworks = new Set<string>();
    let frameworkLine = 0;
    for (const imp of file.imports) {
      const root = rootOf(imp.module);
      if (WEB_FRAMEWORKS.has(root) || (root === 'aiohttp' && (imp.module === 'aiohttp.web' || imp.names.includes('web')))) {
        frameworks.add(root);
        frameworkLine ||= imp.line;
      }
    }
    // `@app.get(...)` is a route; `@mock.patch(...)` (a receiver imported from the standard library) is not.
    const isRoute = (d: string): boolean => ROUTE_DECORATOR.test(d) && !STDLIB_MODULES.has(rootOf(resolveName(d.slice(0, d.indexOf('(')), imported)));
    const routes = file.functions.filter((fn) => fn.decorators.some(isRoute));
    const views = file.classes.filter((c) => c.bases.some((b) => FRAMEWORK_BASES.test(b)));
    if (frameworks.size > 0 || routes.length > 0) {
      out.push({
        detector: ID, signal: 'web-framework', value: Math.max(1, routes.length + views.length), line: routes[0]?.line ?? frameworkLine,
        message: `web-framework code (${[...frameworks].join(', ') || 'route decorators'}${routes.length ? `, ${routes.length} route(s)` : ''}${views.length ? `, ${views.length} view class(es)` : ''}): I/O-bound request glue`,
      });
    }
    return out;
  },
};
