/**
 * Reads a source file as text without trusting it. Binary files, bad encodings, special files,
 * symlinks that leave the scanned root, files that vanish mid-scan and odd sizes become a
 * `{ error, code }` or warnings; nothing here throws or waits on a FIFO.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';
import type { WarningCode } from './model.js';

export interface SourceText {
  text: string;
  warnings: string[];
}

export interface ReadProblem {
  error: string;
  code: WarningCode;
}

export interface ReadLimits {
  maxBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxBytes: 5 * 1024 * 1024 };

export interface ReadOptions {
  /** When set, the file's real path (symlinks resolved) must lie inside this directory. */
  root?: string;
}

const MB = 1024 * 1024;
const SNIFF_BYTES = 8192;

/** PEP 263: `# -*- coding: name -*-` on line 1, or on line 2 when line 1 is blank or a comment. */
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

function declaredEncoding(buf: Buffer): string | null {
  const [first = '', second = ''] = buf.subarray(0, 400).toString('latin1').split(/\r\n|\r|\n/);
  const m = CODING.exec(first) ?? (/^[ \t\f]*(#.*)?$/.test(first) ? CODING.exec(second) : null);
  return m ? m[1].toLowerCase() : null;
}

/** Python codec names → WHATWG TextDecoder labels (only where they differ). */
const CODEC_ALIASES: Record<string, string> = {
  'latin-1': 'latin1', 'iso-latin-1': 'latin1', 'l1': 'latin1', 'latin': 'latin1', '8859': 'latin1',
  'cp819': 'latin1', 'ascii': 'utf-8', 'us-ascii': 'utf-8', 'utf8': 'utf-8', 'u8': 'utf-8', 'utf': 'utf-8',
  'utf-8-sig': 'utf-8', 'cp-1252': 'windows-1252', 'euc-jp': 'euc-jp', 'shift-jis': 'shift_jis', 'sjis': 'shift_jis',
};

function textDecoderLabel(codec: string): string {
  const norm = codec.replace(/_/g, '-');
  return CODEC_ALIASES[norm] ?? norm;
}

type Decoded = { text: string } | { failure: 'unknown-encoding' | 'invalid-bytes' };

function decodeAs(buf: Buffer, label: string): Decoded {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    return { failure: 'unknown-encoding' };
  }
  try {
    return { text: decoder.decode(buf) };
  } catch {
    return { failure: 'invalid-bytes' };
  }
}

/** True when the first bytes look like a binary file rather than text. */
function looksBinary(head: Buffer): boolean {
  if (head.includes(0)) return true;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b < 32 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 27) control++;
  }
  return head.length > 0 && control / head.length > 0.1;
}

/** Decodes bytes the way CPython would (BOM, PEP 263 line, UTF-8 default), or explains why not. */
export function decodeSource(input: Buffer): SourceText | ReadProblem {
  let buf = input;
  const warnings: string[] = [];
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    return { error: 'UTF-16/32 encoded (byte-order mark); CPython cannot run such a source, skipped', code: 'encoding' };
  }
  if (looksBinary(buf.subarray(0, SNIFF_BYTES))) return { error: 'binary file (NUL or control bytes), skipped', code: 'binary' };
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  if (bom) buf = buf.subarray(3);
  const declared = declaredEncoding(buf);
  let text: string | null = null;
  if (declared) {
    const label = textDecoderLabel(declared);
    // CPython accepts a BOM only with a declaration that normalises to utf-8 (`utf-8`, `utf_8`, `utf-8-…`).
    if (bom && !/^utf[-_]8([-_]|$)/.test(declared)) warnings.push(`UTF-8 byte-order mark contradicts the coding declaration '${declared}' (CPython refuses it); read as UTF-8`);
    else if (label !== 'utf-8') {
      const decoded = decodeAs(buf, label);
      if ('text' in decoded) text = decoded.text;
      else if (decoded.failure === 'unknown-encoding') warnings.push(`unknown coding declaration '${declared}'; read as UTF-8`);
      else warnings.push(`not valid ${declared} as its coding line declares; read as UTF-8`);
    }
  }
  if (text === null) {
    const utf8 = decodeAs(buf, 'utf-8');
    if ('text' in utf8) text = utf8.text;
  }
  if (text === null) {
    text = buf.toString('latin1');
    warnings.push(declared ? 'invalid UTF-8 as well; read as Latin-1' : 'invalid UTF-8 and no coding declaration (CPython would refuse it); read as Latin-1');
  }
  if (text.includes('\0')) {
    text = text.replace(/\0/g, ' ');
    warnings.push('contains NUL bytes (CPython would refuse it); profiled with them blanked');
  }
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  return { text, warnings };
}

