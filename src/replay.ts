/**
 * Unchanged-scan replay. A scan with the cache stores the Report that scan() returned beside the
 * cache's pack (`<pack name>.report`), under a key covering everything scan() read to build it: the
 * pack (tool build, per-file options, root), the resolved root, discovery's result (files in
 * order, manifests, package folders, warnings), every file's content hash, the manifests as read
 * (their facts, including included requirements files, their texts and the warnings so far), the
 * git history as read (its data, not HEAD: ages move with the clock) and the weight overrides.
 *
 * The next scan decides "nothing changed" from the pack's stat check alone — no file is read, no
 * cached result parsed — and only then computes the key and reads the stored report. Any
 * difference (a changed, added or deleted file, a file whose stat cannot be trusted, a changed
 * manifest, other options, a corrupt stored report) runs the normal path, which writes a fresh
 * stored report when it completes. Runtime profiles and source excerpts are never replayed.
 *
 * The stored file is `<key, 64 hex digits>\n<compact JSON of the Report, ASCII only>`, written to a temporary
 * file and renamed into place. A stored report that does not parse is a `cache` warning and is
 * rebuilt; nothing here ever makes a scan fail.
 */
import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import type { GitHistory } from './link/git.js';
import type { Report, Warning } from './model.js';
import { TOOL_VERSION } from './version.js';

const KEY_CHARS = 64;
const FORMAT = 'rustscout-replay-1';

export interface ReplayInputs {
  reportFile: string;
  root: string;
  /** discover()'s whole result. */
  found: unknown;
  manifests: unknown;
  manifestTexts: Map<string, string>;
  /** Warnings pushed before the cache opened (discovery and manifests). */
  warningsBefore: readonly Warning[];
  contentHashes: readonly string[];
  history: GitHistory | null;
  gitWarnings: readonly Warning[];
  weights: unknown;
}

/** The key of a scan's inputs (see above). */
export function replayKey(inputs: ReplayInputs): string {
  const hash = createHash('sha256');
  const part = (text: string): void => {
    hash.update(String(text.length)).update(':').update(text);
  };
  part(FORMAT);
  part(TOOL_VERSION);
  part(inputs.reportFile);
  part(inputs.root);
  part(JSON.stringify(inputs.found));
  part(JSON.stringify(inputs.manifests));
  part(JSON.stringify([...inputs.manifestTexts]));
  part(JSON.stringify(inputs.warningsBefore));
  part(inputs.contentHashes.join(','));
  const h = inputs.history;
  part(h === null ? 'null' : JSON.stringify([h.shallow, h.commitsRead, h.warnings, [...h.files]]));
  part(JSON.stringify(inputs.gitWarnings));
  part(JSON.stringify(inputs.weights ?? null));
  return hash.digest('hex');
}

/**
 * The stored report when its key is `key`; null when there is none or it is for other inputs.
 * A stored report with the right key that cannot be read or parsed adds a `cache` warning to
 * `problems` (and null: the scan runs the normal path and rewrites it).
 */
export function readStoredReport(file: string, key: string, problems: Warning[]): Report | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return null; // none yet
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size <= KEY_CHARS + 1) return corrupt(file, problems);
    const head = Buffer.allocUnsafe(KEY_CHARS + 1);
    if (readSync(fd, head, 0, head.length, 0) !== head.length) return corrupt(file, problems);
    if (head[KEY_CHARS] !== 10) return corrupt(file, problems);
    if (head.toString('latin1', 0, KEY_CHARS) !== key) return null; // stored for other inputs: rebuilt silently
    const body = Buffer.allocUnsafe(st.size - KEY_CHARS - 1);
    let filled = 0;
    while (filled < body.length) {
      const n = readSync(fd, body, filled, body.length - filled, KEY_CHARS + 1 + filled);
      if (n === 0) return corrupt(file, problems);
      filled += n;
    }
    // stored as ASCII (see storedReportText): decoded as one-byte text, which JSON.parse reads fastest
    if (!isAscii(body)) return corrupt(file, problems);
    const report = JSON.parse(body.toString('latin1')) as Report;
    if (!report || typeof report !== 'object' || report.schemaVersion !== 1 || !Array.isArray(report.modules) || !Array.isArray(report.warnings)) return corrupt(file, problems);
    return report;
  } catch {
    return corrupt(file, problems);
  } finally {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}

function corrupt(file: string, problems: Warning[]): null {
  problems.push({ path: file, message: 'stored report of the unchanged-scan replay is corrupt; ignored and rebuilt', code: 'cache' });
  return null;
}

const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Compact JSON of a report, to store once the scan is known to have completed. Characters beyond
 * ASCII are written as JSON escapes (JSON.parse gives back the same strings), so the stored text
 * is read back as a one-byte string: cheaper to decode and to parse than UTF-8.
 */
export function storedReportText(key: string, report: Report): string {
  return `${key}\n${JSON.stringify(report).replace(/[\u0080-\uffff]/g, escapeChar)}`;
}

let storing: Promise<void> = Promise.resolve();

/**
 * Stores a report for the next scan (temporary file, then rename) in the background: the file is
 * written by the thread pool while the caller renders its own output (sympy: 22 MB, ~90 ms). Never
 * rejects; a failure leaves no replay. The process does not exit before the write has finished.
 */
export function storeReport(file: string, text: string): void {
  storing = storing.then(() => writeStoredReport(file, text));
}

/** Settles once every report stored so far is on disk (a scan waits for it before it reads one). */
export function reportsStored(): Promise<void> {
  return storing;
}

async function writeStoredReport(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    // the text is ASCII (storedReportText), so one byte per character: latin1 skips UTF-8 encoding
    await writeFile(tmp, text, { flag: 'wx', encoding: 'latin1' });
    await rename(tmp, file);
  } catch {
    await unlink(tmp).catch(() => undefined); // never created
    await unlink(file).catch(() => undefined); // an older report must not outlive the inputs it was stored for (its key would not match anyway)
  }
}
