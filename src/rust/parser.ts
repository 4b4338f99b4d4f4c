/** One shared web-tree-sitter parser for Rust (the .wasm grammar from tree-sitter-rust); trees are always freed. */
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { initTreeSitter } from '../tree-sitter/fast-cursor.js';

const require = createRequire(import.meta.url);
let parserPromise: Promise<Parser> | null = null;

async function createParser(): Promise<Parser> {
  await initTreeSitter();
  const language = await Language.load(require.resolve('tree-sitter-rust/tree-sitter-rust.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

export function rustParser(): Promise<Parser> {
  parserPromise ??= createParser();
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
