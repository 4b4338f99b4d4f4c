import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalise, pythonTokens, sourceFingerprints } from '../../src/ci/fingerprints.js';
import { py } from '../helpers.js';

const KERNEL = py`
  def checksum(data: bytes) -> int:
      a, b = 1, 0
      for byte in data:
          a = (a + byte) % 65521
          b = (b + a) % 65521
      return (b << 16) | a


  def greet(name):
      return "hello # not a comment " + name
`;

const texts = (src: string): string[] => pythonTokens(src).map((t) => t.text);
const fnPrint = (src: string, name: string, fns: { name: string; line: number; endLine: number }[]): string =>
  sourceFingerprints(src, fns).functions.find((f) => f.name === name)!.fingerprint;

describe('pythonTokens', () => {
  it('drops comments, blank lines and indentation but keeps strings whole, with their lines', () => {
    const tokens = pythonTokens(KERNEL);
    expect(tokens.map((t) => t.text)).toContain('"hello # not a comment "');
    expect(tokens.map((t) => t.text)).not.toContain('#');
    expect(tokens.find((t) => t.text === 'greet')!.line).toBe(9);
    expect(texts('x  =  a<<2 # shift\n')).toEqual(['x', '=', 'a', '<<', '2']);
  });

  it('reads triple-quoted, prefixed and escaped strings as one token and counts their lines', () => {
    const src = 'doc = """one\n# two\nthree"""\ns = rb\'\\\'x\'\ny = 1\n';
    const tokens = pythonTokens(src);
    expect(tokens.map((t) => t.text)).toEqual(['doc', '=', '"""one\n# two\nthree"""', 's', '=', "rb'\\'x'", 'y', '=', '1']);
    expect(tokens.find((t) => t.text === 'y')!.line).toBe(5);
  });

  it('is tolerant of unterminated strings and unknown characters', () => {
    expect(texts('s = "open\nx = 1 $ 2\n')).toEqual(['s', '=', '"open', 'x', '=', '1', '$', '2']);
  });
});

describe('content fingerprints', () => {
  const fns = [{ name: 'checksum', line: 1, endLine: 6 }, { name: 'greet', line: 9, endLine: 10 }];

  it('ignore blank lines, comments and re-indentation, so moved lines keep their fingerprint', () => {
    const shifted = '# header comment\n\n\n' + KERNEL.replace('    for byte in data:', '    # walk the bytes\n    for byte in data:  # each one');
    const shiftedFns = [{ name: 'checksum', line: 4, endLine: 10 }, { name: 'greet', line: 13, endLine: 14 }];
    expect(sourceFingerprints(shifted, shiftedFns).module).toBe(sourceFingerprints(KERNEL, fns).module);
    expect(fnPrint(shifted, 'checksum', shiftedFns)).toBe(fnPrint(KERNEL, 'checksum', fns));
    const reindented = KERNEL.split('\n').map((l) => (l.startsWith('    ') ? '  ' + l.slice(4) : l)).join('\n');
    expect(sourceFingerprints(reindented, fns).module).toBe(sourceFingerprints(KERNEL, fns).module);
  });

  it('change when the code changes, and only for the function that changed', () => {
    const edited = KERNEL.replace('"hello # not a comment "', '"hi "');
    expect(sourceFingerprints(edited, fns).module).not.toBe(sourceFingerprints(KERNEL, fns).module);
    expect(fnPrint(edited, 'greet', fns)).not.toBe(fnPrint(KERNEL, 'greet', fns));
    expect(fnPrint(edited, 'checksum', fns)).toBe(fnPrint(KERNEL, 'checksum', fns));
    const operator = KERNEL.replace('(b << 16) | a', '(b << 16) ^ a');
    expect(fnPrint(operator, 'checksum', fns)).not.toBe(fnPrint(KERNEL, 'checksum', fns));
  });

  it('give identical functions in one file distinct fingerprints', () => {
    const twice = 'def f(x):\n    return x + 1\n\ndef f(x):\n    return x + 1\n';
    const prints = sourceFingerprints(twice, [{ name: 'f', line: 1, endLine: 2 }, { name: 'f', line: 4, endLine: 5 }]).functions.map((f) => f.fingerprint);
    expect(prints[0]).not.toBe(prints[1]);
    expect(prints[1]).toBe(`${prints[0]}#2`);
  });

  it('are short hex digests over a token string that keeps token boundaries', () => {
    expect(sourceFingerprints('x = 1\n', []).module).toMatch(/^[0-9a-f]{20}$/);
    expect(normalise('ab\n', 1).text).toBe('ab\u0000');
    expect(normalise('a  b\n', 1).text).toBe('a\u0000b\u0000');
    expect(sourceFingerprints('ab\n', []).module).not.toBe(sourceFingerprints('a b\n', []).module);
  });

  it('index lines into the token string, blank and comment lines pointing at the next token', () => {
    const n = normalise('a = 1\n\n# c\nb = 2\n', 5);
    expect(Array.from(n.offsets.slice(1))).toEqual([0, 6, 6, 6, 12, 12]);
  });

  it('hash the same bytes as normalise() (the byte writer and the token scanner split alike)', () => {
    // Edge cases of the fused byte writer: string prefixes, numbers and what follows digits,
    // Unicode identifiers, lone surrogates, continuations, CR, comments, operators, end of input.
    const pieces = ['rb', 'F', 'u', 'Tr', 'x', 'é', 'ab_1', 'Ωmega', '0', '007', '0x', '0xFF', '1e5', '1E+5j', '1_000', '3.', '.5', '2L', '0b1', '0o7',
      '"', "'", '"""', "'''", '\\', '\\\n', '\\\r\n', '\n', '\r', '\t', ' ', '#', '# c\n', '**=', '//', '>>=', '<>', '<=', '...', '..', '->', ':=',
      '!=', '+=', '@', '$', '?', '`', '\u00a0', '\ufeff', '\ud83d\ude00', '\ud800', '\udc00', '\u0000', '(', ')', ','];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 20);
    const fns = [{ name: 'f', line: 2, endLine: 4 }];
    for (let round = 0; round < 3000; round++) {
      let src = '';
      const length = 1 + (next() % 24);
      for (let k = 0; k < length; k++) src += pieces[next() % pieces.length];
      const lines = src.split('\n').length;
      const norm = normalise(src, lines);
      const prints = sourceFingerprints(src, fns);
      expect(prints.module, JSON.stringify(src)).toBe(hash(norm.text));
      const at = (line: number): number => norm.offsets[Math.min(Math.max(line, 1), lines + 1)];
      expect(prints.functions[0].fingerprint, JSON.stringify(src)).toBe(hash(norm.text.slice(at(2), at(5))));
    }
  });
});
