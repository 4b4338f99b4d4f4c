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

/**
 * One value as JSON.stringify(…, null, 2) would write it nested `depth` (1 or 2) levels deep:
 * serialised inside one or two one-element arrays, which indent it exactly so, minus the
 * wrapping brackets (`[\n  ` … `\n]` per level). Re-indenting afterwards with a replace over
 * every newline cost several times the serialisation itself on a large report.
 */
function nested(value: unknown, depth: 1 | 2): string {
  return depth === 1 ? JSON.stringify([value], null, 2).slice(4, -2) : JSON.stringify([[value]], null, 2).slice(10, -6);
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
    if (Array.isArray(value) && value.length) {
      yield '[';
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        yield `${i ? ',' : ''}\n    ${jsonSafe(omitted(item) ? 'null' : nested(item, 2))}`;
      }
      yield '\n  ]';
    } else {
      yield jsonSafe(nested(value, 1));
    }
  }
  yield '\n}\n';
}

/** Writes the JSON report through `write` in chunks of about a megabyte (awaited one by one). */
export async function writeJsonReport(report: Report, write: (chunk: string) => void | Promise<void>): Promise<void> {
  let buffer = '';
  for (const piece of jsonReportPieces(report)) {
    buffer += piece;
    if (buffer.length >= CHUNK_CHARS) {
      await write(buffer);
      buffer = '';
    }
  }
  if (buffer) await write(buffer);
}
