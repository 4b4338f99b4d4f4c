/** Parse with an optional time budget, hand the tree over, always free it (every grammar the same way). */
import type { Parser, Tree } from 'web-tree-sitter';

export interface ParseLimits {
  /** Give up parsing after this many milliseconds (checked by tree-sitter's progress callback). */
  maxParseMs?: number;
}

/** Thrown when a parse exceeds `maxParseMs`; the parser is reset and stays usable. */
export class ParseTimeoutError extends Error {
  constructor(readonly limitMs: number) {
    super(`parsing took longer than the ${limitMs} ms limit`);
  }
}

/** Parses `source` with `parser`, hands the tree to `use`, and always frees the tree. */
export function withTree<T>(parser: Parser, source: string, use: (tree: Tree) => T, limits: ParseLimits = {}): T {
  const limit = limits.maxParseMs;
  let tree: Tree | null;
  if (limit !== undefined && Number.isFinite(limit)) {
    const deadline = performance.now() + limit;
    // tree-sitter cancels the parse when the progress callback returns true (the .d.ts types it as void).
    const progressCallback = ((): boolean => performance.now() > deadline) as unknown as () => void;
    tree = parser.parse(source, null, { progressCallback });
    if (!tree) {
      parser.reset();
      throw new ParseTimeoutError(limit);
    }
  } else tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}
