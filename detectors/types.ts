import type { Evidence } from '../src/model.js';
import type { PyFileFacts } from '../src/python/facts.js';

/** What a detector's documentation says; `explain` and the README's detector list read it. */
export interface DetectorDocs {
  /** What it sees. */
  what: string;
  /** Why that makes code cheap or costly in CPython versus Rust. */
  why: string;
  /** A short Python example that triggers it. */
  example: string;
}

/** A detector is a pure function of one parsed Python file's facts. */
export interface CodeDetector {
  id: string;
  docs: DetectorDocs;
  detect(file: PyFileFacts): Evidence[];
}

export type { Evidence, PyFileFacts };
