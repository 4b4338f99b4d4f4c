/** One shared web-tree-sitter parser for Rust (the .wasm grammar from tree-sitter-rust); trees are always freed. */
import type { Parser, Tree } from 'web-tree-sitter';
import { loadParser } from '../tree-sitter/load-parser.js';

let parserPromise: Promise<Parser> | null = null;

export function rustParser(): Promise<Parser> {
  parserPromise ??= loadParser('tree-sitter-rust/tree-sitter-rust.wasm');
  return parserPromise;
}

/** Parses `source`, hands the tree to `use`, and always frees the tree. */
export async function withRustTree<T>(source: string, use: (tree: Tree) => T): Promise<T> {
  const parser = await rustParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}
