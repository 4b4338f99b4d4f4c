/**
 * What a cursor needs of a language to read tree-sitter's trees straight out of WebAssembly memory,
 * read once per language from its `TSLanguage` struct (tree_sitter/parser.h, ABI 14/15, wasm32,
 * little-endian): the public symbol map, which symbols are named, the alias sequences and the
 * field of each child position per production. The layout is checked against the library's own
 * answers (symbol names, field names, counts, the root node); when anything disagrees
 * `languageTables` returns null and the caller falls back to the call-per-step cursor.
 */
import type { Language, Tree } from 'web-tree-sitter';

/** The Emscripten heap views the cursor reads (web-tree-sitter keeps them current on memory growth). */
export interface HeapViews {
  HEAPU8: Uint8Array;
  HEAPU16: Uint16Array;
  HEAP32: Int32Array;
}

const SYM_ERROR = 65535;
const SYM_ERROR_REPEAT = 65534;

/** What the cursor needs of a language, read once from its TSLanguage struct. */
export interface LanguageTables {
  /** internal symbol → public symbol (the type id the library reports). */
  publicSymbol: Uint16Array;
  /** symbol → 1 when its metadata says named. */
  namedSymbol: Uint8Array;
  maxAliasLength: number;
  /** alias_sequences[production * maxAliasLength + structuralIndex] (0: no alias). */
  aliases: Uint16Array;
  /** Non-inherited field id by [production * fieldStride + structuralIndex] (0: none). */
  fieldAt: Uint16Array;
  fieldStride: number;
  fields: (string | null)[];
  types: (string | null)[];
}

const TABLES = new WeakMap<object, LanguageTables | null>();

function cString(u8: Uint8Array, address: number): string {
  let end = address;
  while (u8[end] !== 0) end++;
  return Buffer.from(u8.buffer, u8.byteOffset + address, end - address).toString('utf8');
}

/** Reads the language's tables; null when the struct does not look like the layout this port knows. */
function readTables(heap: HeapViews, languageAddress: number, language: Language): LanguageTables | null {
  const u8 = heap.HEAPU8;
  const u16 = heap.HEAPU16;
  const i32 = heap.HEAP32;
  const w = languageAddress >> 2;
  const abi = i32[w];
  if (abi !== 14 && abi !== 15) return null;
  const symbolCount = i32[w + 1];
  const aliasCount = i32[w + 2];
  const productionCount = i32[w + 7];
  const fieldCount = i32[w + 8];
  const maxAliasLength = u16[(languageAddress + 36) >> 1];
  const symbolNames = i32[w + 14] >>> 0;
  const fieldNames = i32[w + 15] >>> 0;
  const fieldSlices = i32[w + 16] >>> 0;
  const fieldEntries = i32[w + 17] >>> 0;
  const metadata = i32[w + 18] >>> 0;
  const publicMap = i32[w + 19] >>> 0;
  const aliasSequences = i32[w + 21] >>> 0;
  const total = symbolCount + aliasCount;
  const types = language.types as (string | null)[];
  const fields = language.fields as (string | null)[];
  // the flat cursor's records keep a type id in 16 bits and a field id in 12
  if (total !== types.length || total > 65534 || fieldCount + 1 !== fields.length || fieldCount >= 4096 || maxAliasLength > 4096 || productionCount > 65536) return null;
  // The library's own names must match what the struct says, symbol by symbol and field by field.
  for (let s = 0; s < total; s++) {
    if (types[s] && cString(u8, i32[(symbolNames >> 2) + s] >>> 0) !== types[s]) return null;
  }
  for (let f = 1; f <= fieldCount; f++) if (cString(u8, i32[(fieldNames >> 2) + f] >>> 0) !== fields[f]) return null;
  const publicSymbol = new Uint16Array(65536);
  const namedSymbol = new Uint8Array(65536);
  for (let s = 0; s < total; s++) {
    publicSymbol[s] = u16[(publicMap >> 1) + s];
    namedSymbol[s] = u8[metadata + s * 3 + 1];
  }
  publicSymbol[SYM_ERROR] = SYM_ERROR;
  namedSymbol[SYM_ERROR] = 1;
  publicSymbol[SYM_ERROR_REPEAT] = SYM_ERROR_REPEAT;
  for (let s = 0; s < total; s++) {
    const pub = publicSymbol[s];
    if (pub >= total || (types[s] && types[pub] !== types[s])) return null;
  }
  const aliases = new Uint16Array(Math.max(1, productionCount * maxAliasLength));
  if (aliasSequences) for (let k = 0; k < productionCount * maxAliasLength; k++) aliases[k] = u16[(aliasSequences >> 1) + k];
  let fieldStride = maxAliasLength;
  if (fieldCount > 0) {
    for (let p = 0; p < productionCount; p++) {
      const index = u16[(fieldSlices >> 1) + p * 2];
      const length = u16[(fieldSlices >> 1) + p * 2 + 1];
      for (let e = index; e < index + length; e++) fieldStride = Math.max(fieldStride, u8[fieldEntries + e * 4 + 2] + 1);
    }
  }
  const fieldAt = new Uint16Array(Math.max(1, productionCount * fieldStride));
  if (fieldCount > 0) {
    for (let p = 0; p < productionCount; p++) {
      const index = u16[(fieldSlices >> 1) + p * 2];
      const length = u16[(fieldSlices >> 1) + p * 2 + 1];
      for (let e = index; e < index + length; e++) {
        const at = fieldEntries + e * 4;
        const fieldId = u16[at >> 1];
        if (fieldId > fieldCount) return null;
        const slot = p * fieldStride + u8[at + 2];
        if (u8[at + 3] === 0 && fieldAt[slot] === 0) fieldAt[slot] = fieldId;
      }
    }
  }
  return { publicSymbol, namedSymbol, maxAliasLength, aliases, fieldAt, fieldStride, fields, types };
}

/** The tree's language tables, or null when the layout check fails for its language. */
export function languageTables(tree: Tree, heap: HeapViews): LanguageTables | null {
  const language = tree.language;
  let tables = TABLES.get(language);
  if (tables === undefined) {
    const treeAddress = (tree as unknown as Record<0, number>)[0];
    const languageAddress = heap.HEAP32[(treeAddress + 8) >> 2] >>> 0;
    tables = languageAddress ? readTables(heap, languageAddress, language) : null;
    if (tables && tree.rootNode.id !== treeAddress) tables = null;
    TABLES.set(language, tables);
  }
  return tables;
}
