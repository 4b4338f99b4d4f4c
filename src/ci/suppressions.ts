/**
 * In-source suppressions: `# rustscout: keep-python -- reason` (Python) and
 * `// rustscout: keep-typescript -- reason` (TypeScript/JavaScript; `keep-javascript` too) record
 * a human decision.
 *
 * - On a function's first line, or in the comment/decorator block directly above it: the function.
 * - Inside a function body: the innermost enclosing function.
 * - Anywhere else at top level (typically the first lines): the whole module.
 *
 * Placement is resolved per file from the source lines (Python: src/ci/content-facts.ts from
 * src/analyse-file.ts; TS/JS: src/typescript/content.ts); applying the directives to the
 * classified module happens in `applySuppressions`.
 */
import { REWRITE_VERDICTS, type FunctionSummary, type ModuleReport, type Suppression, type SuppressionDirective } from '../model.js';

export const SUPPRESSION_VERDICT = 'keep-python';

/** How one language writes suppressions: the accepted keywords and what a comment line looks like. */
export interface DirectiveSyntax {
  /** Accepted directives, e.g. `keep-python -- reason`; the first is the one messages suggest. */
  directive: RegExp;
  expected: string;
  /** Text that was probably meant as a directive (`keep-pyhton`). */
  nearMiss: RegExp;
  /** A whole line that is a comment (part of the block above a function). */
  isCommentLine: (trimmed: string) => boolean;
  /** The line without a trailing comment (for bracket counting in a decorator). */
  code: (line: string) => string;
}

