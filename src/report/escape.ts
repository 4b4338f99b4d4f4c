/**
 * Escaping for untrusted text (file names, code excerpts, manifest names): one function per output
 * format that needs one. (HTML needs none here: the page embeds its data with embedJson in html.ts
 * and renders it with textContent.)
 * A hostile file name must not move the cursor or recolour a CI log, break out of a Markdown
 * table or inject HTML, or reorder what a reviewer sees (bidirectional overrides, "Trojan Source").
 * JSON.stringify escapes C0 controls but leaves DEL, C1 controls, bidi overrides and U+2028/9
 * raw: `jsonSafe` turns those into \u escapes too (same data, safe to print in a log).
 */

/**
 * C0/C1 controls (ESC, BEL, CR, newline …), DEL, line/paragraph separators, and the invisible
 * bidirectional marks, embeddings, overrides and isolates.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** One line of plain text for a terminal or log: controls become `?`, a tab a space. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => (ch === '\t' ? ' ' : '?'));
}

/**
 * Inline Markdown text (a table cell, a list item, a link's text), the Markdown report's one
 * escaper: one line (controls and bidi marks become spaces), `&`, `<`, `>`, `"` become entities so
 * no HTML passes through, and the characters Markdown, GFM tables or GitHub autolinks act on
 * (emphasis, code, links, pipes, strikethrough, `@user`, `#123`) are backslash-escaped.
 */
export function markdownSafe(text: string): string {
  return text
    .replace(UNSAFE, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    .replace(/([\\`*_[\]()|~@#])/g, '\\$1');
}

// eslint-disable-next-line no-control-regex
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Serialised JSON with every invisible or reordering character written as a \u escape. */
export function jsonSafe(serialised: string): string {
  return serialised.replace(JSON_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
