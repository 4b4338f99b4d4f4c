import { describe, expect, it } from 'vitest';
import { hotLoops } from '../../detectors/hot-loops.js';
import { py, run, signals } from '../helpers.js';

describe('hot-loops detector', () => {
  it('sees scalar work, nesting and bit operations in a CRC kernel', async () => {
    const ev = await run(hotLoops, py`
      def crc32(data):
          crc = 0xFFFFFFFF
          for b in data:
              crc ^= b
              for _ in range(8):
                  crc = (crc >> 1) ^ (0xEDB88320 & -(crc & 1))
          return crc ^ 0xFFFFFFFF
    `);
    expect(signals(ev)).toEqual(['bit-twiddling', 'nested-loop', 'scalar-loop']);
    const scalar = ev.find((e) => e.signal === 'scalar-loop')!;
    expect(scalar.line).toBe(3);
    expect(scalar.function).toBe('crc32');
    expect(scalar.value).toBeGreaterThanOrEqual(6);
  });

  it('flags an index-stepping while loop, recursion and per-element generators', async () => {
    const ev = await run(hotLoops, py`
      def scan(s):
          i = 0
          while i < len(s):
              if s[i] == '"':
                  i += 2
              i += 1
          return i

      def walk(node):
          return [walk(c) for c in node.children]

      def tokens(text):
          for word in text.split():
              yield word
    `);
    expect(ev.find((e) => e.signal === 'index-while-loop')?.line).toBe(3);
    expect(ev.find((e) => e.signal === 'recursion')?.function).toBe('walk');
    expect(ev.find((e) => e.signal === 'per-element-generator')?.function).toBe('tokens');
  });

  it('reports nothing for straight-line glue code', async () => {
    const ev = await run(hotLoops, py`
      import logging
      log = logging.getLogger(__name__)

      def configure(app, settings):
          app.config.update(settings)
          log.info("configured %s", app.name)
          return app
    `);
    expect(ev).toEqual([]);
  });

  it('attributes methods to their qualified names', async () => {
    const ev = await run(hotLoops, py`
      class Histogram:
          def add_all(self, values):
              for v in values:
                  self.bins[v >> self.shift] += 1
    `);
    expect(ev.every((e) => e.function === 'Histogram.add_all')).toBe(true);
    expect(ev.some((e) => e.signal === 'scalar-loop')).toBe(true);
  });
});
