/**
 * Shrinks FileResults as they arrive in the main thread, before the whole repository's results
 * accumulate there. Every result crossing from a worker (or read from the cache) carries its own
 * copy of every string and object; most function boundaries are the same few shapes
 * (`(x) -> no hints; clean boundary`), and detector and signal names repeat endlessly. Equal
 * boundaries become one shared object and repeated short strings one string, so the data — and the
 * report serialised from it — are unchanged. Boundaries are read-only after the per-file stage.
 */
import type { FileResult } from '../analyse-file.js';
import type { Evidence, FunctionBoundary } from '../model.js';

export class ResultCompactor {
  private readonly boundaries = new Map<string, FunctionBoundary>();
  private readonly strings = new Map<string, string>();

  private intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  private evidence(list: Evidence[]): void {
    for (const e of list) {
      e.detector = this.intern(e.detector);
      e.signal = this.intern(e.signal);
    }
  }

  compact(result: FileResult): FileResult {
    const p = result.python;
    if (!p) return result;
    this.evidence(p.evidence);
    for (const fn of p.functions) {
      const key = JSON.stringify(fn.boundary);
      const shared = this.boundaries.get(key);
      if (shared) fn.boundary = shared;
      else this.boundaries.set(key, fn.boundary);
    }
    return result;
  }
}
