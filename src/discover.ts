/**
 * Finds source files and manifests under a root, honouring .gitignore and default excludes.
 *
 * Hostile trees are expected: symlinks are never followed as directories (so loops end) and a
 * symlink whose target lies outside the root is reported, not read; FIFOs, sockets and devices
 * with source-like names are reported and skipped (never opened, so nothing blocks); directories
 * that cannot be listed become warnings.
 */
import ignore, { type Ignore } from 'ignore';
import * as fs from 'node:fs';
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import { manifestKind, type ManifestKind } from '../detectors/manifests.js';
import type { Warning } from './model.js';
import { isInside } from './read-source.js';

export const DEFAULT_EXCLUDES = [
  '**/.git/**', '**/.hg/**', '**/.svn/**', '**/node_modules/**', '**/__pycache__/**', '**/site-packages/**',
  '**/.venv/**', '**/venv/**', '**/.tox/**', '**/.nox/**', '**/.mypy_cache/**', '**/.pytest_cache/**',
  '**/build/**', '**/dist/**', '**/.eggs/**', '**/*.egg-info/**', '**/.rustscout-cache/**', '**/target/**',
];

// DEFAULT_EXCLUDES as a directory-name test (each default excludes one directory name anywhere): no glob matching per entry.
const DEFAULT_EXCLUDED_DIRS = new Set(DEFAULT_EXCLUDES.map((g) => /^\*\*\/([^*/]+)\/\*\*$/.exec(g)?.[1]).filter((n): n is string => !!n));
const isDefaultExcludedDir = (name: string): boolean => DEFAULT_EXCLUDED_DIRS.has(name) || name.endsWith('.egg-info');

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

