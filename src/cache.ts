/**
 * The per-file result cache. Each file's FileResult (plain profiles, never trees or source text)
 * is stored under a key made of the file's content hash, its path and language, the tool build
 * and a hash of the options that change per-file results. A re-scan therefore re-analyses
 * exactly the files whose content (or the tool, or those options) changed.
 *
 * Layout (format 3): one *pack* file per scanned root, tool build and options,
 * `v3/<root hash>-<build+options hash>.pack`, so a warm scan opens one file instead of one per
 * source file. Line 1 is a header naming tool, format, build, options and root; every other line
 * is one entry, `<key JSON>\t<result JSON>`, the key being
 * `[path, language, contentHash, size, mtimeMs, ctimeMs, ino, hashedAt]`, except the last: the
 * *index*, `\t<JSON [key, offset, length] per entry>\t<its own offset, 16 digits>`, written when
 * the pack is complete. Opening a pack reads only the keys — from the index (its last bytes say
 * where it starts), or, when the index is missing or does not check out, by scanning every line
 * — never the results (their bytes are read, parsed and checked when their file is looked up), so
 * memory stays bounded whatever the size of the pack.
 *
 * A file whose size, mtime, ctime and inode still equal those recorded, and whose mtime lay
 * safely before the moment its bytes were hashed (git's "racy" rule), keeps its recorded content
 * hash without being read again; any other file is read and hashed. A scan that changes nothing
 * (no miss, no moved stat, no entry left over) leaves the pack untouched; otherwise it writes a
 * complete new pack beside the old one and renames it into place, so readers — even a concurrent
 * scan — only ever see whole packs.
 *
 * The cache is never trusted: the header must match, every result repeats its path and is
 * checked on load, a corrupt entry or pack is ignored with a warning and rebuilt, and a folder
 * that is not a rustscout cache is left alone with a warning (the scan then runs without a
 * cache). Nothing here ever makes a scan fail.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { FileResult } from './analyse-file.js';
import type { Warning, WarningCode } from './model.js';
import { analyserBuild, TOOL_VERSION } from './version.js';

/** Bump when the folder layout, the pack layout or the meaning of a key changes. */
export const CACHE_FORMAT = 3;
const MARKER_FILE = 'rustscout-cache.json';
const PACK_FOLDER = `v${CACHE_FORMAT}`;
const CACHE_WARNING: WarningCode = 'cache';
/** A file modified less than this before its bytes were hashed is re-hashed next time (coarse filesystem clocks). */
const RACY_MS = 2000;
/** Packs of the same root for another build or other options are deleted once unused this long. */
const OLD_PACK_MS = 7 * 24 * 3600 * 1000;
const READ_CHUNK = 1 << 22;
/** The index line's last bytes: a tab, its offset in 16 digits, a newline. */
const FOOTER_TAIL = 18;
/** An index line longer than this is not one (a corrupt pack): the pack is scanned instead. */
const MAX_FOOTER_BYTES = 1 << 28;
/** A key longer than this is not a key (a corrupt line). */
const MAX_KEY_BYTES = 1 << 16;
/** Lookups count as walking forward through the pack while each entry starts at most this far past the previous one's end (a newline, a key and a tab). */
const READ_AHEAD_GAP = MAX_KEY_BYTES + 2;

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

/**
 * Results that depend on more than the file's bytes and the options (the clock, the filesystem
 * around the file, an internal error) are never stored.
 */
const UNCACHEABLE: ReadonlySet<string> = new Set(['parse-timeout', 'analysis-failed', 'unreadable', 'not-a-file', 'outside-root', 'symlink']);

export function cacheable(result: FileResult): boolean {
  return !result.warnings.some((w) => w.code !== undefined && UNCACHEABLE.has(w.code));
}

export type Lookup =
  | { kind: 'hit'; result: FileResult }
  /** Not in the cache: analyse, then hand the result to `store(key, …)`. */
  | { kind: 'miss'; key: string }
  /** Not a plain file within the size limit: analyse without the cache. */
  | { kind: 'bypass' };

