/**
 * Text-level checks for what tree-sitter accepts but CPython refuses to compile:
 * - TabError: tree-sitter counts a tab as 8 columns and parses a file whose tabs and spaces
 *   disagree, but Python 3 compares indentation with a tab as 8 columns and as 1 column (as
 *   CPython's tokenizer does) and rejects the file when the two orders differ;
 * - misplaced or unknown `from __future__` imports (a compile-time SyntaxError).
 * Both read "statement lines": physical lines that start a statement, i.e. not inside brackets,
 * strings, or after a backslash continuation.
 */

export interface StatementLine {
  /** 1-based. */
  line: number;
  text: string;
  /** Index of the first character after the indentation. */
  codeStart: number;
}

/**
 * Lines that begin a statement (blank and comment-only lines excluded). Reads char codes line by
 * line (lines split at `\n` only, as `text.split('\n')` would); a string's quote is its char code
 * with `triple` telling `"""` from `"`.
 */
export function statementLines(text: string): StatementLine[] {
  const out: StatementLine[] = [];
  const n = text.length;
  let depth = 0;
  let quote = 0; // char code of the open string's quote; 0 outside strings
  let triple = false;
  let continued = false;
  let lineNo = 0;
  for (let start = 0; start <= n; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    let i = start;
    if (quote === 0 && depth === 0 && !continued) {
      while (i < end) {
        const c = text.charCodeAt(i);
        if (c === 32 || c === 9 || c === 12) i++;
        else break;
      }
      if (i < end && text.charCodeAt(i) !== 35) out.push({ line: lineNo, text: text.slice(start, end), codeStart: i - start });
    }
    continued = false;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (quote !== 0) {
        if (c === 92 /* \\ */) i++;
        else if (c === quote && (!triple || (i + 2 < end && text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote))) {
          if (triple) i += 2;
          quote = 0;
        }
        continue;
      }
      if (c === 35 /* # */) break;
      if (c === 34 || c === 39) {
        quote = c;
        triple = i + 2 < end && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
        if (triple) i += 2;
      } else if (c === 40 || c === 91 || c === 123) depth++;
      else if (c === 41 || c === 93 || c === 125) depth = depth > 0 ? depth - 1 : 0;
      else if (c === 92 && i === end - 1) continued = true;
    }
    // A single-quoted string ends at the line's end unless a backslash continues it.
    if (quote !== 0 && !triple && !(end > start && text.charCodeAt(end - 1) === 92)) quote = 0;
    start = end + 1;
  }
  return out;
}

interface Indent {
  col: number;
  alt: number;
}

function measure(line: string, end: number): Indent {
  let col = 0;
  let alt = 0;
  for (let i = 0; i < end; i++) {
    const ch = line[i];
    if (ch === ' ') {
      col++;
      alt++;
    } else if (ch === '\t') {
      col = (Math.floor(col / 8) + 1) * 8;
      alt++;
    } else {
      col = 0;
      alt = 0;
    }
  }
  return { col, alt };
}

/** Line (1-based) of the first indentation Python 3 would reject with TabError, or null. */
export function tabErrorLine(text: string): number | null {
  if (!text.includes('\t')) return null;
  const stack: Indent[] = [{ col: 0, alt: 0 }];
  for (const s of statementLines(text)) {
    const indent = measure(s.text, s.codeStart);
    const top = stack[stack.length - 1];
    if (indent.col === top.col) {
      if (indent.alt !== top.alt) return s.line;
    } else if (indent.col > top.col) {
      if (indent.alt <= top.alt) return s.line;
      stack.push(indent);
    } else {
      while (stack.length > 1 && indent.col < stack[stack.length - 1].col) stack.pop();
      const back = stack[stack.length - 1];
      if (indent.col === back.col && indent.alt !== back.alt) return s.line;
    }
  }
  return null;
}

const FUTURE_FEATURES = new Set([
  'nested_scopes', 'generators', 'division', 'absolute_import', 'with_statement', 'print_function',
  'unicode_literals', 'barry_as_FLUFL', 'generator_stop', 'annotations',
]);
const FUTURE = /^from[ \t]+__future__[ \t]+import[ \t]+\(?([^#)]*)/;
const DOCSTRING = /^[rRuUbBfF]{0,2}("""|'''|"|')/;

/** A `from __future__` import CPython refuses to compile (misplaced or unknown feature), or null. */
export function futureImportProblem(text: string): { line: number; message: string } | null {
  if (!text.includes('__future__')) return null;
  let prologue = true;
  let first = true;
  for (const s of statementLines(text)) {
    const code = s.text.slice(s.codeStart);
    const m = s.codeStart === 0 ? FUTURE.exec(code) : null;
    if (m) {
      if (!prologue) return { line: s.line, message: 'from __future__ import after other statements' };
      for (const raw of m[1].split(',')) {
        const name = raw.trim().split(/[ \t]+as[ \t]+/)[0].trim();
        if (name === 'braces') return { line: s.line, message: 'from __future__ import braces ("not a chance")' };
        if (name && /^\w+$/.test(name) && !FUTURE_FEATURES.has(name)) return { line: s.line, message: `unknown __future__ feature '${name}'` };
      }
    } else if (!(first && s.codeStart === 0 && DOCSTRING.test(code))) prologue = false;
    first = false;
  }
  return null;
}

/**
 * Line of the first Python 2 print/exec *statement* (`print "x"`, `print x,`, `exec code`), or null.
 * tree-sitter also calls `print >> f, x` a print statement, but that is a valid Python 3 expression.
 */
export function python2StatementLine(text: string): number | null {
  for (const s of statementLines(text)) {
    const code = s.text.slice(s.codeStart);
    if (/^print[ \t]+[\w"'`]/.test(code) && !/^print[ \t]+(and|or|not|in|is|if|else|for)\b/.test(code)) return s.line;
    if (/^exec[ \t]+[\w"'(]/.test(code) && !/^exec[ \t]*\(/.test(code)) return s.line;
  }
  return null;
}