export const PYTHON_DIRECTIVES: DirectiveSyntax = {
  directive: /^keep-python\b\s*(?:--\s*(.*))?$/,
  expected: 'keep-python -- reason',
  nearMiss: /^keep[-_ ]?py/i,
  isCommentLine: (t) => t.startsWith('#'),
  code: (line) => line.replace(/#.*$/, ''),
};

/** TypeScript and JavaScript: `keep-typescript` or `keep-javascript` (either, in either kind of file). */
export const SCRIPT_DIRECTIVES: DirectiveSyntax = {
  directive: /^keep-(?:typescript|javascript)\b\s*(?:--\s*(.*?))?\s*(?:\*\/)?$/,
  expected: 'keep-typescript -- reason',
  nearMiss: /^keep[-_ ]?(?:ts|js|type|java|script|py)/i,
  isCommentLine: (t) => t.startsWith('//') || t.startsWith('/*') || t.startsWith('*'),
  code: (line) => line.replace(/\/\/.*$/, ''),
};

/** The directive a suppression in this file is written with (for messages). */
export const directiveOf = (language: ModuleReport['language']): string => (language === 'python' ? '# rustscout: keep-python' : `// rustscout: keep-${language === 'javascript' ? 'javascript' : 'typescript'}`);

export interface ParsedDirective {
  ok: boolean;
  reason: string;
}

/** Parses the text after `rustscout:`; null when it is not a suppression at all. */
export function parseDirective(text: string, syntax: DirectiveSyntax = PYTHON_DIRECTIVES): ParsedDirective | null {
  const t = text.trim();
  const m = syntax.directive.exec(t);
  if (m) return { ok: true, reason: (m[1] ?? '').trim() };
  if (syntax.nearMiss.test(t)) return { ok: false, reason: '' };
  return null;
}

interface FunctionSpan {
  name: string;
  line: number;
  endLine: number;
}

/** The function whose def line the comment block starting after `line` leads into, if any. */
function functionBelow(lines: readonly string[], line: number, functions: readonly FunctionSpan[], syntax: DirectiveSyntax): FunctionSpan | undefined {
  let depth = 0;
  for (let l = line + 1; l <= lines.length; l++) {
    const fn = functions.find((f) => f.line === l);
    if (fn && depth <= 0) return fn;
    const text = (lines[l - 1] ?? '').trim();
    if (depth > 0 || text.startsWith('@')) {
      depth += bracketBalance(syntax.code(text));
      continue;
    }
    if (syntax.isCommentLine(text)) continue;
    return undefined;
  }
  return undefined;
}

function bracketBalance(text: string): number {
  let d = 0;
  for (const c of text) {
    if (c === '(' || c === '[' || c === '{') d++;
    else if (c === ')' || c === ']' || c === '}') d--;
  }
  return d;
}

export interface PlacedDirectives {
  directives: SuppressionDirective[];
  /** Malformed directives (e.g. `keep-pyhton`): message per line. */
  problems: { line: number; message: string }[];
}

/** Resolves each `rustscout:` comment to the module or the function it applies to. */
export function placeDirectives(source: string, comments: readonly { line: number; text: string }[], functions: readonly FunctionSpan[], syntax: DirectiveSyntax = PYTHON_DIRECTIVES): PlacedDirectives {
  const out: PlacedDirectives = { directives: [], problems: [] };
  if (!comments.length) return out;
  const lines = source.split('\n');
  const defs = functions.filter((f) => f.name !== '<module>');
  for (const c of comments) {
    const parsed = parseDirective(c.text, syntax);
    if (!parsed) continue;
    if (!parsed.ok) {
      out.problems.push({ line: c.line, message: `unrecognised rustscout directive "${c.text.slice(0, 60)}" (expected "${syntax.expected}")` });
      continue;
    }
    const onDef = defs.find((f) => f.line === c.line);
    const below = onDef ?? functionBelow(lines, c.line, defs, syntax);
    const enclosing = below ?? defs.filter((f) => f.line <= c.line && c.line <= f.endLine).sort((a, b) => b.line - a.line)[0];
    out.directives.push(enclosing
      ? { line: c.line, scope: 'function', function: enclosing.name, reason: parsed.reason }
      : { line: c.line, scope: 'module', reason: parsed.reason });
  }
  return out;
}

const asSuppression = (d: SuppressionDirective): Suppression => ({ kind: d.scope, reason: d.reason, line: d.line });

/**
 * Marks the module's and its functions' findings as suppressed and each directive as used or not.
 * A module-level directive suppresses the module and every kernel function in it; a function-level
 * one suppresses that function, and an extension-candidate module (pyo3-extension, or a TS/JS
 * wasm-extension) when every kernel function in it is suppressed. `kernels` are the functions a
 * function-level directive can target (src/ci/findings.ts `suppressibleFunctions`).
 */
export function applySuppressions(module: ModuleReport, kernels: readonly FunctionSummary[], configSuppression?: Suppression): void {
  const directives = module.suppressions ?? [];
  const isCandidate = module.language !== 'rust' && REWRITE_VERDICTS.includes(module.verdict);
  for (const d of directives) d.used = false;
  if (!isCandidate) return;
  const moduleDirective = directives.find((d) => d.scope === 'module');
  if (moduleDirective) {
    module.suppressed = asSuppression(moduleDirective);
    for (const fn of kernels) fn.suppressed = module.suppressed;
    moduleDirective.used = true;
    return;
  }
  for (const d of directives.filter((x) => x.scope === 'function')) {
    const targets = kernels.filter((f) => f.name === d.function);
    for (const fn of targets) fn.suppressed = asSuppression(d);
    if (targets.length) d.used = true;
  }
  if ((module.verdict === 'pyo3-extension' || module.verdict === 'wasm-extension') && kernels.length && kernels.every((f) => f.suppressed)) {
    const reasons = [...new Set(kernels.map((f) => f.suppressed!.reason).filter(Boolean))];
    module.suppressed = { kind: 'function', reason: reasons.join('; '), line: kernels[0].suppressed!.line };
  }
  if (!module.suppressed && configSuppression) {
    module.suppressed = configSuppression;
    for (const fn of kernels) fn.suppressed ??= configSuppression;
  }
}