export interface ResultCacheOptions extends CacheLocation {
  /** Hash of the per-file options (configHash()). */
  config: string;
  /** Files larger than this are not hashed (analyseFile skips them anyway). */
  maxBytes: number;
  /** Tool version in the key (default: package.json's plus a hash of the compiled analyser). */
  version?: string;
}

/** One stored entry, as indexed when a pack is opened. */
interface PackEntry {
  language: string;
  contentHash: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  hashedAt: number;
  /** Byte range of the result JSON in the pack. */
  offset: number;
  length: number;
  keyText: string;
}

/**
 * Whether a stored entry still stands for the file without reading it: same language, size, mtime,
 * ctime and inode, and its mtime lay more than RACY_MS before it was hashed (git's "racy" rule).
 */
function statTrusted(known: PackEntry, language: string, st: Stats): boolean {
  return known.language === language && known.size === st.size && known.mtimeMs === st.mtimeMs && known.ctimeMs === st.ctimeMs
    && known.ino === st.ino && st.mtimeMs + RACY_MS < known.hashedAt;
}

type KeyTuple = [string, string, string, number, number, number, number, number];

function keyTuple(text: string): KeyTuple | null {
  let k: unknown;
  try {
    k = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(k) || k.length !== 8) return null;
  if (typeof k[0] !== 'string' || typeof k[1] !== 'string' || typeof k[2] !== 'string' || !/^[0-9a-f]{64}$/.test(k[2])) return null;
  for (let i = 3; i < 8; i++) if (typeof k[i] !== 'number' || !Number.isFinite(k[i])) return null;
  return k as KeyTuple;
}

interface PackHeader {
  tool: 'rustscout';
  format: number;
  version: string;
  config: string;
  root: string;
}

export class ResultCache {
  private readonly index = new Map<string, PackEntry>();
  /** The pack being read (open for the whole scan, so a concurrent rename cannot change it under us). */
  private oldFd: number | null = null;
  /** Entries reused unchanged while nothing forced a rewrite: copied over if one is forced later. */
  private kept: PackEntry[] = [];
  /** The new pack, once something changed. */
  private newFd: number | null = null;
  private newFile = '';
  private writeFailed = false;
  private closed = false;
  /** Read-ahead of the old pack (storedBytes): bytes aheadStart..aheadEnd of it. */
  private ahead: Buffer | null = null;
  private aheadStart = 0;
  private aheadEnd = 0;
  /** End of the entry storedBytes returned last. */
  private lastEnd = 0;
  /** Bytes written to the new pack so far, and its entries (for its index). */
  private written = 0;
  private newEntries: [string, number, number][] = [];
  private readonly header: PackHeader;
  /** Content hash of every file looked up this scan whose result is (or now will be) in the pack, by path. */
  private readonly scanHashes = new Map<string, string>();
  /** Misses waiting for their result: key text → [path, content hash]. */
  private readonly pendingHashes = new Map<string, [string, string]>();

  private constructor(
    readonly dir: string,
    private readonly packFile: string,
    private readonly rootHash: string,
    root: string,
    config: string,
    version: string,
    private readonly maxBytes: number,
    private readonly warnings: Warning[],
  ) {
    this.header = { tool: 'rustscout', format: CACHE_FORMAT, version, config, root };
  }

