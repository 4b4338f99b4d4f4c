import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, profileOf } from '../helpers.js';

const signalsOf = async (name: string, path: string): Promise<Map<string, number>> => {
  const p = await profileOf(readFileSync(join(fixture(name), path), 'utf8'), path);
  const out = new Map<string, number>();
  for (const e of p.evidence) if (!out.has(e.signal)) out.set(e.signal, e.line);
  return out;
};

describe('new detectors on the shipped fixtures', () => {
  it('the binary protocol codec: struct per record, offsets, byte iteration', async () => {
    const s = await signalsOf('tcp-protocol-server', 'kvstored/protocol.py');
    expect([...s.keys()]).toEqual(expect.arrayContaining(['struct-in-loop', 'buffer-offsets', 'byte-iteration']));
    expect(s.has('web-framework')).toBe(false);
  });

  it('the threaded server: threads, a CLI and an entry point; the store: a lock', async () => {
    const server = await signalsOf('tcp-protocol-server', 'kvstored/server.py');
    expect([...server.keys()]).toEqual(expect.arrayContaining(['socket-server', 'threads', 'cli', 'entry-point']));
    expect(server.has('thread-cpu-work')).toBe(false); // its handler threads wait on sockets
    const store = await signalsOf('tcp-protocol-server', 'kvstored/store.py');
    expect([...store.keys()]).toEqual(['locks']);
  });

  it('the web app: views are framework glue with no server or byte scanning; models talk to a database', async () => {
    const views = await signalsOf('webapp-with-kernel', 'shopfront/views/uploads.py');
    expect(views.has('web-framework')).toBe(true);
    for (const s of ['socket-server', 'raw-framing', 'char-scan', 'struct-in-loop']) expect(views.has(s), s).toBe(false);
    const models = await signalsOf('webapp-with-kernel', 'shopfront/models.py');
    expect(models.has('db-client')).toBe(true);
  });

  it('the vectorised pipeline has no loop signals at all', async () => {
    for (const path of ['salesstats/metrics.py', 'salesstats/load.py']) {
      const s = await signalsOf('numpy-pipeline', path);
      expect([...s.keys()], path).toEqual(['vectorised-call']);
    }
  });

  it('the PyO3 package imports its extension with a pure-Python fallback', async () => {
    const s = await signalsOf('pyo3-crate', 'textstats/__init__.py');
    expect([...s.keys()]).toEqual(['optional-native-import']);
  });
});
