/**
 * Progress on stderr: a redrawn bar when stderr is a terminal; nothing in CI logs unless
 * --verbose, which prints a plain line every 10 % instead. stdout is never touched.
 */
export interface ProgressSink {
  write: (text: string) => void;
  isTTY: boolean;
  verbose: boolean;
  /** Terminal width for the bar (default 80). */
  columns?: number;
  now?: () => number;
}

export type ProgressCallback = (done: number, total: number) => void;

const REDRAW_MS = 80;

export function progressReporter(sink: ProgressSink): { onProgress?: ProgressCallback; done: () => void } {
  if (sink.isTTY) return ttyBar(sink);
  if (sink.verbose) return plainLines(sink);
  return { done: () => {} };
}

function ttyBar(sink: ProgressSink): { onProgress: ProgressCallback; done: () => void } {
  const now = sink.now ?? Date.now;
  let last = -Infinity;
  let drawn = false;
  const onProgress: ProgressCallback = (done, total) => {
    if (total <= 0) return;
    const t = now();
    if (done < total && t - last < REDRAW_MS) return;
    last = t;
    const label = ` ${done}/${total} files`;
    const width = Math.max(10, Math.min(40, (sink.columns ?? 80) - label.length - 12));
    const filled = Math.round((width * done) / total);
    sink.write(`\r\u001b[2Krustscout [${'█'.repeat(filled)}${'░'.repeat(width - filled)}]${label}`);
    drawn = true;
  };
  return {
    onProgress,
    done: () => {
      if (drawn) sink.write('\r\u001b[2K');
      drawn = false;
    },
  };
}

function plainLines(sink: ProgressSink): { onProgress: ProgressCallback; done: () => void } {
  let nextTenth = 1;
  const onProgress: ProgressCallback = (done, total) => {
    if (total <= 0) return;
    if (done === total || (done * 10) / total >= nextTenth) {
      nextTenth = Math.floor((done * 10) / total) + 1;
      sink.write(`rustscout: analysed ${done}/${total} files\n`);
    }
  };
  return { onProgress, done: () => {} };
}
