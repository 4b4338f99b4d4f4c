/** Loads a web-tree-sitter parser for a .wasm grammar shipped in an npm package (one per thread and grammar). */
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';
import { initTreeSitter } from './fast-cursor.js';

const require = createRequire(import.meta.url);

export async function loadParser(wasmSpecifier: string): Promise<Parser> {
  await initTreeSitter();
  const language = await Language.load(require.resolve(wasmSpecifier));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
