/** Reads a source file as text without trusting it: binary, bad encodings and odd sizes become warnings. */
import { readFile } from 'node:fs/promises';

export interface SourceText {
  text: string;
  warnings: string[];
}

export interface ReadLimits {
  maxBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxBytes: 5 * 1024 * 1024 };

const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

function declaredEncoding(buf: Buffer): string | null {
  const head = buf.subarray(0, 400).toString('latin1').split(/\r\n|\r|\n/).slice(0, 2);
  for (const line of head) {
    const m = CODING.exec(line);
    if (m) return m[1].toLowerCase();
  }
  return null;
}

function decodeAs(buf: Buffer, encoding: string): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(buf);
  } catch {
    return null;
  }
}

/** Decodes bytes the way CPython would (BOM, PEP 263 line, UTF-8 default), or explains why not. */
export function decodeSource(buf: Buffer): SourceText | { error: string } {
  const warnings: string[] = [];
  if (buf.subarray(0, 8192).includes(0)) return { error: 'binary file (NUL bytes), skipped' };
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
  const declared = declaredEncoding(buf);
  let text: string | null = null;
  if (declared && !/^utf-?8/.test(declared)) {
    text = decodeAs(buf, declared.replace(/^latin-1$/, 'latin1'));
    if (text === null) warnings.push(`declared encoding ${declared} unknown or wrong; read as UTF-8 with replacement`);
  }
  if (text === null) text = decodeAs(buf, 'utf-8');
  if (text === null) {
    text = buf.toString('latin1');
    warnings.push('invalid UTF-8 and no coding declaration; read as Latin-1');
  }
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  return { text, warnings };
}

export async function readSource(absPath: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<SourceText | { error: string }> {
  let buf: Buffer;
  try {
    buf = await readFile(absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: `unreadable (${code ?? (err as Error).message})` };
  }
  if (buf.length > limits.maxBytes) {
    return { error: `larger than the ${Math.round(limits.maxBytes / 1024 / 1024)} MB per-file limit (${(buf.length / 1024 / 1024).toFixed(1)} MB), skipped; raise it with --max-file-size` };
  }
  return decodeSource(buf);
}