  /**
   * Opens (creating when absent) the cache folder for `root` and indexes its pack. Returns null,
   * with a warning in `warnings`, when the folder exists but is not a rustscout cache, or when an
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
      const format = markerFormat(dir);
      if (format !== CACHE_FORMAT && !(format !== null && format < CACHE_FORMAT && upgrade(dir, format))) {
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
    try {
      mkdirSync(join(dir, PACK_FOLDER), { recursive: true });
    } catch (err) {
      if (options.dir) warnings.push({ path: shown, message: `cannot write to the cache folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); scanning without the cache`, code: CACHE_WARNING });
      return null;
    }
    const version = options.version ?? `${TOOL_VERSION}+${analyserBuild()}`;
    const rootHash = sha256(root).slice(0, 16);
    const packFile = join(dir, PACK_FOLDER, `${rootHash}-${sha256(`${version}\0${options.config}`).slice(0, 16)}.pack`);
    const cache = new ResultCache(dir, packFile, rootHash, root, options.config, version, options.maxBytes, warnings);
    cache.readIndex();
    return cache;
  }

  /** Reads the pack's header and keys (never its results). A bad pack is a warning and an empty index. */
  private readIndex(): void {
    let fd: number;
    try {
      fd = openSync(this.packFile, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return; // no pack yet: a cold scan
    }
    this.oldFd = fd;
    let corrupt = 0;
    try {
      if (!fstatSync(fd).isFile()) throw new Error('not a file');
      const head = Buffer.allocUnsafe(MAX_KEY_BYTES);
      const n = readSync(fd, head, 0, head.length, 0);
      const nl = head.subarray(0, n).indexOf(10);
      const header = nl < 0 ? null : parseHeader(head.subarray(0, nl).toString('utf8'));
      if (!header || header.version !== this.header.version || header.config !== this.header.config || header.root !== this.header.root) {
        this.warnings.push({ path: this.packFile, message: 'cache file is corrupt or does not match; ignored and rebuilt', code: CACHE_WARNING });
        this.forget();
        return;
      }
      if (!this.readFooter(fd, nl + 1)) corrupt = this.indexLines(fd, nl + 1);
    } catch {
      this.warnings.push({ path: this.packFile, message: 'cache file is unreadable; ignored and rebuilt', code: CACHE_WARNING });
      this.forget();
      return;
    }
    if (corrupt) {
      this.warnings.push({ path: this.packFile, message: `${corrupt} corrupt cache entr${corrupt === 1 ? 'y' : 'ies'} ignored and rebuilt`, code: CACHE_WARNING });
      this.markDirty();
    }
  }

  private forget(): void {
    this.index.clear();
    if (this.oldFd !== null) closeSync(this.oldFd);
    this.oldFd = null;
    this.markDirty();
  }

  /**
   * Indexes the pack from its index line (see the layout above). False, with nothing indexed, when
   * there is none or anything in it does not check out: then every line is scanned instead.
   */
  private readFooter(fd: number, entriesStart: number): boolean {
    const size = fstatSync(fd).size;
    if (size < entriesStart + FOOTER_TAIL) return false;
    const tail = Buffer.allocUnsafe(FOOTER_TAIL);
    if (readSync(fd, tail, 0, FOOTER_TAIL, size - FOOTER_TAIL) !== FOOTER_TAIL) return false;
    const digits = tail.toString('latin1', 1, FOOTER_TAIL - 1);
    if (tail[0] !== 9 || tail[FOOTER_TAIL - 1] !== 10 || !/^[0-9]{16}$/.test(digits)) return false;
    const at = Number(digits);
    // the index line starts right after the last entry's newline, with a tab
    if (at < entriesStart || at > size - FOOTER_TAIL - 1 || size - at > MAX_FOOTER_BYTES) return false;
    const text = Buffer.allocUnsafe(size - FOOTER_TAIL - at);
    if (readSync(fd, text, 0, text.length, at) !== text.length || text[0] !== 9) return false;
    if (at > entriesStart) {
      const before = Buffer.allocUnsafe(1);
      if (readSync(fd, before, 0, 1, at - 1) !== 1 || before[0] !== 10) return false;
    }
    let list: unknown;
    try {
      list = JSON.parse(text.toString('utf8', 1));
    } catch {
      return false;
    }
    if (!Array.isArray(list)) return false;
    let end = entriesStart; // entries lie in order, one line each, between the header and the index
    for (const item of list) {
      if (!Array.isArray(item) || item.length !== 3) return this.dropIndex();
      const [keyText, offset, length] = item as unknown[];
      if (typeof keyText !== 'string' || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length)) return this.dropIndex();
      const from = offset as number;
      const to = from + (length as number);
      if (from <= end || to >= at || !this.addEntry(keyText, from, length as number)) return this.dropIndex();
      end = to + 1;
    }
    if (end !== at) return this.dropIndex();
    return true;
  }

