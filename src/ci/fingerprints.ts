/**
 * Content fingerprints: a hash of a normalised Python token stream, so a fingerprint survives
 * moved lines, re-indentation, blank lines, comment edits and renamed files, and changes only
 * when the code itself changes. No line numbers go into a fingerprint.
 */
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

const isAsciiIdentStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isAsciiIdentPart = (c: number): boolean => isAsciiIdentStart(c) || (c >= 48 && c <= 57);

/**
 * Splits Python source into tokens, dropping whitespace, newlines, line continuations and
 * comments. Tolerant: unterminated strings end at the end of the line (or file), unknown
 * characters become one-character tokens; the same text always yields the same tokens.
 */
export function pythonTokens(source: string): Token[] {
  const tokens: Token[] = [];
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
      const word = source.slice(i, j);
      const q = source.charCodeAt(j);
      if ((q === 34 || q === 39) && j - i <= 2 && STRING_PREFIX.test(word)) {
        const end = stringEnd(source, j);
        line += countNewlines(source, j, end);
        tokens.push({ text: word.toLowerCase() + source.slice(j, end), line: startLine });
        i = end;
      } else {
        tokens.push({ text: word, line: startLine });
        i = j;
      }
      continue;
    }
    if (c === 34 || c === 39) {
      const end = stringEnd(source, i);
      line += countNewlines(source, i, end);
      tokens.push({ text: source.slice(i, end), line: startLine });
      i = end;
      continue;
    }
    const next = source.charCodeAt(i + 1);
    if ((c >= 48 && c <= 57) || (c === 46 && next >= 48 && next <= 57)) {
      NUMBER.lastIndex = i;
      const num = NUMBER.exec(source);
      if (num && num[0].length) {
        tokens.push({ text: num[0].toLowerCase(), line: startLine });
        i += num[0].length;
        continue;
      }
    }
    const ch = source[i];
    const op = OPERATORS[ch]?.find((o) => source.startsWith(o, i)) ?? ch;
    tokens.push({ text: op, line: startLine });
    i += op.length;
  }
  return tokens;
}

function countNewlines(source: string, from: number, to: number): number {
  let count = 0;
  for (let k = source.indexOf('\n', from); k >= 0 && k < to; k = source.indexOf('\n', k + 1)) count++;
  return count;
}

/** Index just past the string literal whose opening quote is at `i`. */
function stringEnd(source: string, i: number): number {
  const q = source[i];
  const triple = source[i + 1] === q && source[i + 2] === q;
  const n = source.length;
  let k = i + (triple ? 3 : 1);
  while (k < n) {
    const c = source[k];
    if (c === '\\') {
      k += 2;
      continue;
    }
    if (!triple && c === '\n') return k;
    if (c === q) {
      if (!triple) return k + 1;
      if (source[k + 1] === q && source[k + 2] === q) return k + 3;
    }
    k++;
  }
  return n;
}

/** A short hex digest of a token sequence (tokens are joined with a separator no token holds). */
export function hashTokens(tokens: readonly Token[]): string {
  let text = '';
  for (const t of tokens) text += t.text + '\u0000';
  return createHash('sha256').update(text).digest('hex').slice(0, 20);
}

/** A short hex digest of arbitrary parts (for derived fingerprints, e.g. rule id + content). */
export function hashParts(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);
}

/** Tokens whose first line lies in [line, endLine] (tokens are in line order). */
export function tokensIn(tokens: readonly Token[], line: number, endLine: number): Token[] {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].line < line) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < tokens.length && tokens[end].line <= endLine) end++;
  return tokens.slice(lo, end);
}

export interface SourceFingerprints {
  module: string;
  functions: { name: string; line: number; fingerprint: string }[];
}

/**
 * The module's fingerprint and one per function (`<module>` excluded). Two identical functions
 * in one file get distinct fingerprints (`…#2`), so every fingerprint names one thing.
 */
export function sourceFingerprints(source: string, functions: readonly { name: string; line: number; endLine: number }[]): SourceFingerprints {
  const tokens = pythonTokens(source);
  const seen = new Map<string, number>();
  const out: SourceFingerprints['functions'] = [];
  for (const fn of functions) {
    if (fn.name === '<module>') continue;
    let fingerprint = hashTokens(tokensIn(tokens, fn.line, fn.endLine));
    const count = (seen.get(fingerprint) ?? 0) + 1;
    seen.set(fingerprint, count);
    if (count > 1) fingerprint = `${fingerprint}#${count}`;
    out.push({ name: fn.name, line: fn.line, fingerprint });
  }
  return { module: hashTokens(tokens), functions: out };
}
