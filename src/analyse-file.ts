/**
 * The per-file stage: read one source file safely and profile it. Pure with respect to the
 * rest of the scan (one path in, one plain result out), so it can run in a worker or be cached.
 */
import { join } from 'node:path';
import type { Warning } from './model.js';
import { profilePython, type FileProfile } from './profile.js';
import { readSource, type ReadLimits } from './read-source.js';
import { pyo3Exports, type Pyo3Exports } from './rust/pyo3-exports.js';

export interface RustFileProfile {
  path: string;
  language: 'rust';
  exports: Pyo3Exports;
}

export interface FileResult {
  path: string;
  python?: FileProfile;
  rust?: RustFileProfile;
  warnings: Warning[];
}

export async function analyseFile(root: string, path: string, language: string, limits: ReadLimits): Promise<FileResult> {
  const warnings: Warning[] = [];
  const src = await readSource(join(root, path), limits);
  if ('error' in src) return { path, warnings: [{ path, message: src.error }] };
  for (const w of src.warnings) warnings.push({ path, message: w });
  try {
    if (language === 'rust') return { path, rust: { path, language: 'rust', exports: pyo3Exports(src.text) }, warnings };
    if (language !== 'python') return { path, warnings };
    const profile = await profilePython(path, src.text);
    if (profile.syntaxErrors.length) {
      warnings.push({ path, message: `syntax error${profile.python2 ? ' (Python 2 code)' : ''} at line ${profile.syntaxErrors[0]}; profiled what parsed` });
    }
    return { path, python: profile, warnings };
  } catch (err) {
    warnings.push({ path, message: `could not be analysed: ${(err as Error).message}` });
    return { path, warnings };
  }
}

/** Runs analyseFile over every file. The seam where a worker pool and a cache plug in. */
export async function analyseFiles(root: string, files: { path: string; language: string }[], limits: ReadLimits): Promise<FileResult[]> {
  const out: FileResult[] = [];
  for (const f of files) out.push(await analyseFile(root, f.path, f.language, limits));
  return out;
}
