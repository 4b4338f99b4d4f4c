/**
 * The JSON report written piece by piece: byte-for-byte what `renderJson` returns
 * (`JSON.stringify(report, null, 2)` + jsonSafe + newline), but the top-level arrays (modules,
 * findings, warnings…) are serialised one element at a time, so a large repository's report never
 * exists as one giant string (on a multi-million-line tree it was hundreds of MB, twice over with
 * the escaping pass).
 */
import type { Report } from '../model.js';
import { jsonSafe } from './escape.js';
import { renderJson } from './json.js';

/** Chunks are gathered up to about this many characters before each write. */
const CHUNK_CHARS = 1 << 20;
/** Elements of a top-level array serialised by one JSON.stringify call (a few MB of text at most on a typical report). */
const BATCH = 32;

/**
 * One value as JSON.stringify(…, null, 2) would write it nested one level deep: serialised inside
 * a one-element array, which indents it exactly so, minus the wrapping brackets (`[\n  ` … `\n]`).
 * Re-indenting afterwards with a replace over every newline cost several times the serialisation
 * itself on a large report.
 */
function nested(value: unknown): string {
  return JSON.stringify([value], null, 2).slice(4, -2);
}

/**
 * Elements `from` to `to` of a top-level array as JSON.stringify(…, null, 2) writes them two
 * levels deep, joined by `,\n    `: serialised as the one element of a one-element array (each
 * element is indented exactly so, separated exactly so, and written `null` where JSON.stringify
 * writes null), minus the wrapping brackets (`[\n  [\n    ` … `\n  ]\n]`). One call (and one
 * escaping pass) per batch rather than per element.
 */
function nestedRun(array: readonly unknown[], from: number, to: number): string {
  return JSON.stringify([from === 0 && to === array.length ? array : array.slice(from, to)], null, 2).slice(10, -6);
}

/** Skipped as an object member by JSON.stringify. */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** The report's JSON text in pieces, in order; joined, they equal renderJson(report). */
export function* jsonReportPieces(report: Report): Generator<string> {
  const record = report as unknown as Record<string, unknown>;
  if (typeof (record as { toJSON?: unknown }).toJSON === 'function') {
    yield renderJson(report);
    return;
  }
  const keys = Object.keys(record).filter((k) => !omitted(record[k]));
  if (!keys.length) {
    yield '{}\n';
    return;
  }
  yield '{';
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const value = record[key];
    yield `${k ? ',' : ''}\n  ${jsonSafe(JSON.stringify(key))}: `;
    if (Array.isArray(value) && value.length && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
      yield '[\n    ';
      for (let i = 0; i < value.length; i += BATCH) {
        if (i) yield ',\n    '; // a piece of its own: the batch's text is written as it is, never copied into a longer string
        yield jsonSafe(nestedRun(value, i, Math.min(value.length, i + BATCH)));
      }
      yield '\n  ]';
    } else {
      yield jsonSafe(nested(value));
    }
  }
  yield '\n}\n';
}

/**
 * Writes the JSON report through `write` in chunks of about a megabyte (awaited one by one). Small
 * pieces are gathered; a piece of a quarter chunk or more goes out on its own (after what was
 * gathered), so the large ones are never copied into a concatenation first.
 */
export async function writeJsonReport(report: Report, write: (chunk: string) => void | Promise<void>): Promise<void> {
  let buffer = '';
  for (const piece of jsonReportPieces(report)) {
    if (piece.length >= CHUNK_CHARS >> 2) {
      if (buffer) await write(buffer);
      buffer = '';
      await write(piece);
      continue;
    }
    buffer += piece;
    if (buffer.length >= CHUNK_CHARS) {
      await write(buffer);
      buffer = '';
    }
  }
  if (buffer) await write(buffer);
}
