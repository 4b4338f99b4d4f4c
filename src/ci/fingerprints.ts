/**
 * Content fingerprints: a hash of a normalised Python token stream, so a fingerprint survives
 * moved lines, re-indentation, blank lines, comment edits and renamed files, and changes only
 * when the code itself changes. No line numbers go into a fingerprint.
 */
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

export interface Token {
  text: string;
  line: number;
}

const STRING_PREFIX = /^(?:r|u|b|f|t|br|rb|fr|rf|tr|rt)$/i;
const IDENT_REST = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]*/uy;
const IDENT_START = /[\p{L}\p{Nl}_]/u;
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)[jJlL]?/y;
/** Two- and three-character operators, by first character. */
const OPERATORS: Record<string, string[]> = {
  '*': ['**=', '**', '*='], '/': ['//=', '//', '/='], '>': ['>>=', '>>', '>='], '<': ['<<=', '<<', '<=', '<>'],
  '.': ['...'], '-': ['->', '-='], ':': [':='], '=': ['=='], '!': ['!='], '+': ['+='], '%': ['%='],
  '&': ['&='], '|': ['|='], '^': ['^='], '@': ['@='],
};

/** OPERATORS indexed by the char code of their first character. */
const OPERATORS_BY_CODE: (string[] | undefined)[] = [];
for (const [first, longer] of Object.entries(OPERATORS)) OPERATORS_BY_CODE[first.charCodeAt(0)] = longer;

const isAsciiIdentStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isAsciiIdentPart = (c: number): boolean => isAsciiIdentStart(c) || (c >= 48 && c <= 57);

/**
 * Splits Python source into tokens, dropping whitespace, newlines, line continuations and
 * comments. Tolerant: unterminated strings end at the end of the line (or file), unknown
 * characters become one-character tokens; the same text always yields the same tokens.
 */
export function pythonTokens(source: string): Token[] {
  const tokens: Token[] = [];
  scanTokens(source, (start, end, line, lower) => tokens.push({ text: tokenText(source, start, end, lower), line }));
  return tokens;
}

/** A token's normalised text: source[start, end) with its first `lower` characters lower-cased. */
function tokenText(source: string, start: number, end: number, lower: number): string {
  return lower ? source.slice(start, start + lower).toLowerCase() + source.slice(start + lower, end) : source.slice(start, end);
}

/**
 * The scanner behind pythonTokens, normalise and sourceFingerprints: calls `emit` once per token,
 * in order, with its source range and how many of its leading (ASCII) characters normalise to lower case.
 */
function scanTokens(source: string, emit: (start: number, end: number, line: number, lower: number) => void): void {
  const n = source.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff) {
      i++;
      continue;
    }
    if (c === 92 /* \\ */ && (source.charCodeAt(i + 1) === 10 || (source.charCodeAt(i + 1) === 13 && source.charCodeAt(i + 2) === 10))) {
      i += source.charCodeAt(i + 1) === 10 ? 2 : 3;
      line++;
      continue;
    }
    if (c === 35 /* # */) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    const startLine = line;
    if (isAsciiIdentStart(c) || (c > 127 && IDENT_START.test(source[i]))) {
      let j = i + 1;
      while (j < n && isAsciiIdentPart(source.charCodeAt(j))) j++;
      if (j < n && source.charCodeAt(j) > 127) {
        IDENT_REST.lastIndex = j;
        j += IDENT_REST.exec(source)![0].length;
      }
      const q = source.charCodeAt(j);
      if ((q === 34 || q === 39) && j - i <= 2 && STRING_PREFIX.test(source.slice(i, j))) {
        const end = stringEnd(source, j);
        line += countNewlines(source, j, end);
        emit(i, end, startLine, j - i);
        i = end;
      } else {
        emit(i, j, startLine, 0);
        i = j;
      }
      continue;
    }
    if (c === 34 || c === 39) {
      const end = stringEnd(source, i);
      line += countNewlines(source, i, end);
      emit(i, end, startLine, 0);
      i = end;
      continue;
    }
    const next = source.charCodeAt(i + 1);
    if ((c >= 48 && c <= 57) || (c === 46 && next >= 48 && next <= 57)) {
      NUMBER.lastIndex = i;
      const num = NUMBER.exec(source);
      if (num && num[0].length) {
        emit(i, i + num[0].length, startLine, num[0].length);
        i += num[0].length;
        continue;
      }
    }
    let length = 1;
    const longer = c < 128 ? OPERATORS_BY_CODE[c] : undefined;
    if (longer) for (const o of longer) if (source.startsWith(o, i)) { length = o.length; break; }
    emit(i, i + length, startLine, 0);
    i += length;
  }
}

