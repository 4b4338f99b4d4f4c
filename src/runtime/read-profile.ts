/** Reads a profile file and recognises its format from its content (not its name). */
import { readFile, stat } from 'node:fs/promises';
import { readPySpyRaw } from './pyspy-raw.js';
import { looksLikeScalene, readScalene } from './scalene.js';
import { looksLikeSpeedscope, readSpeedscope } from './speedscope.js';
import { ProfileError, type RuntimeProfile } from './types.js';

const MAX_PROFILE_BYTES = 512 * 1024 * 1024;

export function parseProfile(text: string, source: string): RuntimeProfile {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*\{/.test(body)) {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch (err) {
      throw new ProfileError(`invalid JSON: ${(err as Error).message}`);
    }
    if (looksLikeSpeedscope(doc)) return readSpeedscope(doc, source);
    if (looksLikeScalene(doc)) return readScalene(doc, source);
    throw new ProfileError('JSON, but neither a speedscope file (py-spy --format speedscope) nor Scalene --json output');
  }
  return readPySpyRaw(body, source);
}

export async function readProfile(path: string): Promise<RuntimeProfile> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw new ProfileError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (size > MAX_PROFILE_BYTES) throw new ProfileError(`${path} is larger than ${MAX_PROFILE_BYTES / 1024 / 1024} MB`);
  const text = await readFile(path, 'utf8');
  try {
    return parseProfile(text, path);
  } catch (err) {
    if (err instanceof ProfileError) throw new ProfileError(`${path}: ${err.message}`);
    throw err;
  }
}

/** Reads every --profile file, in order; the first unreadable or unrecognised one throws a ProfileError. */
export async function readProfiles(paths: string[]): Promise<RuntimeProfile[]> {
  const out: RuntimeProfile[] = [];
  for (const p of paths) out.push(await readProfile(p));
  return out;
}
