/**
 * The TypeScript compiler API that ts-morph bundles (syntax only: createSourceFile, the node
 * guards, SyntaxKind). Loaded with require: importing ts-morph, a CommonJS package, as an ES
 * module makes Node lex its 1 MB file for named exports first (≈ 0.1 s of every scan that reads a
 * .js or .ts file). Types come from `import type { ts as TS } from 'ts-morph'`, which emits nothing.
 */
import { createRequire } from 'node:module';
import type { ts as TS } from 'ts-morph';

export const ts: typeof TS = (createRequire(import.meta.url)('ts-morph') as { ts: typeof TS }).ts;