export interface NormalisedSource {
  /** Every token followed by U+0000: what fingerprints hash. */
  text: string;
  /** offsets[L] = offset in `text` of the first token on line L or later (1-based; one past the last line = text.length). */
  offsets: Int32Array;
}

/** The source as one normalised token string, with an index from line numbers into it. */
export function normalise(source: string, lines: number): NormalisedSource {
  const offsets = new Int32Array(lines + 2).fill(-1);
  let text = '';
  scanTokens(source, (start, end, line, lower) => {
    if (line <= lines && offsets[line] < 0) offsets[line] = text.length;
    text += tokenText(source, start, end, lower) + '\u0000';
  });
  offsets[lines + 1] = text.length;
  for (let l = lines; l >= 1; l--) if (offsets[l] < 0) offsets[l] = offsets[l + 1];
  return { text, offsets };
}

function countNewlines(source: string, from: number, to: number): number {
  let count = 0;
  for (let k = source.indexOf('\n', from); k >= 0 && k < to; k = source.indexOf('\n', k + 1)) count++;
  return count;
}

/** Index just past the string literal whose opening quote is at `i`. */
function stringEnd(source: string, i: number): number {
  const q = source.charCodeAt(i);
  const triple = source.charCodeAt(i + 1) === q && source.charCodeAt(i + 2) === q;
  const n = source.length;
  let k = i + (triple ? 3 : 1);
  while (k < n) {
    const c = source.charCodeAt(k);
    if (c === 92 /* \\ */) {
      k += 2;
      continue;
    }
    if (!triple && c === 10) return k;
    if (c === q) {
      if (!triple) return k + 1;
      if (source.charCodeAt(k + 1) === q && source.charCodeAt(k + 2) === q) return k + 3;
    }
    k++;
  }
  return n;
}

/** A short hex digest of arbitrary parts (for derived fingerprints, e.g. rule id + content). */
export function hashParts(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);
}

export interface SourceFingerprints {
  module: string;
  functions: { name: string; line: number; fingerprint: string }[];
}

/** crypto.hash (Node ≥ 20.12): a one-shot digest, about half the cost of createHash().update().digest() on short inputs. */
const oneShotHash = (crypto as unknown as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

const digest: (text: string | Uint8Array) => string = typeof oneShotHash === 'function'
  ? (text) => oneShotHash('sha256', text, 'hex').slice(0, 20)
  : (text) => createHash('sha256').update(text).digest('hex').slice(0, 20);

/** Reused between files (up to SCRATCH_LIMIT bytes) so normalising does not allocate per file. */
let scratch = Buffer.alloc(0);
const SCRATCH_LIMIT = 16 << 20;

/*
 * The byte writer below is scanTokens fused with writing each token's normalised UTF-8 bytes:
 * one pass over the characters, no per-token call or string. It must split and normalise exactly
 * as scanTokens + tokenText do (a test compares its bytes with normalise()'s text). Its state is
 * module-level (normaliseToBytes is synchronous and never re-entered), so the rare-case helpers
 * are small functions of their own and the main loop stays small for the JIT.
 */
let outSource = '';
let outBuf = scratch;
let outPos = 0;

const isIdentPartCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);

