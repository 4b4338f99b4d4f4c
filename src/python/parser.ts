import type { Parser, Tree } from 'web-tree-sitter';
import { loadParser } from '../tree-sitter/load-parser.js';
import { withTree, type ParseLimits } from '../tree-sitter/with-tree.js';

export { ParseTimeoutError, type ParseLimits } from '../tree-sitter/with-tree.js';

let parserPromise: Promise<Parser> | null = null;

/** One shared tree-sitter Python parser per thread. */
export function pythonParser(): Promise<Parser> {
  parserPromise ??= loadParser('tree-sitter-python/tree-sitter-python.wasm');
  return parserPromise;
}

/** Parses `source`, hands the tree to `use`, and always frees the tree. */
export async function withPythonTree<T>(source: string, use: (tree: Tree) => T, limits: ParseLimits = {}): Promise<T> {
  return withTree(await pythonParser(), source, use, limits);
}
