import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let parserPromise: Promise<Parser> | null = null;

async function createParser(): Promise<Parser> {
  await Parser.init();
  const wasm = require.resolve('tree-sitter-python/tree-sitter-python.wasm');
  const language = await Language.load(wasm);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** One shared tree-sitter Python parser per thread. */
export function pythonParser(): Promise<Parser> {
  parserPromise ??= createParser();
  return parserPromise;
}

/** Parses `source`, hands the tree to `use`, and always frees the tree. */
export async function withPythonTree<T>(source: string, use: (tree: Tree) => T): Promise<T> {
  const parser = await pythonParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}
