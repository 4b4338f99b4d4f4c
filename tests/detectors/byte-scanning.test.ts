import { describe, expect, it } from 'vitest';
import { byteScanning } from '../../detectors/byte-scanning.js';
import { py, run, signals } from '../helpers.js';

describe('byte-scanning detector', () => {
  it('sees a hand-written tokenizer: per-character comparisons, ord() and index arithmetic', async () => {
    const ev = await run(byteScanning, py`
      def tokenize(text: str):
          tokens = []
          i = 0
          while i < len(text):
              ch = text[i]
              if ch == '"':
                  j = text.find('"', i + 1)
                  tokens.append(text[i + 1:j])
                  i = j + 1
              elif ch.isdigit():
                  start = i
                  while i < len(text) and '0' <= text[i] <= '9':
                      i += 1
                  tokens.append(int(text[start:i]))
              elif ord(ch) < 32:
                  i += 1
              else:
                  tokens.append(ch)
                  i += 1
          return tokens
    `);
    expect(signals(ev)).toEqual(['buffer-offsets', 'char-scan']);
    const scan = ev.find((e) => e.signal === 'char-scan')!;
    expect(scan.function).toBe('tokenize');
    expect(scan.line).toBe(4);
    expect(scan.value).toBeGreaterThanOrEqual(4);
    expect(ev.find((e) => e.signal === 'buffer-offsets')!.value).toBe(2);
  });

  it('sees a checksum stepping through a bytes parameter', async () => {
    const ev = await run(byteScanning, py`
      def adler32(data: bytes) -> int:
          a, b = 1, 0
          for byte in data:
              a = (a + byte) % 65521
              b = (b + a) % 65521
          return (b << 16) | a
    `);
    expect(signals(ev)).toEqual(['byte-iteration']);
    expect(ev[0]).toMatchObject({ line: 3, value: 1, function: 'adler32' });
  });

  it('sees struct.unpack per record and a bytearray built byte by byte', async () => {
    const ev = await run(byteScanning, py`
      import struct
      from struct import Struct

      HEADER = Struct("<HI")

      def decode_records(blob):
          pos = 0
          out = []
          while pos < len(blob):
              kind, size = HEADER.unpack_from(blob, pos)
              (value,) = struct.unpack("<d", blob[pos + 6:pos + 14])
              out.append((kind, value))
              pos += 6 + size
          return out

      def encode_varint(n):
          buf = bytearray()
          while n > 0x7F:
              buf.append((n & 0x7F) | 0x80)
              n >>= 7
          buf.append(n)
          return bytes(buf)
    `);
    const struct_ = ev.find((e) => e.signal === 'struct-in-loop')!;
    expect(struct_).toMatchObject({ function: 'decode_records', value: 2, line: 10 });
    const build = ev.find((e) => e.signal === 'bytearray-build')!;
    expect(build).toMatchObject({ function: 'encode_varint', value: 1, line: 19 });
    expect(ev.find((e) => e.signal === 'buffer-offsets')?.function).toBe('decode_records');
  });

  it('treats the loop variable passed to ord() as a character iteration', async () => {
    const ev = await run(byteScanning, py`
      def rot13(s):
          return "".join(chr((ord(c) - 97 + 13) % 26 + 97) for c in s)
    `);
    expect(signals(ev)).toEqual(['byte-iteration', 'char-scan']);
  });

  it('reports nothing for str methods applied to whole strings or for dict lookups in a loop', async () => {
    const ev = await run(byteScanning, py`
      import json

      def load_users(path):
          with open(path) as fh:
              rows = json.load(fh)
          names = []
          for row in rows:
              if row["active"] == "y":
                  names.append(row["name"].strip().lower())
          return ",".join(names)
    `);
    expect(ev).toEqual([]);
  });

  it('does not call a list of records a byte buffer, nor a list built in a loop a bytearray', async () => {
    const ev = await run(byteScanning, py`
      def totals(orders: list):
          out = []
          for order in orders:
              out.append(order.total)
          return out
    `);
    expect(ev).toEqual([]);
  });
});
