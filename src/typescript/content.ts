/**
 * The per-file CI facts of a TypeScript/JavaScript file, as src/ci/content-facts.ts computes them
 * for Python: content fingerprints of the module and of each function (a hash of the token stream,
 * so they survive moved lines, re-indentation, comment edits and renamed files) and where each
 * `// rustscout: keep-typescript -- reason` comment applies. One pass of the compiler's scanner
 * yields both. Computed with the profile in the per-file stage, so it is cached with it.
 */
import type { ts as TS } from 'ts-morph';
import { ts } from './ts-api.js';
import type { ContentFacts } from '../model.js';
import { functionFingerprints, hashParts } from '../ci/fingerprints.js';
import { placeDirectives, SCRIPT_DIRECTIVES } from '../ci/suppressions.js';
import { scriptKindOf } from './facts.js';

const SK = ts.SyntaxKind;

/** Tokens after which a `/` starts a division, not a regular expression literal. */
const ENDS_EXPRESSION = new Set<TS.SyntaxKind>([
  SK.Identifier, SK.PrivateIdentifier, SK.NumericLiteral, SK.BigIntLiteral, SK.StringLiteral, SK.RegularExpressionLiteral,
  SK.NoSubstitutionTemplateLiteral, SK.TemplateTail, SK.CloseParenToken, SK.CloseBracketToken, SK.CloseBraceToken,
  SK.ThisKeyword, SK.SuperKeyword, SK.TrueKeyword, SK.FalseKeyword, SK.NullKeyword, SK.PlusPlusToken, SK.MinusMinusToken,
]);

const TRIVIA = new Set<TS.SyntaxKind>([SK.WhitespaceTrivia, SK.NewLineTrivia, SK.ShebangTrivia, SK.ConflictMarkerTrivia]);
const DIRECTIVE = /rustscout\s*:\s*(.*)$/m;

/** Offsets where lines start, with the compiler's line breaks (\n, \r\n, \r, U+2028, U+2029), so line numbers match the profile's. */
function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 13 && source.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) starts.push(i + 1);
  }
  return starts;
}

export interface ScannedScript {
  /** Every token followed by U+0000: what fingerprints hash. */
  text: string;
  /** offsets[L] = offset in `text` of the first token on line L or later (1-based; lines + 1 = text.length). */
  offsets: Int32Array;
  /** `rustscout:` comments: the line and the text after `rustscout:`. */
  directives: { line: number; text: string }[];
}

/**
 * Scans the source once: the normalised token stream (comments and whitespace dropped, template
 * literals and regular expressions kept whole) and the `rustscout:` comments. Tolerant and
 * deterministic: the same text always gives the same tokens, whatever it contains.
 */
export function scanScript(path: string, source: string): ScannedScript {
  const kind = scriptKindOf(path);
  const variant = kind === ts.ScriptKind.TSX || kind === ts.ScriptKind.JSX ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const lineStarts = lineStartsOf(source);
  const lines = lineStarts.length;
  let hint = 0;
  const lineOf = (pos: number): number => {
    // Tokens come in order: walk forward from the last line found.
    while (hint + 1 < lines && lineStarts[hint + 1] <= pos) hint++;
    return hint + 1;
  };
  const offsets = new Int32Array(lines + 2).fill(-1);
  const directives: ScannedScript['directives'] = [];
  const braces: ('brace' | 'template')[] = [];
  let text = '';
  let previous: TS.SyntaxKind | undefined;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, variant, source);
  for (let tok = scanner.scan(); tok !== SK.EndOfFileToken; tok = scanner.scan()) {
    if (TRIVIA.has(tok)) continue;
    if (tok === SK.SingleLineCommentTrivia || tok === SK.MultiLineCommentTrivia) {
      const comment = scanner.getTokenText();
      const at = comment.indexOf('rustscout');
      if (at >= 0) {
        const m = DIRECTIVE.exec(comment.slice(at));
        if (m) directives.push({ line: lineOf(scanner.getTokenStart() + at), text: m[1].replace(/\*\/\s*$/, '').trim() });
      }
      continue;
    }
    if (tok === SK.OpenBraceToken) braces.push('brace');
    else if (tok === SK.TemplateHead) braces.push('template');
    else if (tok === SK.CloseBraceToken && braces.pop() === 'template') {
      tok = scanner.reScanTemplateToken(false);
      if (tok === SK.TemplateMiddle) braces.push('template');
    } else if ((tok === SK.SlashToken || tok === SK.SlashEqualsToken) && (previous === undefined || !ENDS_EXPRESSION.has(previous))) {
      tok = scanner.reScanSlashToken();
    }
    const line = lineOf(scanner.getTokenStart());
    if (offsets[line] < 0) offsets[line] = text.length;
    text += scanner.getTokenText() + '\u0000';
    previous = tok;
  }
  offsets[lines + 1] = text.length;
  for (let l = lines; l >= 1; l--) if (offsets[l] < 0) offsets[l] = offsets[l + 1];
  return { text, offsets, directives };
}

interface FunctionSpan {
  name: string;
  line: number;
  endLine: number;
}

/** Fingerprints, lines and placed suppressions of one TS/JS file, plus malformed directives. */
export function scriptContentFacts(path: string, source: string, functions: readonly FunctionSpan[]): { content: ContentFacts; problems: { line: number; message: string }[] } {
  const scanned = scanScript(path, source);
  const lines = scanned.offsets.length - 2;
  const prints = functionFingerprints(functions, scanned.offsets, (from, to) => hashParts(scanned.text.slice(from, to)));
  const placed = placeDirectives(source, scanned.directives, functions, SCRIPT_DIRECTIVES);
  return {
    content: { fingerprint: hashParts(scanned.text), lines, functions: prints, suppressions: placed.directives },
    problems: placed.problems,
  };
}