/** Writes source[start, end) from `k` on (k ≥ start) as UTF-8 at outPos: ASCII by hand, the rest natively. */
function writeRest(k: number, end: number): void {
  const source = outSource;
  const buf = outBuf;
  let pos = outPos;
  if (end - k > 24) {
    // Long tokens (strings, docstrings): the native encoder writes the same UTF-8 bytes the hash
    // of the token's string reads (lone surrogates → U+FFFD).
    pos += buf.write(source.slice(k, end), pos, 'utf8');
  } else {
    for (; k < end; k++) {
      const ch = source.charCodeAt(k);
      if (ch >= 128) break;
      buf[pos++] = ch;
    }
    if (k < end) pos += buf.write(source.slice(k, end), pos, 'utf8');
  }
  outPos = pos;
}

/** Writes a token whose first `lower` (ASCII) characters are lower-cased. */
function writeLowered(start: number, end: number, lower: number): void {
  const source = outSource;
  const buf = outBuf;
  let pos = outPos;
  const stop = start + lower;
  for (let k = start; k < stop; k++) {
    const ch = source.charCodeAt(k);
    buf[pos++] = ch >= 65 && ch <= 90 ? ch + 32 : ch;
  }
  outPos = pos;
  writeRest(stop, end);
}

/** End of an identifier that goes on past ASCII at `j` (a non-ASCII character there). */
function identifierEnd(source: string, j: number): number {
  IDENT_REST.lastIndex = j;
  return j + IDENT_REST.exec(source)![0].length;
}

/** A token starting with a non-ASCII character at `i`; returns its end. */
function nonAsciiToken(source: string, i: number): number {
  if (IDENT_START.test(source[i])) return identifierToken(source, i, i + 1);
  tokenNewlines = 0;
  writeRest(i, i + 1);
  return i + 1;
}

/** Line count added by the last string token (set by identifierToken/stringToken). */
let tokenNewlines = 0;

/**
 * The identifier (or prefixed string) starting at `i`, scanned up to `j` so far; writes it and
 * returns its end. Sets tokenNewlines.
 */
function identifierToken(source: string, i: number, j: number): number {
  const n = source.length;
  while (j < n && isIdentPartCode(source.charCodeAt(j))) j++;
  if (j < n && source.charCodeAt(j) > 127) j = identifierEnd(source, j);
  tokenNewlines = 0;
  const q = source.charCodeAt(j);
  if ((q === 34 || q === 39) && j - i <= 2 && STRING_PREFIX.test(source.slice(i, j))) {
    const end = stringEnd(source, j);
    tokenNewlines = countNewlines(source, j, end);
    writeLowered(i, end, j - i);
    return end;
  }
  writeRest(i, j);
  return j;
}

/** A number starting at `i` (a digit, or `.` before one), written lower-cased; its end, or -1 if none. */
function numberToken(source: string, i: number): number {
  NUMBER.lastIndex = i;
  const num = NUMBER.exec(source);
  if (!num || !num[0].length) return -1;
  const end = i + num[0].length;
  writeLowered(i, end, end - i);
  return end;
}

/** Characters after a run of digits that the NUMBER pattern may take further. */
const isNumberContinuation = (d: number): boolean =>
  d === 46 || d === 95 || d === 101 || d === 69 || d === 106 || d === 74 || d === 108 || d === 76 || d === 120 || d === 88 || d === 98 || d === 66 || d === 111 || d === 79;

/**
 * Length of the operator at `i` whose first character is `c`: OPERATORS' longest match (1 when
 * none), decided on character codes.
 */
function operatorLength(source: string, i: number, c: number): number {
  const n1 = source.charCodeAt(i + 1);
  switch (c) {
    case 42: // *
    case 47: // /
    case 62: // >
    case 60: // <
      if (n1 === c) return source.charCodeAt(i + 2) === 61 ? 3 : 2;
      return n1 === 61 || (c === 60 && n1 === 62) ? 2 : 1;
    case 46: // .
      return n1 === 46 && source.charCodeAt(i + 2) === 46 ? 3 : 1;
    case 45: // -
      return n1 === 62 || n1 === 61 ? 2 : 1;
    case 58: // :
    case 61: // =
    case 33: // !
    case 43: // +
    case 37: // %
    case 38: // &
    case 124: // |
    case 94: // ^
    case 64: // @
      return n1 === 61 ? 2 : 1;
    default:
      return 1;
  }
}

