/** Finds source files and manifests under a root, honouring .gitignore and default excludes. */
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { manifestKind, type ManifestKind } from '../detectors/manifests.js';
import type { Warning } from './model.js';

export const DEFAULT_EXCLUDES = [
  '**/.git/**', '**/.hg/**', '**/.svn/**', '**/node_modules/**', '**/__pycache__/**', '**/site-packages/**',
  '**/.venv/**', '**/venv/**', '**/.tox/**', '**/.nox/**', '**/.mypy_cache/**', '**/.pytest_cache/**',
  '**/build/**', '**/dist/**', '**/.eggs/**', '**/*.egg-info/**', '**/.rustscout-cache/**', '**/target/**',
];

export interface DiscoveredFile {
  /** POSIX path relative to the root. */
  path: string;
  language: 'python' | 'rust' | 'typescript' | 'javascript';
}

export interface DiscoveredManifest {
  path: string;
  kind: ManifestKind;
}

export interface Discovery {
  files: DiscoveredFile[];
  manifests: DiscoveredManifest[];
  /** Directories holding an __init__.py (package directories), relative, '' for the root. */
  packageDirs: Set<string>;
  warnings: Warning[];
}

export interface DiscoverOptions {
  exclude?: string[];
  gitignore?: boolean;
}

const SOURCE_GLOBS = ['**/*.py', '**/*.pyw', '**/*.rs', '**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.mjs', '**/*.cjs'];
const MANIFEST_GLOBS = ['**/requirements*.txt', '**/requirements*.in', '**/pyproject.toml', '**/setup.cfg', '**/setup.py', '**/Pipfile', '**/Cargo.toml', '**/package.json'];

function languageOf(path: string): DiscoveredFile['language'] {
  if (path.endsWith('.rs')) return 'rust';
  if (/\.(ts|tsx|mts|cts)$/.test(path)) return path.endsWith('.d.ts') ? 'typescript' : 'typescript';
  if (/\.(js|mjs|cjs)$/.test(path)) return 'javascript';
  return 'python';
}

/** Loads every .gitignore under the root into one matcher scoped by directory. */
function gitignoreMatcher(root: string, excludes: string[], warnings: Warning[]): (path: string) => boolean {
  const files = fg.sync('**/.gitignore', { cwd: root, ignore: excludes, dot: true, followSymbolicLinks: false, suppressErrors: true });
  const scoped: { dir: string; ig: Ignore }[] = [];
  for (const file of files) {
    try {
      const ig = ignore().add(readFileSync(posix.join(root, file), 'utf8'));
      scoped.push({ dir: posix.dirname(file) === '.' ? '' : posix.dirname(file), ig });
    } catch (err) {
      warnings.push({ path: file, message: `could not read .gitignore: ${(err as Error).message}` });
    }
  }
  return (path: string) => scoped.some(({ dir, ig }) => {
    if (dir && !path.startsWith(dir + '/')) return false;
    const rel = dir ? path.slice(dir.length + 1) : path;
    return ig.ignores(rel);
  });
}

export function discover(root: string, options: DiscoverOptions = {}): Discovery {
  const warnings: Warning[] = [];
  const excludes = [...DEFAULT_EXCLUDES, ...(options.exclude ?? [])];
  const ignored = options.gitignore === false ? () => false : gitignoreMatcher(root, excludes, warnings);
  const entries = fg.sync([...SOURCE_GLOBS, ...MANIFEST_GLOBS, '**/__init__.py'], {
    cwd: root, ignore: excludes, dot: false, onlyFiles: true, followSymbolicLinks: false, unique: true, suppressErrors: true,
  });
  entries.sort();
  const files: DiscoveredFile[] = [];
  const manifests: DiscoveredManifest[] = [];
  const packageDirs = new Set<string>();
  for (const path of entries) {
    if (ignored(path)) continue;
    const base = posix.basename(path);
    const kind = manifestKind(base);
    if (kind) manifests.push({ path, kind });
    if (base === '__init__.py') packageDirs.add(posix.dirname(path) === '.' ? '' : posix.dirname(path));
    if (kind === 'setup-py') continue;
    if (/\.(py|pyw|rs|ts|tsx|mts|cts|js|mjs|cjs)$/.test(path) && !path.endsWith('.d.ts')) files.push({ path, language: languageOf(path) });
  }
  return { files, manifests, packageDirs, warnings };
}
