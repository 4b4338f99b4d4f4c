/**
 * The per-file stage: read one source file safely and profile it. Pure with respect to the
 * rest of the scan (one path in, one plain result out), so it can run in a worker or be cached.
 *
 * Contract: never throws. Whatever goes wrong (unreadable, binary, too large, too slow to parse,
 * an internal error) becomes a warning naming the file and the reason; whenever anything parsed
 * there is a profile.
 */
import { join } from 'node:path';
import type { Warning, WarningCode } from './model.js';
import { profilePython, type FileProfile } from './profile.js';
import { futureImportProblem, python2StatementLine, tabErrorLine } from './python/compile-checks.js';
import { readSourceSync } from './read-source.js';
import { DEFAULT_ANALYSIS_LIMITS, type AnalysisLimits } from './analysis-limits.js';
import { ParseTimeoutError } from './tree-sitter/with-tree.js';
import { profileRust, type RustFileProfile } from './rust/profile.js';
import type { TsFileProfile } from './typescript/profile.js';
import { contentFactsOf } from './ci/content-facts.js';

export type { RustFileProfile, TsFileProfile };
export { DEFAULT_ANALYSIS_LIMITS, type AnalysisLimits };

export interface FileResult {
  path: string;
  python?: FileProfile;
  rust?: RustFileProfile;
  /** TypeScript or JavaScript (profile.language says which). */
  script?: TsFileProfile;
  warnings: Warning[];
}


const ANALYSED_LANGUAGES = new Set(['python', 'rust', 'typescript', 'javascript']);

const warn = (path: string, message: string, code: WarningCode): Warning => ({ path, message, code });

async function analyse(root: string, path: string, language: string, limits: AnalysisLimits): Promise<FileResult> {
  if (!ANALYSED_LANGUAGES.has(language)) {
    return { path, warnings: [warn(path, `${language} analysis is not enabled yet; not analysed`, 'unsupported-language')] };
  }
  const src = readSourceSync(join(root, path), limits, { root });
  if ('error' in src) return { path, warnings: [warn(path, src.error, src.code)] };
  const warnings = src.warnings.map((w) => warn(path, w, 'encoding'));
  if (language === 'rust') {
    const rust = await profileRust(path, src.text, { maxParseMs: limits.maxParseMs });
    if (rust.syntaxErrors.length) warnings.push(warn(path, `syntax error at line ${rust.syntaxErrors[0]}; profiled what parsed`, 'syntax-error'));
    return { path, rust, warnings };
  }
  if (language === 'typescript' || language === 'javascript') {
    // Loaded on first use: the TypeScript compiler costs ~0.3 s to load, Python-only scans never pay it.
    const { profileTypeScript } = await import('./typescript/profile.js');
    const script = profileTypeScript(path, src.text, language, { maxParseMs: limits.maxParseMs });
    if (script.syntaxErrors.length) warnings.push(warn(path, `syntax error at line ${script.syntaxErrors[0]}; profiled what parsed`, 'syntax-error'));
    return { path, script, warnings };
  }

  const profile = await profilePython(path, src.text, { maxParseMs: limits.maxParseMs });
  if (profile.syntaxErrors.length) {
    const py2 = profile.python2 ? ' (Python 2 code)' : '';
    const lines = [...new Set(profile.syntaxErrors)].slice(0, 3);
    const at = lines.length > 1 ? `lines ${lines.join(', ')}${profile.syntaxErrors.length > 3 ? ', …' : ''}` : `line ${lines[0]}`;
    warnings.push(warn(path, `syntax error${py2} at ${at}; profiled what parsed`, 'syntax-error'));
  } else if (profile.python2) {
    const py2Line = python2StatementLine(src.text);
    if (py2Line !== null) warnings.push(warn(path, `Python 2 print/exec statement at line ${py2Line}, which Python 3 cannot run; profiled anyway`, 'syntax-error'));
  }
  const tabLine = tabErrorLine(src.text);
  if (tabLine !== null) {
    warnings.push(warn(path, `inconsistent tabs and spaces in indentation at line ${tabLine} (Python 3 raises TabError); profiled anyway`, 'indentation'));
  }
  const future = profile.syntaxErrors.length ? null : futureImportProblem(src.text);
  if (future) warnings.push(warn(path, `${future.message} at line ${future.line}, which CPython refuses to compile; profiled anyway`, 'syntax-error'));
  const ci = contentFactsOf(src.text, profile);
  profile.content = ci.content;
  warnings.push(...ci.warnings);
  return { path, python: profile, warnings };
}

export async function analyseFile(root: string, path: string, language: string, limits: AnalysisLimits = DEFAULT_ANALYSIS_LIMITS): Promise<FileResult> {
  try {
    return await analyse(root, path, language, limits);
  } catch (err) {
    if (err instanceof ParseTimeoutError) {
      return { path, warnings: [warn(path, `${err.message}, skipped; raise it with --max-parse-ms`, 'parse-timeout')] };
    }
    const reason = err instanceof Error ? err.message : String(err);
    return { path, warnings: [warn(path, `could not be analysed (internal error: ${reason.split('\n')[0].slice(0, 200)}), skipped`, 'analysis-failed')] };
  }
}

/** Runs analyseFile over every file. The seam where a worker pool and a cache plug in. */
export async function analyseFiles(root: string, files: { path: string; language: string }[], limits: AnalysisLimits = DEFAULT_ANALYSIS_LIMITS, onProgress?: (done: number, total: number) => void): Promise<FileResult[]> {
  const out: FileResult[] = [];
  for (const f of files) {
    out.push(await analyseFile(root, f.path, f.language, limits));
    onProgress?.(out.length, files.length);
  }
  return out;
}
