import { describe, expect, it } from 'vitest';
import { networkServer } from '../../detectors/network-server.js';
import { py, run, signals } from '../helpers.js';

describe('network-server detector', () => {
  it('recognises a raw socket server with byte framing', async () => {
    const ev = await run(networkServer, py`
      import socket
      import struct

      def serve(port):
          srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
          srv.bind(("0.0.0.0", port))
          srv.listen(128)
          while True:
              conn, _ = srv.accept()
              (length,) = struct.unpack(">I", conn.recv(4))
              conn.sendall(conn.recv(length))
    `);
    expect(signals(ev)).toEqual(['raw-framing', 'socket-server']);
    expect(ev.find((e) => e.signal === 'socket-server')!.line).toBe(6);
  });

  it('recognises socketserver handlers and asyncio servers', async () => {
    const ev = await run(networkServer, py`
      import asyncio
      import socketserver

      class Echo(socketserver.StreamRequestHandler):
          def handle(self):
              self.wfile.write(self.rfile.readline())

      async def main():
          server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 8888)
          await server.serve_forever()
    `);
    expect(signals(ev)).toEqual(['socket-server']);
    expect(ev[0].value).toBe(2);
  });

  it('treats a Flask view as web-framework glue, not a protocol server', async () => {
    const ev = await run(networkServer, py`
      from flask import Flask, jsonify
      app = Flask(__name__)

      @app.route("/health")
      def health():
          return jsonify(ok=True)
    `);
    expect(signals(ev)).toEqual(['web-framework']);
    expect(ev[0].line).toBe(5);
  });

  it('treats a Django view module as web glue', async () => {
    const ev = await run(networkServer, py`
      from django.http import JsonResponse
      from django.views import View

      class OrderView(View):
          def get(self, request, pk):
              return JsonResponse({"id": pk})
    `);
    expect(signals(ev)).toEqual(['web-framework']);
  });

  it('ignores a .bind() call when no socket module is imported', async () => {
    const ev = await run(networkServer, py`
      def setup(widget):
          widget.bind("<Button-1>", print)
    `);
    expect(ev).toEqual([]);
  });
});