  private dropIndex(): false {
    this.index.clear();
    return false;
  }

  /** Indexes every `<key>\t<result>\n` line from `start`; returns how many lines were corrupt. */
  private indexLines(fd: number, start: number): number {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    let corrupt = 0;
    let pos = start; // file offset of buf[0]
    let lineStart = start;
    let keyParts: Buffer[] = [];
    let keyBytes = 0;
    let tabAt = -1; // file offset of the tab of the current line, once seen
    let skipping = false; // inside a line already known to be corrupt
    const endLine = (end: number): void => {
      if (skipping) corrupt++;
      else if (tabAt < 0) corrupt++;
      else if (!this.addEntry(Buffer.concat(keyParts).toString('utf8'), tabAt + 1, end - tabAt - 1)) corrupt++;
      keyParts = [];
      keyBytes = 0;
      tabAt = -1;
      skipping = false;
      lineStart = end + 1;
    };
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      const view = buf.subarray(0, n);
      let i = 0;
      while (i < n) {
        if (tabAt < 0 && !skipping) {
          const tab = view.indexOf(9, i);
          const nl = view.indexOf(10, i);
          if (nl >= 0 && (tab < 0 || nl < tab)) {
            endLine(pos + nl);
            i = nl + 1;
            continue;
          }
          const stop = tab >= 0 ? tab : n;
          keyBytes += stop - i;
          if (keyBytes > MAX_KEY_BYTES) {
            skipping = true;
            keyParts = [];
          } else keyParts.push(Buffer.from(view.subarray(i, stop)));
          if (tab >= 0 && !skipping) tabAt = pos + tab;
          i = stop + 1;
          continue;
        }
        const nl = view.indexOf(10, i);
        if (nl < 0) break;
        endLine(pos + nl);
        i = nl + 1;
      }
      pos += n;
    }
    if (lineStart < pos) corrupt++; // a truncated last line
    return corrupt;
  }

  private addEntry(keyText: string, offset: number, length: number): boolean {
    const k = keyTuple(keyText);
    if (!k || length <= 0) return false;
    const [path, language, contentHash, size, mtimeMs, ctimeMs, ino, hashedAt] = k;
    if (this.index.has(path)) return false;
    this.index.set(path, { language, contentHash, size, mtimeMs, ctimeMs, ino, hashedAt, offset, length, keyText });
    return true;
  }

  /** Hashes the file's bytes (unless its stat proves them unchanged) and looks its result up. Never throws. */
  lookup(root: string, path: string, language: string): Lookup {
    if (this.closed) return { kind: 'bypass' };
    const abs = join(root, path);
    let st: Stats;
    try {
      st = lstatSync(abs);
    } catch {
      return { kind: 'bypass' };
    }
    if (!st.isFile() || st.size > this.maxBytes) return { kind: 'bypass' };
    const known = this.index.get(path);
    if (known) this.index.delete(path); // each entry is used at most once; what is left at the end is stale
    const unchanged = known !== undefined && statTrusted(known, language, st);
    let contentHash: string;
    let keyText: string;
    if (unchanged) {
      contentHash = known.contentHash;
      keyText = known.keyText;
    } else {
      const hashedAt = Date.now();
      const bytes = readPlainFile(abs, this.maxBytes);
      if (!bytes) return { kind: 'bypass' };
      contentHash = sha256(bytes);
      keyText = JSON.stringify([path, language, contentHash, st.size, st.mtimeMs, st.ctimeMs, st.ino, hashedAt]);
    }
    if (!known || known.language !== language || known.contentHash !== contentHash) {
      this.markDirty();
      this.pendingHashes.set(keyText, [path, contentHash]);
      return { kind: 'miss', key: keyText };
    }
    const result = this.readResult(known, path);
    if (!result) {
      this.warnings.push({ path, message: `cache entry in ${this.packFile} is corrupt or does not match; ignored and rebuilt`, code: CACHE_WARNING });
      this.markDirty();
      this.pendingHashes.set(keyText, [path, contentHash]);
      return { kind: 'miss', key: keyText };
    }
    this.scanHashes.set(path, contentHash);
    if (keyText === known.keyText) this.keep(known);
    else {
      this.markDirty(); // same bytes, new stat: record it so the next scan need not hash them
      this.copyEntry(keyText, known);
    }
    return { kind: 'hit', result };
  }

  /**
   * The result bytes of an entry of the old pack; null on a short read (throws on a read error).
   * A warm scan looks entries up in the order they were written, so the pack is read ahead in
   * chunks while lookups walk forward through it (one read per few MB instead of one per file);
   * anything else is read exactly. The bytes returned may be a view of the read-ahead buffer:
   * callers use them before the next read.
   */
  private storedBytes(entry: PackEntry): Buffer | null {
    if (this.oldFd === null) return null;
    const end = entry.offset + entry.length;
    const forward = entry.offset >= this.lastEnd && entry.offset - this.lastEnd <= READ_AHEAD_GAP;
    this.lastEnd = end;
    if (this.ahead !== null && entry.offset >= this.aheadStart && end <= this.aheadEnd) {
      return this.ahead.subarray(entry.offset - this.aheadStart, end - this.aheadStart);
    }
    if (forward && entry.length <= READ_CHUNK >> 1) {
      this.ahead ??= Buffer.allocUnsafe(READ_CHUNK);
      this.aheadStart = entry.offset;
      this.aheadEnd = entry.offset + readSync(this.oldFd, this.ahead, 0, READ_CHUNK, entry.offset);
      if (end <= this.aheadEnd) return this.ahead.subarray(0, entry.length);
    }
    const buf = Buffer.allocUnsafe(entry.length);
    return readSync(this.oldFd, buf, 0, entry.length, entry.offset) === entry.length ? buf : null;
  }

  private readResult(entry: PackEntry, path: string): FileResult | null {
    let bytes: Buffer | null;
    try {
      bytes = this.storedBytes(entry);
    } catch {
      return null;
    }
    return bytes && validResult(bytes.toString('utf8'), path);
  }

  /** Stores the result JSON (JSON.stringify of a cacheable FileResult) of a miss under its key. */
  store(key: string, resultJson: string): void {
    if (this.closed) return;
    const pending = this.pendingHashes.get(key);
    if (pending) {
      this.pendingHashes.delete(key);
      this.scanHashes.set(pending[0], pending[1]);
    }
    this.markDirty();
    const start = this.written;
    const n = this.append(`${key}\t${resultJson}\n`);
    if (n > 0) {
      const keyBytes = Buffer.byteLength(key);
      this.newEntries.push([key, start + keyBytes + 1, n - keyBytes - 2]);
    }
  }

  /** Where the stored report of the unchanged-scan replay (src/replay.ts) lives: beside the pack, named after it. */
  get reportFile(): string {
    return this.packFile.replace(/\.pack$/, '.report');
  }

  /**
   * The content hash of every file, in order, when each one is in the pack and its stat proves its
   * bytes unchanged (the same check as lookup's, without reading the file or its result and
   * without using the entry up); null as soon as one is not.
   */
  unchangedHashes(root: string, files: readonly { path: string; language: string }[]): string[] | null {
    if (this.closed) return null;
    const out: string[] = new Array(files.length);
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      const known = this.index.get(f.path);
      if (!known) return null;
      let st: Stats;
      try {
        st = lstatSync(join(root, f.path));
      } catch {
        return null;
      }
      if (!st.isFile() || st.size > this.maxBytes || !statTrusted(known, f.language, st)) return null;
      out[i] = known.contentHash;
    }
    return out;
  }

  /** The content hash of every file as this scan looked it up and stored its result, in order; null when one was not (bypassed, uncacheable). */
  scanContentHashes(files: readonly { path: string }[]): string[] | null {
    const out: string[] = new Array(files.length);
    for (let i = 0; i < files.length; i++) {
      const h = this.scanHashes.get(files[i].path);
      if (h === undefined) return null;
      out[i] = h;
    }
    return out;
  }

  /** Keeps an unchanged entry: remembered while the old pack stays, copied once a new one is written. */
  private keep(entry: PackEntry): void {
    if (this.newFd === null) this.kept.push(entry);
    else this.copyEntry(entry.keyText, entry);
  }

  private copyEntry(keyText: string, entry: PackEntry): void {
    if (this.newFd === null) return;
    try {
      const buf = this.storedBytes(entry);
      if (!buf) return;
      const offset = this.written + this.append(`${keyText}\t`);
      this.appendBytes(buf);
      this.append('\n');
      this.newEntries.push([keyText, offset, buf.length]);
    } catch {
      this.abandonWrite();
    }
  }

  /** From now on a new pack is written: starts it with the header and the entries kept so far. */
  private markDirty(): void {
    if (this.newFd !== null || this.writeFailed || this.closed) return;
    this.newFile = `${this.packFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      this.newFd = openSync(this.newFile, 'wx');
    } catch {
      this.writeFailed = true;
      return;
    }
    this.append(`${JSON.stringify(this.header)}\n`);
    const kept = this.kept;
    this.kept = [];
    for (const e of kept) this.copyEntry(e.keyText, e);
  }

  /** Appends to the new pack; returns the bytes written (0 once writing failed). */
  private append(text: string): number {
    if (this.newFd === null) return 0;
    try {
      const n = writeSync(this.newFd, text);
      this.written += n;
      return n;
    } catch {
      this.abandonWrite();
      return 0;
    }
  }

  private appendBytes(buf: Buffer): void {
    if (this.newFd === null) return;
    try {
      let done = 0;
      while (done < buf.length) done += writeSync(this.newFd, buf, done, buf.length - done);
      this.written += done;
    } catch {
      this.abandonWrite();
    }
  }

  private abandonWrite(): void {
    this.writeFailed = true;
    if (this.newFd !== null) {
      try {
        closeSync(this.newFd);
      } catch {
        /* already closed */
      }
      this.newFd = null;
      try {
        unlinkSync(this.newFile);
      } catch {
        /* never created */
      }
    }
  }

  /**
   * Ends the scan's use of the cache: when anything changed (a miss, a moved stat, a corrupt or
   * stale entry) the new pack replaces the old one; otherwise the old pack stays as it is.
   * With `commit` false (the scan failed) nothing is replaced. Never throws.
   */
  close(commit = true): void {
    if (this.closed) return;
    if (commit && this.index.size) this.markDirty(); // entries of files that are gone or were not looked up
    this.closed = true;
    if (commit) this.appendIndex();
    if (this.newFd !== null) {
      const fd = this.newFd;
      this.newFd = null;
      try {
        closeSync(fd);
        if (commit) {
          renameSync(this.newFile, this.packFile);
          this.pruneOldPacks();
        } else unlinkSync(this.newFile);
      } catch {
        try {
          unlinkSync(this.newFile);
        } catch {
          /* renamed or never created */
        }
      }
    }
    if (this.oldFd !== null) {
      try {
        closeSync(this.oldFd);
      } catch {
        /* already closed */
      }
      this.oldFd = null;
    }
    this.index.clear();
    this.kept = [];
    this.ahead = null;
    this.newEntries = [];
  }

  /** Ends the new pack with its index line: `\t<entries JSON>\t<offset of the line, 16 digits>\n`. */
  private appendIndex(): void {
    if (this.newFd === null) return;
    const at = this.written;
    this.append(`\t${JSON.stringify(this.newEntries)}\t${String(at).padStart(16, '0')}\n`);
  }

  /** Deletes this root's packs for other builds or options once unused for a week, and leftover temp files. */
  private pruneOldPacks(): void {
    const folder = join(this.dir, PACK_FOLDER);
    const now = Date.now();
    try {
      for (const name of readdirSync(folder)) {
        const file = join(folder, name);
        if (file === this.packFile || file === this.reportFile) continue;
        const ours = name.startsWith(`${this.rootHash}-`) && (name.endsWith('.pack') || name.endsWith('.report') || name.endsWith('.tmp'));
        const tmp = name.endsWith('.tmp');
        if (!ours && !tmp) continue;
        try {
          const age = now - statSync(file).mtimeMs;
          if (age > (tmp ? 24 * 3600 * 1000 : OLD_PACK_MS)) unlinkSync(file);
        } catch {
          /* gone already */
        }
      }
    } catch {
      /* unreadable folder: nothing to prune */
    }
  }
}

function parseHeader(text: string): PackHeader | null {
  try {
    const h = JSON.parse(text) as Partial<PackHeader>;
    if (!h || typeof h !== 'object' || h.tool !== 'rustscout' || h.format !== CACHE_FORMAT) return null;
    if (typeof h.version !== 'string' || typeof h.config !== 'string' || typeof h.root !== 'string') return null;
    return h as PackHeader;
  } catch {
    return null;
  }
}

/** The stored result if it parses and has the shape of this path's FileResult. */
function validResult(text: string, path: string): FileResult | null {
  let r: FileResult;
  try {
    r = JSON.parse(text) as FileResult;
  } catch {
    return null;
  }
  if (!r || typeof r !== 'object' || r.path !== path || !Array.isArray(r.warnings)) return null;
  if (r.python !== undefined && (typeof r.python !== 'object' || r.python === null || r.python.path !== path || !Array.isArray(r.python.functions))) return null;
  return r;
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
    writeFileSync(join(tmp, MARKER_FILE), markerText());
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
    if (markerFormat(dir) === CACHE_FORMAT) return null;
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}

const markerText = (): string => JSON.stringify({ tool: 'rustscout', format: CACHE_FORMAT }) + '\n';

/** The format of a rustscout cache folder, or null when the folder is not one. */
function markerFormat(dir: string): number | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, MARKER_FILE), 'utf8')) as { tool?: unknown; format?: unknown };
    return m.tool === 'rustscout' && typeof m.format === 'number' && Number.isInteger(m.format) && m.format > 0 ? m.format : null;
  } catch {
    return null;
  }
}

/** An older rustscout cache folder: its entries are dropped and the marker moves to this format. */
function upgrade(dir: string, format: number): boolean {
  try {
    rmSync(join(dir, `v${format}`), { recursive: true, force: true });
    const tmp = join(dir, `${MARKER_FILE}.${process.pid}.tmp`);
    writeFileSync(tmp, markerText());
    renameSync(tmp, join(dir, MARKER_FILE));
    return true;
  } catch {
    return markerFormat(dir) === CACHE_FORMAT;
  }
}

/**
 * The bytes of a regular file no larger than `maxBytes`, or null. Opened without blocking and
 * checked with fstat, so a file swapped for a FIFO or device after lstat is never read.
 */
function readPlainFile(abs: string, maxBytes: number): Buffer | null {
  let fd: number | null = null;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) return null;
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const n = readSync(fd, buf, filled, buf.length - filled, null);
      if (n === 0) break;
      filled += n;
      if (filled === buf.length) return null; // grew past its size (or the limit) while being read
    }
    return buf.subarray(0, filled);
  } catch {
    return null;
  } finally {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    }
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
