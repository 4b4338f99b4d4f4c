import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

function findPackageJson(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'package.json');
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8'));
      if (pkg.name === 'rustscout') return pkg.version as string;
    } catch {
      /* keep climbing */
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

export const TOOL_VERSION: string = findPackageJson();

function listFiles(dir: string, out: string[]): void {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) listFiles(path, out);
    else if (/\.(js|ts)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(path);
  }
}

let analyserBuildHash: string | null = null;

/**
 * A hash of the analyser's own code (the compiled src/ and detectors/ next to this file), so that
 * cached per-file results never outlive a change to a detector, even within one version number.
 * Computed on first use (only a scan that opens the cache needs it), then remembered.
 */
export function analyserBuild(): string {
  if (analyserBuildHash !== null) return analyserBuildHash;
  const here = dirname(fileURLToPath(import.meta.url));
  const files: string[] = [];
  listFiles(here, files);
  listFiles(join(here, '..', 'detectors'), files);
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    try {
      hash.update(file.slice(here.length)).update(readFileSync(file));
    } catch {
      /* unreadable: leave it out */
    }
  }
  analyserBuildHash = hash.digest('hex').slice(0, 12);
  return analyserBuildHash;
}
