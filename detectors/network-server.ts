import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { STDLIB_MODULES } from '../src/link/stdlib-modules.js';
import type { FunctionFacts } from '../src/python/facts.js';
import { evidence, fileIndex, type FileIndex, fnName, resolveName, rootOf } from './util.js';

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
  detect: detectNetworkServer,
};

interface ServerSite {
  line: number;
  name: string;
  function: string | undefined;
}

/** Framing calls in a file: how many, and the first line. */
class Framing {
  count = 0;
  line = 0;
}

function usesRawSockets(imported: Map<string, string>): boolean {
  for (const m of imported.values()) {
    const root = rootOf(m);
    if (root === 'socket' || root === 'socketserver' || root === 'asyncio' || root === 'selectors') return true;
  }
  return false;
}

function scanCalls(fn: FunctionFacts, ix: FileIndex, rawSocket: boolean, serverCalls: ServerSite[], framing: Framing): void {
  const calls = ix.callsOf(fn);
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i];
    if (!FRAMING_OR_SERVER_ROOTS.has(c.root) && !FRAMING_OR_SERVER_METHODS.has(c.method)) continue;
    const method = c.method;
    const resolved = c.resolved;
    if (rawSocket && (method === 'listen' || method === 'accept' || (method === 'bind' && c.args >= 1))) {
      serverCalls.push({ line: c.line, name: c.name, function: fnName(fn) });
    } else if (/^asyncio\.(start_server|start_unix_server)$/.test(resolved) || /\.create_server$/.test(resolved) || /^socketserver\.\w*Server$/.test(resolved) || /^socket\.create_server$/.test(resolved)) {
      serverCalls.push({ line: c.line, name: c.name, function: fnName(fn) });
    } else if (/^struct\.(pack|unpack|unpack_from|pack_into|calcsize)$/.test(resolved) || /\.(recv|recv_into|sendall|recvfrom|readexactly)$/.test(c.name) || /^int\.from_bytes$|\.to_bytes$/.test(resolved)) {
      framing.count++;
      if (framing.line === 0) framing.line = c.line;
    }
  }
}

function serverClasses(file: PyFileFacts, imported: Map<string, string>, serverCalls: ServerSite[]): void {
  for (const cls of file.classes) {
    const base = cls.bases.map((b) => resolveName(b, imported)).find((b) => SERVER_BASES.test(b) && /^(socketserver|asyncio|http\.server)\b|^(BaseRequestHandler|StreamRequestHandler|DatagramRequestHandler)/.test(b));
    if (base) serverCalls.push({ line: cls.line, name: `class ${cls.name}(${base})`, function: undefined });
  }
}

function socketServer(serverCalls: ServerSite[]): Evidence {
  const names: string[] = [];
  for (let i = 0; i < serverCalls.length && i < 3; i++) names.push(serverCalls[i].name);
  return evidence(ID, 'socket-server', serverCalls.length, serverCalls[0].line, serverCalls[0].function, `runs its own server: ${names.join(', ')}`);
}

/** `@app.get(...)` is a route; `@mock.patch(...)` (a receiver imported from the standard library) is not. */
function isRoute(d: string, imported: Map<string, string>): boolean {
  return ROUTE_DECORATOR.test(d) && !STDLIB_MODULES.has(rootOf(resolveName(d.slice(0, d.indexOf('(')), imported)));
}

function webFramework(file: PyFileFacts, imported: Map<string, string>, out: Evidence[]): void {
  const frameworks = new Set<string>();
  let frameworkLine = 0;
  for (const imp of file.imports) {
    const root = rootOf(imp.module);
    if (WEB_FRAMEWORKS.has(root) || (root === 'aiohttp' && (imp.module === 'aiohttp.web' || imp.names.includes('web')))) {
      frameworks.add(root);
      frameworkLine ||= imp.line;
    }
  }
  let routes = 0;
  let firstRoute = 0;
  for (const fn of file.functions) {
    const decorators = fn.decorators;
    for (let i = 0; i < decorators.length; i++) {
      if (decorators[i].includes('(') && isRoute(decorators[i], imported)) {
        if (routes === 0) firstRoute = fn.line;
        routes++;
        break;
      }
    }
  }
  if (frameworks.size === 0 && routes === 0) return;
  let views = 0;
  for (const c of file.classes) if (c.bases.some((b) => FRAMEWORK_BASES.test(b))) views++;
  out.push(evidence(
    ID, 'web-framework', Math.max(1, routes + views), routes > 0 ? firstRoute : frameworkLine, undefined,
    `web-framework code (${[...frameworks].join(', ') || 'route decorators'}${routes ? `, ${routes} route(s)` : ''}${views ? `, ${views} view class(es)` : ''}): I/O-bound request glue`,
  ));
}

function detectNetworkServer(file: PyFileFacts): Evidence[] {
  const out: Evidence[] = [];
  const ix = fileIndex(file);
  const imported = ix.imported;
  const rawSocket = usesRawSockets(imported);
  const serverCalls: ServerSite[] = [];
  const framing = new Framing();
  for (const fn of file.functions) scanCalls(fn, ix, rawSocket, serverCalls, framing);
  if (file.classes.length > 0) serverClasses(file, imported, serverCalls);
  if (serverCalls.length > 0) out.push(socketServer(serverCalls));
  if (framing.count > 0 && (serverCalls.length > 0 || rawSocket)) {
    out.push(evidence(ID, 'raw-framing', framing.count, framing.line, undefined, `${framing.count} framing call(s) (struct pack/unpack, recv/sendall, int.from_bytes): it speaks a byte-level protocol`));
  }
  webFramework(file, imported, out);
  return out;
}
