import { describe, expect, it } from 'vitest';
import { networkServer } from '../../detectors/network-server.js';
import { py, run, signals } from '../helpers.js';

describe('network-server: routes versus look-alike decorators', () => {
  it('mock.patch decorators in a test module are not web routes', async () => {
    const ev = await run(networkServer, py`
      import unittest
      from unittest import mock
      from unittest.mock import patch

      class FetchTest(unittest.TestCase):
          @mock.patch("urllib.request.urlopen")
          def test_fetch(self, urlopen):
              urlopen.return_value.read.return_value = b"ok"

          @patch.object(FetchTest, "setUp")
          def test_other(self, setup):
              pass
    `);
    expect(ev).toEqual([]);
  });

  it('routes on a blueprint imported from the app package are web-framework glue', async () => {
    const ev = await run(networkServer, py`
      from .app import api

      @api.get("/items/<int:item_id>")
      def item(item_id):
          return {"id": item_id}
    `);
    expect(signals(ev)).toEqual(['web-framework']);
    expect(ev[0].line).toBe(4);
  });

  it('a Django view is web glue, not a protocol server, even when it reads a socket-like stream', async () => {
    const ev = await run(networkServer, py`
      from django.http import StreamingHttpResponse
      from django.views import View

      class Upload(View):
          def post(self, request):
              chunk = request.read(4096)
              return StreamingHttpResponse([chunk])
    `);
    expect(signals(ev)).toEqual(['web-framework']);
  });
});
