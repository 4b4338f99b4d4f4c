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

/** Lines that begin a statement (blank and comment-only lines excluded). */
export function statementLines(text: string): StatementLine[] {
  const out: StatementLine[] = [];
  const lines = text.split('\n');
  let depth = 0;
  let quote: string | null = null;
  let continued = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    let i = 0;
    if (quote === null && depth === 0 && !continued) {
      while (i < line.length && (line[i] === ' ' || line[i] === '\t' || line[i] === '\f')) i++;
      if (i < line.length && line[i] !== '#') out.push({ line: n + 1, text: line, codeStart: i });
    }
    continued = false;
    for (; i < line.length; i++) {
      const ch = line[i];
      if (quote !== null) {
        if (ch === '\\') i++;
        else if (line.startsWith(quote, i)) {
          i += quote.length - 1;
          quote = null;
        }
        continue;
      }
      if (ch === '#') break;
      if (ch === '"' || ch === "'") {
        quote = line.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
        i += quote.length - 1;
      } else if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
      else if (ch === '\\' && i === line.length - 1) continued = true;
    }
    // A single-quoted string ends at the line's end unless a backslash continues it.
    if (quote !== null && quote.length === 1 && !line.endsWith('\\')) quote = null;
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
