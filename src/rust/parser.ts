/** One shared web-tree-sitter parser for Rust (the .wasm grammar from tree-sitter-rust); trees are always freed. */
import type { Parser, Tree } from 'web-tree-sitter';
import { ParseTimeoutError, type ParseLimits } from '../python/parser.js';
import { loadParser } from '../tree-sitter/load-parser.js';

let parserPromise: Promise<Parser> | null = null;

export function rustParser(): Promise<Parser> {
  parserPromise ??= loadParser('tree-sitter-rust/tree-sitter-rust.wasm');
  return parserPromise;
}

/**
 * Parses `source`, hands the tree to `use`, and always frees the tree. With `limits.maxParseMs`
 * the parse is cancelled by tree-sitter's progress callback once it runs longer (as for Python):
 * ParseTimeoutError, and the parser is reset and stays usable.
 */
export async function withRustTree<T>(source: string, use: (tree: Tree) => T, limits: ParseLimits = {}): Promise<T> {
  const parser = await rustParser();
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
