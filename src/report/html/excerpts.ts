/**
 * Quotes the source lines behind a module's evidence, for the HTML report. Called by the pipeline
 * (not by the renderer, which never reads files) only when the report will be HTML. The quoted text
 * is untrusted: the renderer embeds it as JSON and displays it with textContent.
 */
import { join } from 'node:path';
import type { CodeExcerpt, ModuleReport } from '../../model.js';
import { readSource } from '../../read-source.js';

/** Lines of context either side of an evidence line. */
const CONTEXT = 1;
/** At most this many evidence lines are quoted per module (strongest reasons first). */
const MAX_ANCHORS = 10;
const MAX_LINE_CHARS = 240;
const CONCURRENCY = 16;

export function excerptLines(module: ModuleReport): number[] {
  const anchors = [...new Set(module.reasons.map((r) => r.line).filter((l) => l > 0))].slice(0, MAX_ANCHORS);
  const wanted = new Set<number>();
  for (const a of anchors) for (let l = a - CONTEXT; l <= a + CONTEXT; l++) if (l > 0) wanted.add(l);
  return [...wanted].sort((a, b) => a - b);
}

export function quote(text: string, lines: number[]): CodeExcerpt[] {
  const all = text.split(/\r\n|\r|\n/);
  return lines.filter((l) => l <= all.length).map((line) => {
    const t = all[line - 1].replace(/\t/g, '    ');
    return { line, text: t.length > MAX_LINE_CHARS ? `${t.slice(0, MAX_LINE_CHARS - 1)}…` : t };
  });
}

export async function attachExcerpts(root: string, modules: ModuleReport[]): Promise<void> {
  const todo = modules.filter((m) => m.reasons.length > 0);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const m = todo[next++];
      const lines = excerptLines(m);
      if (!lines.length) continue;
      const src = await readSource(join(root, m.path), undefined, { root });
      if ('error' in src) continue;
      const quoted = quote(src.text, lines);
      if (quoted.some((q) => q.text.trim())) m.excerpts = quoted;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
}
