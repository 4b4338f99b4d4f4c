/**
 * The per-file result cache. An entry holds one file's FileResult (plain profiles, never trees or
 * source text) under a key made of the file's content hash, its path and language, the tool
 * version and a hash of the options that change per-file results. A re-scan therefore
 * re-analyses exactly the files whose content (or the tool, or those options) changed.
 *
 * The cache is never trusted: every entry repeats its own key and is checked on load, a corrupt
 * entry is ignored with a warning and rewritten, and a folder that is not a rustscout cache of
 * this format is left alone with a warning (the scan then runs without a cache). Nothing here
 * ever makes a scan fail.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileResult } from './analyse-file.js';
import type { Warning, WarningCode } from './model.js';
import { analyserBuild, TOOL_VERSION } from './version.js';

/** Bump when the entry layout or the meaning of a key changes. */
export const CACHE_FORMAT = 1;
const MARKER_FILE = 'rustscout-cache.json';
const CACHE_WARNING: WarningCode = 'cache';

export interface CacheLocation {
  /** Explicit folder (--cache-dir); wins over everything. */
  dir?: string;
  /** Environment to read XDG_CACHE_HOME from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * `--cache-dir`, else `$XDG_CACHE_HOME/rustscout/<hash of root>`, else `~/.cache/rustscout/<hash>`,
 * else (no home) `<root>/.rustscout-cache`. The default lies outside the repository so that a
 * cache folder committed to a hostile repository is never read unless the user names it.
 */
export function cacheDirFor(root: string, location: CacheLocation = {}): string {
  if (location.dir) return location.dir;
  const env = location.env ?? process.env;
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : '');
  if (base) return join(base, 'rustscout', sha256(root).slice(0, 16));
  return join(root, '.rustscout-cache');
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A stable hash of the options that change per-file results (key order does not matter). */
export function configHash(options: unknown): string {
  return sha256(stableJson(options ?? null)).slice(0, 16);
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const keys = Object.keys(value as object).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** What an entry is stored under and must repeat inside itself. */
export interface EntryKey {
  path: string;
  language: string;
  contentHash: string;
}

interface Entry extends EntryKey {
  tool: 'rustscout';
  format: number;
  version: string;
  config: string;
  result: FileResult;
}

/** Where a worker (or the main thread) writes one entry after a miss. */
export interface EntryTarget extends EntryKey {
  file: string;
  version: string;
  config: string;
}

/**
 * Results that depend on more than the file's bytes and the options (the clock, the filesystem
 * around the file, an internal error) are never stored.
 */
const UNCACHEABLE: ReadonlySet<string> = new Set(['parse-timeout', 'analysis-failed', 'unreadable', 'not-a-file', 'outside-root', 'symlink']);

export function cacheable(result: FileResult): boolean {
  return !result.warnings.some((w) => w.code !== undefined && UNCACHEABLE.has(w.code));
}

/** Writes an entry atomically (temp file + rename), so readers never see half an entry. Never throws. */
export async function writeEntry(target: EntryTarget, result: FileResult): Promise<void> {
  if (!cacheable(result)) return;
  const entry: Entry = {
    tool: 'rustscout', format: CACHE_FORMAT, version: target.version, config: target.config,
    path: target.path, language: target.language, contentHash: target.contentHash, result,
  };
  const tmp = `${target.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await mkdir(join(target.file, '..'), { recursive: true });
    await writeFile(tmp, JSON.stringify(entry));
    await rename(tmp, target.file);
  } catch {
    await unlink(tmp).catch(() => {});
  }
}

export type Lookup =
  | { kind: 'hit'; result: FileResult }
  /** Not in the cache: analyse, then write the entry to `target`. */
  | { kind: 'miss'; target: EntryTarget }
  /** Not a plain file within the size limit: analyse without the cache. */
  | { kind: 'bypass' };

export interface ResultCacheOptions extends CacheLocation {
  /** Hash of the per-file options (configHash()). */
  config: string;
  /** Files larger than this are not hashed (analyseFile skips them anyway). */
  maxBytes: number;
  /** Tool version in the key (default: package.json's). */
  version?: string;
}

export class ResultCache {
  private constructor(
    readonly dir: string,
    private readonly config: string,
    private readonly version: string,
    private readonly maxBytes: number,
    private readonly warnings: Warning[],
  ) {}

  /**
   * Opens (creating when absent) the cache folder for `root`. Returns null, with a warning in
   * `warnings`, when the folder exists but is not a rustscout cache of this format, or when an
   * explicitly requested folder cannot be created. An unwritable default folder just means no
   * cache, silently: scanning a read-only checkout is normal.
   */
  static open(root: string, options: ResultCacheOptions, warnings: Warning[]): ResultCache | null {
    const dir = cacheDirFor(root, options);
    const shown = options.dir ?? dir;
    let exists = false;
    try {
      exists = lstatSync(dir).isDirectory();
      if (!exists) {
        warnings.push({ path: shown, message: 'cache folder is not a directory; scanning without the cache', code: CACHE_WARNING });
        return null;
      }
    } catch {
      /* absent: created below */
    }
    if (exists) {
      if (!isOurs(dir)) {
        warnings.push({ path: shown, message: `not a rustscout cache (format ${CACHE_FORMAT}); ignored, scanning without the cache (delete the folder to rebuild it)`, code: CACHE_WARNING });
        return null;
      }
    } else {
      const problem = createCacheDir(dir);
      if (problem) {
        if (options.dir) warnings.push({ path: shown, message: `cannot create the cache folder (${problem}); scanning without the cache`, code: CACHE_WARNING });
        return null;
      }
    }
    return new ResultCache(dir, options.config, options.version ?? `${TOOL_VERSION}+${analyserBuild()}`, options.maxBytes, warnings);
  }

  private entryFile(key: EntryKey): string {
    const id = sha256(`${CACHE_FORMAT}\0${this.version}\0${this.config}\0${key.language}\0${key.path}\0${key.contentHash}`);
    return join(this.dir, `v${CACHE_FORMAT}`, id.slice(0, 2), `${id}.json`);
  }

  /** Hashes the file's bytes and looks its result up. Never throws. */
  async lookup(root: string, path: string, language: string): Promise<Lookup> {
    const bytes = await readPlainFile(join(root, path), this.maxBytes);
    if (!bytes) return { kind: 'bypass' };
    const key: EntryKey = { path, language, contentHash: sha256(bytes) };
    const file = this.entryFile(key);
    const target: EntryTarget = { ...key, file, version: this.version, config: this.config };
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return { kind: 'miss', target };
    }
    const result = this.validate(text, target);
    if (result) return { kind: 'hit', result };
    this.warnings.push({ path, message: `cache entry ${file} is corrupt or does not match; ignored and rebuilt`, code: CACHE_WARNING });
    return { kind: 'miss', target };
  }

  private validate(text: string, want: EntryTarget): FileResult | null {
    let e: Partial<Entry>;
    try {
      e = JSON.parse(text) as Partial<Entry>;
    } catch {
      return null;
    }
    if (!e || typeof e !== 'object' || e.tool !== 'rustscout' || e.format !== CACHE_FORMAT || e.version !== want.version || e.config !== want.config) return null;
    if (e.path !== want.path || e.language !== want.language || e.contentHash !== want.contentHash) return null;
    const r = e.result;
    if (!r || typeof r !== 'object' || r.path !== want.path || !Array.isArray(r.warnings)) return null;
    if (r.python !== undefined && (typeof r.python !== 'object' || r.python === null || r.python.path !== want.path || !Array.isArray(r.python.functions))) return null;
    return r;
  }
}

/**
 * Creates the folder with its marker in one step (built under a temporary name, then renamed),
 * so a concurrent scan never sees a cache folder without its marker. Returns a reason on failure.
 */
function createCacheDir(dir: string): string | null {
  const tmp = `${dir}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(join(dir, '..'), { recursive: true });
    mkdirSync(tmp);
    writeFileSync(join(tmp, MARKER_FILE), JSON.stringify({ tool: 'rustscout', format: CACHE_FORMAT }) + '\n');
    // Keep the folder out of version control and out of backups that honour CACHEDIR.TAG.
    writeFileSync(join(tmp, '.gitignore'), '*\n');
    writeFileSync(join(tmp, 'CACHEDIR.TAG'), 'Signature: 8a477f597d28d172789f06886806bc55\n# rustscout per-file result cache\n');
    renameSync(tmp, dir);
    return null;
  } catch (err) {
    try {
      rmSync(tmp, { recursive: true, force: true });
    } catch {
      /* nothing was created */
    }
    // Another scan created it first: fine if it is ours.
    if (isOurs(dir)) return null;
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}

function isOurs(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, MARKER_FILE), 'utf8')) as { tool?: unknown; format?: unknown };
    return m.tool === 'rustscout' && m.format === CACHE_FORMAT;
  } catch {
    return false;
  }
}

/**
 * The bytes of a regular file no larger than `maxBytes`, or null. Symlinks, FIFOs, devices and
 * large files are left to analyseFile, which reports them (reading a FIFO here could block).
 */
async function readPlainFile(abs: string, maxBytes: number): Promise<Buffer | null> {
  let handle;
  try {
    const st = lstatSync(abs);
    if (!st.isFile() || st.size > maxBytes) return null;
    handle = await open(abs, 'r');
    const buf = await handle.readFile();
    return buf.length > maxBytes ? null : buf;
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** How a scan uses the cache: `false` or absent = no cache; `{}` = the default folder. */
export type ScanCacheOption = { dir?: string } | false | undefined;

/**
 * The cache for one scan, or null. `perFile` is everything that changes per-file results
 * (limits, weights): its hash is part of every key.
 */
export function openScanCache(root: string, option: ScanCacheOption, perFile: { limits: { maxBytes: number }; [k: string]: unknown }, warnings: Warning[]): ResultCache | null {
  if (!option) return null;
  return ResultCache.open(root, { dir: option.dir, config: configHash(perFile), maxBytes: perFile.limits.maxBytes }, warnings);
}