/**
 * Writes the normalised tokens of outSource at outPos, each followed by a 0 byte, and sets
 * offsets[L] (L ≤ lines) to the position of the first token starting on line L. Plain ASCII
 * identifiers, digit runs and operators are written here; other tokens by the helpers above,
 * which write at outPos (so `pos` is stored there around their calls).
 */
function writeTokens(lines: number, offsets: Int32Array): void {
  const source = outSource;
  const buf = outBuf;
  const n = source.length;
  let pos = outPos;
  let i = 0;
  let line = 1;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 32) {
      i++;
      continue;
    }
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff) {
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === 92 /* \\ */ && i + 1 < n) {
      const next = source.charCodeAt(i + 1);
      if (next === 10 || (next === 13 && i + 2 < n && source.charCodeAt(i + 2) === 10)) {
        i += next === 10 ? 2 : 3;
        line++;
        continue;
      }
    }
    if (line <= lines && offsets[line] < 0) offsets[line] = pos;
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
      const start = pos;
      let j = i;
      let d = c;
      do {
        buf[pos++] = d;
        j++;
        d = j < n ? source.charCodeAt(j) : 0;
      } while (isIdentPartCode(d));
      if (d > 127 || ((d === 34 || d === 39) && j - i <= 2)) {
        // not a plain ASCII identifier: an identifier going on in Unicode, or a string prefix
        outPos = start;
        i = identifierToken(source, i, j);
        pos = outPos;
        line += tokenNewlines;
      } else i = j;
    } else if (c === 34 || c === 39) {
      const end = stringEnd(source, i);
      line += countNewlines(source, i, end);
      outPos = pos;
      writeRest(i, end);
      pos = outPos;
      i = end;
    } else if (c >= 48 && c <= 57) {
      let j = i + 1;
      let d = j < n ? source.charCodeAt(j) : 0;
      while (d >= 48 && d <= 57) {
        j++;
        d = j < n ? source.charCodeAt(j) : 0;
      }
      if (isNumberContinuation(d)) {
        outPos = pos;
        const end = numberToken(source, i); // always ≥ 1 digit: NUMBER matches at a digit
        pos = outPos;
        i = end > i ? end : i + 1;
      } else {
        for (let k = i; k < j; k++) buf[pos++] = source.charCodeAt(k);
        i = j;
      }
    } else if (c > 127) {
      outPos = pos;
      i = nonAsciiToken(source, i);
      pos = outPos;
      line += tokenNewlines;
    } else {
      let end = -1;
      if (c === 46 && i + 1 < n) {
        const next = source.charCodeAt(i + 1);
        if (next >= 48 && next <= 57) {
          outPos = pos;
          end = numberToken(source, i);
          pos = outPos;
        }
      }
      if (end < 0) {
        const length = operatorLength(source, i, c);
        buf[pos++] = c;
        for (let k = 1; k < length; k++) buf[pos++] = source.charCodeAt(i + k);
        end = i + length;
      }
      i = end;
    }
    buf[pos++] = 0;
  }
  outPos = pos;
}

/**
 * normalise() as the UTF-8 bytes a hash of its text reads, written straight into a buffer (no
 * per-token strings, no concatenation); `offsets` index bytes instead of characters.
 */