const SOURCE_FILE = /\.(py|pyw|rs|ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const MAX_GITIGNORE_BYTES = 1024 * 1024;

function languageOf(path: string): DiscoveredFile['language'] {
  if (path.endsWith('.rs')) return 'rust';
  if (/\.(ts|tsx|mts|cts)$/.test(path)) return 'typescript';
  if (/\.(js|jsx|mjs|cjs)$/.test(path)) return 'javascript';
  return 'python';
}

/** Declaration files carry no code; minified bundles are build output, not source. */
const isSource = (path: string): boolean => SOURCE_FILE.test(path) && !/\.d\.[mc]?ts$/.test(path) && !/\.min\.[mc]?js$/.test(path);

interface ScopedIgnore {
  dir: string;
  ig: Ignore;
}

/** Reads one directory's .gitignore (a regular file of sane size) into a matcher, or warns. */
function loadGitignore(root: string, dir: string, warnings: Warning[]): ScopedIgnore | null {
  const rel = dir ? `${dir}/.gitignore` : '.gitignore';
  try {
    const abs = join(root, rel);
    const st = fs.lstatSync(abs);
    if (!st.isFile()) return null;
    if (st.size > MAX_GITIGNORE_BYTES) {
      warnings.push({ path: rel, message: '.gitignore larger than 1 MB, not used', code: 'too-large' });
      return null;
    }
    return { dir, ig: ignore().add(fs.readFileSync(abs, 'utf8')) };
  } catch (err) {
    warnings.push({ path: rel, message: `could not read .gitignore: ${(err as Error).message}`, code: 'unreadable' });
    return null;
  }
}

function gitignored(scoped: ScopedIgnore[], path: string, isDir: boolean): boolean {
  return scoped.some(({ dir, ig }) => {
    if (dir && !path.startsWith(dir + '/')) return false;
    const rel = (dir ? path.slice(dir.length + 1) : path) + (isDir ? '/' : '');
    try {
      return ig.ignores(rel);
    } catch {
      return false;
    }
  });
}

interface WalkEntry {
  path: string;
  dirent: fs.Dirent;
}

/**
 * Lists every entry under the root without following symlinks. Our own walk rather than a glob
 * library's: names may hold newlines (glob `**` does not match them), unlistable directories must
 * become warnings (not be swallowed), and excluded or git-ignored directories are pruned whole.
 * Keeps symlinks and the entries `wanted` accepts (by name), nothing else.
 */
function walk(root: string, excluded: (path: string, isDir: boolean) => boolean, wanted: (path: string) => boolean, useGitignore: boolean, warnings: Warning[]): WalkEntry[] {
  const out: WalkEntry[] = [];
  const scoped: ScopedIgnore[] = [];
  const pending = [''];
  while (pending.length) {
    const dir = pending.pop()!;
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(dir ? join(root, dir) : root, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      warnings.push({ path: dir || '.', message: `directory could not be listed (${code}); its files were not scanned`, code: 'unreadable' });
      continue;
    }
    // A virtualenv, whatever it is called (env/, .env/, py311/): pyvenv.cfg marks it.
    if (dir && dirents.some((d) => d.name === 'pyvenv.cfg' && d.isFile())) continue;
    if (useGitignore && dirents.some((d) => d.name === '.gitignore')) {
      const loaded = loadGitignore(root, dir, warnings);
      if (loaded) scoped.push(loaded);
    }
    for (const dirent of dirents) {
      if (dirent.name.startsWith('.')) continue;
      const path = dir ? `${dir}/${dirent.name}` : dirent.name;
      const isDir = dirent.isDirectory();
      if (excluded(path, isDir) || (scoped.length && gitignored(scoped, path, isDir))) continue;
      if (isDir) pending.push(path);
      else if (dirent.isSymbolicLink() || wanted(path)) out.push({ path, dirent });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

type FileKind = Pick<fs.Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>;

function specialKind(d: FileKind): string {
  if (d.isFIFO()) return 'a FIFO';
  if (d.isSocket()) return 'a socket';
  if (d.isCharacterDevice() || d.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

type Resolved = { kind: 'file' } | { kind: 'skip' } | { kind: 'warn'; warning: Warning };

/** Decides what to do with a symlink: read it as a file only when it is one and stays inside the root. */
function resolveSymlink(root: string, realRoot: string, path: string, wanted: boolean): Resolved {
  const abs = join(root, path);
  let real: string;
  let st: fs.Stats;
  try {
    real = fs.realpathSync(abs);
    st = fs.statSync(real);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!wanted) return { kind: 'skip' };
    const why = code === 'ELOOP' ? 'symlink loop' : code === 'ENOENT' ? 'broken symlink (target missing)' : `symlink cannot be resolved (${code})`;
    return { kind: 'warn', warning: { path, message: `${why}, skipped`, code: 'symlink' } };
  }
  if (!isInside(realRoot, real)) {
    if (!wanted && !st.isDirectory()) return { kind: 'skip' };
    return { kind: 'warn', warning: { path, message: `symlink points outside the scanned root (${real}), not followed`, code: 'outside-root' } };
  }
  // Directory links inside the root are not followed: their target is scanned where it lives.
  if (st.isDirectory() || !wanted) return { kind: 'skip' };
  if (!st.isFile()) return { kind: 'warn', warning: { path, message: `symlink to ${specialKind(st)}, skipped`, code: 'not-a-file' } };
  return { kind: 'file' };
}

export function discover(root: string, options: DiscoverOptions = {}): Discovery {
  const warnings: Warning[] = [];
  const userExcluded = options.exclude?.length ? picomatch(options.exclude, { dot: true, flags: 's' }) : null;
  const excluded = (path: string, isDir: boolean): boolean =>
    (isDir && isDefaultExcludedDir(path.slice(path.lastIndexOf('/') + 1))) || (userExcluded !== null && userExcluded(path));
  let realRoot = root;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    // the CLI has already checked the root; keep going with what we have
  }
  const wantedName = (path: string): boolean => isSource(path) || manifestKind(posix.basename(path)) !== null;
  const entries = walk(root, excluded, wantedName, options.gitignore !== false, warnings);
  const files: DiscoveredFile[] = [];
  const manifests: DiscoveredManifest[] = [];
  const packageDirs = new Set<string>();
  for (const { path, dirent } of entries) {
    if (dirent.isDirectory()) continue;
    const base = posix.basename(path);
    const kind = manifestKind(base);
    const wanted = wantedName(path);
    if (!dirent.isSymbolicLink() && !wanted) continue;
    if (dirent.isSymbolicLink()) {
      const resolved = resolveSymlink(root, realRoot, path, wanted);
      if (resolved.kind === 'warn') warnings.push(resolved.warning);
      if (resolved.kind !== 'file') continue;
    } else if (!dirent.isFile()) {
      warnings.push({ path, message: `${specialKind(dirent)}, not a regular file; skipped`, code: 'not-a-file' });
      continue;
    }
    if (kind) manifests.push({ path, kind });
    if (base === '__init__.py') packageDirs.add(posix.dirname(path) === '.' ? '' : posix.dirname(path));
    if (kind === 'setup-py') continue;
    if (isSource(path)) files.push({ path, language: languageOf(path) });
  }
  return { files, manifests, packageDirs, warnings };
}
