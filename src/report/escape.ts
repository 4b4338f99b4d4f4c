/**
 * Escaping for untrusted text (file names, code excerpts, manifest names) in every output format.
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
// eslint-disable-next-line no-control-regex
const UNSAFE_KEEP_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** One line of plain text for a terminal or log: controls become `?`, a tab a space. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => (ch === '\t' ? ' ' : '?'));
}

/**
 * Inline Markdown text (a table cell, a list item): one line, every ASCII punctuation character
 * that Markdown, GFM tables or GitHub autolinks (`@user`, `#123`) act on is backslash-escaped,
 * and `&`, `<`, `>` become entities so no HTML passes through.
 */
export function markdownSafe(text: string): string {
  return terminalSafe(text)
    .replace(/[\\`*_{}[\]()#+\-.!|~@:]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * An inline code span (`like this`) holding arbitrary text: the fence is longer than any run of
 * backticks inside. In a GFM table cell, pass `inTable` so `|` cannot end the cell.
 */
export function markdownCode(text: string, options: { inTable?: boolean } = {}): string {
  let safe = terminalSafe(text);
  if (options.inTable) safe = safe.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(safe.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = safe.startsWith('`') || safe.endsWith('`') || (safe.startsWith(' ') && safe.endsWith(' ') && safe.trim()) ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

/**
 * Text for HTML element content or a quoted attribute value: `& < > " '` become entities;
 * controls and bidirectional overrides become `?` (tabs and newlines are kept for `<pre>` excerpts).
 */
export function htmlSafe(text: string): string {
  return text
    .replace(UNSAFE_KEEP_LAYOUT, '?')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// eslint-disable-next-line no-control-regex
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Serialised JSON with every invisible or reordering character written as a \u escape. */
export function jsonSafe(serialised: string): string {
  return serialised.replace(JSON_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