function normaliseToBytes(source: string, lines: number): { bytes: Buffer; offsets: Int32Array } {
  // A UTF-16 unit takes at most 3 UTF-8 bytes, and every token (≥ 1 unit) one separator.
  const need = source.length * 4 + 16;
  let buf = scratch;
  if (buf.length < need) {
    buf = Buffer.allocUnsafe(need);
    if (need <= SCRATCH_LIMIT) scratch = buf;
  }
  const offsets = new Int32Array(lines + 2).fill(-1);
  outSource = source;
  outBuf = buf;
  outPos = 0;
  try {
    writeTokens(lines, offsets);
  } finally {
    outSource = '';
    outBuf = scratch;
  }
  const pos = outPos;
  offsets[lines + 1] = pos;
  for (let l = lines; l >= 1; l--) if (offsets[l] < 0) offsets[l] = offsets[l + 1];
  return { bytes: buf.subarray(0, pos), offsets };
}

/**
 * Source that takes every branch of the byte writer and its helpers once: whitespace of each
 * kind, comments, continuations, identifiers (ASCII, Unicode, string prefixes), short, long,
 * triple-quoted and unterminated strings, numbers, every operator, non-ASCII symbols.
 */
const WARM_UP = [
  'x = 1\t\r\n\f\v\ufeff# comment\n', 'a \\\n+ b \\\r\n- c \\ d\n', 'rb"x" F\'\'\'doc\nstring\'\'\' u\'\' naïve é → \ud83d\ude00 \ud800\n',
  '"short" \'s\\\'q\' """a long docstring of more than 24 characters\nover two lines""" "é long string with unicode, ü" "ü"\n',
  '123 007 0x1F 1.5e3j .5 1_000 2L\n', '** **= *= // //= /= >> >>= >= << <<= <= <> ... . -> -= := == != += %= &= |= ^= @= @ ( ) [ ] { } , ; ~ $ ? `\n',
  "'unterminated\nend",
].join('');

/*
 * Gives every branch of the byte writer type feedback before V8 optimises it. Otherwise each
 * branch first met after optimisation (a tab, a `\` continuation, an exponent…) discards the
 * optimised code and it is compiled again: 10 TurboFan compiles of writeTokens per thread on
 * sympy. A few runs over WARM_UP (about 400 characters) cost well under a millisecond.
 */
for (let k = 0; k < 10; k++) normaliseToBytes(WARM_UP, 8);

/**
 * The module's fingerprint and one per function (`<module>` excluded). Two identical functions
 * in one file get distinct fingerprints (`…#2`), so every fingerprint names one thing.
 * (Hashes the bytes of normalise(source).text and of its per-function slices.)
 */
export function sourceFingerprints(source: string, functions: readonly { name: string; line: number; endLine: number }[]): SourceFingerprints {
  let lines = 1;
  for (let k = source.indexOf('\n'); k >= 0; k = source.indexOf('\n', k + 1)) lines++;
  const norm = normaliseToBytes(source, lines);
  return { module: digest(norm.bytes), functions: functionFingerprints(functions, norm.offsets, (from, to) => digest(norm.bytes.subarray(from, to))) };
}

/**
 * One fingerprint per function (`<module>` excluded): `hash` of its slice of a normalised token
 * stream, where offsets[L] is the offset of line L's first token (lines + 1: the stream's end).
 * Two identical functions get distinct fingerprints (`…#2`). Shared by Python and TS/JS.
 */
export function functionFingerprints(
  functions: readonly { name: string; line: number; endLine: number }[],
  offsets: Int32Array,
  hash: (from: number, to: number) => string,
): SourceFingerprints['functions'] {
  const lines = offsets.length - 2;
  const at = (line: number): number => offsets[Math.min(Math.max(line, 1), lines + 1)];
  const seen = new Map<string, number>();
  const out: SourceFingerprints['functions'] = [];
  for (const fn of functions) {
    if (fn.name === '<module>') continue;
    let fingerprint = hash(at(fn.line), at(fn.endLine + 1));
    const count = (seen.get(fingerprint) ?? 0) + 1;
    seen.set(fingerprint, count);
    if (count > 1) fingerprint = `${fingerprint}#${count}`;
    out.push({ name: fn.name, line: fn.line, fingerprint });
  }
  return out;
}