function describeErrno(err: unknown, path: string): ReadProblem {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  switch (code) {
    case 'ENOENT':
      return path.includes('\uFFFD')
        ? { error: 'file name is not valid UTF-8, so it cannot be opened by name; skipped', code: 'unreadable' }
        : { error: 'vanished before it could be read (ENOENT), skipped', code: 'unreadable' };
    case 'EACCES':
    case 'EPERM':
      return { error: `permission denied (${code}), skipped`, code: 'unreadable' };
    case 'ELOOP':
      return { error: 'symlink loop (ELOOP), skipped', code: 'symlink' };
    case 'ENXIO':
      return { error: 'not a regular file (socket or device), skipped', code: 'not-a-file' };
    case 'EISDIR':
      return { error: 'a directory, not a file; skipped', code: 'not-a-file' };
    default:
      return { error: `unreadable (${code || (err as Error).message}), skipped`, code: 'unreadable' };
  }
}

function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

export function isInside(realRoot: string, realPath: string): boolean {
  return realPath === realRoot || realPath.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

const realRoots = new Map<string, string>();
function realRootOf(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    try {
      real = realpathSync.native(root);
    } catch {
      real = root;
    }
    realRoots.set(root, real);
    if (realRoots.size > 64) realRoots.delete(realRoots.keys().next().value!);
  }
  return real;
}

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0);

/**
 * Reads synchronously: a worker thread has nothing else to do meanwhile, and each await on the
 * thread pool left it idle (≈ 0.4 s per worker on sympy). Opens without blocking (O_NONBLOCK: a
 * FIFO does not wait for a writer), checks with fstat that it is a regular file within the size
 * limit, and only then reads.
 */
export function readSourceSync(absPath: string, limits: ReadLimits = DEFAULT_READ_LIMITS, options: ReadOptions = {}): SourceText | ReadProblem {
  let target = absPath;
  try {
    if (options.root !== undefined) {
      const real = realpathSync.native(absPath);
      if (!isInside(realRootOf(options.root), real)) return { error: `symlink resolves outside the scanned root (${real}), not read`, code: 'outside-root' };
      target = real;
    }
  } catch (err) {
    return describeErrno(err, absPath);
  }
  let fd: number;
  try {
    fd = openSync(target, OPEN_FLAGS);
  } catch (err) {
    return describeErrno(err, absPath);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { error: `${kindOf(st)}, not a regular file; skipped`, code: 'not-a-file' };
    const tooLarge = (size: number): ReadProblem => ({
      error: `larger than the ${+(limits.maxBytes / MB).toFixed(2)} MB per-file limit (${(size / MB).toFixed(1)} MB), skipped; raise it with --max-file-size`,
      code: 'too-large',
    });
    if (st.size > limits.maxBytes) return tooLarge(st.size);
    // Read at most one byte past the limit: a file that grew since fstat is still caught.
    const cap = Math.min(limits.maxBytes + 1, Math.max(st.size, 0) + 1);
    const buf = Buffer.allocUnsafe(Math.max(cap, 1));
    let filled = 0;
    for (;;) {
      const bytesRead = readSync(fd, buf, filled, buf.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buf.length) {
        if (filled > limits.maxBytes) return tooLarge(filled);
        break;
      }
    }
    return decodeSource(buf.subarray(0, filled));
  } catch (err) {
    return describeErrno(err, absPath);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // already gone: nothing to release
    }
  }
}

/** readSourceSync for callers that await (manifests, excerpts, explain). */
export async function readSource(absPath: string, limits: ReadLimits = DEFAULT_READ_LIMITS, options: ReadOptions = {}): Promise<SourceText | ReadProblem> {
  return readSourceSync(absPath, limits, options);
}
