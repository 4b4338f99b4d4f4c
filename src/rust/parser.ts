/** One shared web-tree-sitter parser for Rust (the .wasm grammar from tree-sitter-rust); trees are always freed. */
import type { Parser, Tree } from 'web-tree-sitter';
import { loadParser } from '../tree-sitter/load-parser.js';
import { withTree, type ParseLimits } from '../tree-sitter/with-tree.js';

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
  return withTree(await rustParser(), source, use, limits);
}
