import type { FunctionFacts, LoopFact } from '../src/python/facts.js';
import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { Bindings, fileIndex, type FileIndex, fnName, outermostLoopAt } from './util.js';

const ID = 'byte-scanning';

/** Annotations that say "a buffer of bytes or characters". */
const TEXT_ANNOTATION = /^(bytes|bytearray|memoryview|str|typing\.ByteString|ByteString|Buffer|collections\.abc\.Buffer|array\.array)$/;
/** Callees whose result is a byte or character buffer. */
const BUFFER_MAKER = /^(bytes|bytearray|memoryview|str|array\.array|io\.BytesIO|io\.StringIO)$|\.(encode|decode|read|read_bytes|read_text|recv|tobytes|getvalue|readline)$/;
/** Growable buffers built up piece by piece. */
const GROWABLE = /^(bytearray|array\.array|io\.BytesIO|io\.StringIO)$/;
const GROW_METHOD = new Set(['append', 'extend', 'write', 'frombytes', 'fromlist', 'insert']);
const STRUCT_CALL = /^struct\.(pack|unpack|unpack_from|pack_into|iter_unpack|calcsize)$|^int\.from_bytes$|\.to_bytes$|^binascii\.\w+$|^codecs\.(encode|decode)$/;
const STRUCT_METHOD = new Set(['pack', 'unpack', 'unpack_from', 'pack_into', 'iter_unpack']);
/** Methods whose extra argument is a position in the buffer: the scanner's `pos` threads through them. */
const POSITIONAL_SCAN = new Set(['find', 'rfind', 'index', 'rindex', 'startswith', 'endswith', 'match', 'search', 'fullmatch', 'unpack_from', 'count']);

const isBufferMaker = (callee: string): boolean => BUFFER_MAKER.test(callee);

function textNames(fn: FunctionFacts, bindings: Bindings): Set<string> {
  const names = new Set<string>(bindings.namesMadeBy(fn, 'buffer', isBufferMaker));
  for (const p of fn.params) if (p.annotation && TEXT_ANNOTATION.test(p.annotation.replace(/\s+/g, ''))) names.add(p.name);
  return names;
}

/** `for ch in text`, `for i, b in enumerate(buf)`, `for i in range(len(data))` over a known text/bytes value. */
function iteratesBuffer(loop: LoopFact, buffers: Set<string>, ordArgs: Set<string>): boolean {
  if (loop.kind === 'while') return false;
  const iter = loop.iter;
  if (buffers.has(iter)) return true;
  const wrapped = /^(enumerate|reversed|iter|memoryview)\((\w+(?:\.\w+)?)\)$/.exec(iter);
  if (wrapped && buffers.has(wrapped[2])) return true;
  const ranged = /^range\((?:\d+,\s*)?len\((\w+(?:\.\w+)?)\)/.exec(iter);
  if (ranged && buffers.has(ranged[1])) return true;
  // the loop variable is turned into a code point: it is a character
  const target = loop.target.replace(/^\w+,\s*/, '');
  return ordArgs.has(target);
}

function evidenceFor(fn: FunctionFacts, ix: FileIndex): Evidence[] {
  const bindings = ix.bindings;
  if (fn.loops.length === 0) return [];
  const out: Evidence[] = [];
  const function_ = fnName(fn);
  const buffers = textNames(fn, bindings);

  let codePoints = 0;
  let codePointLine = 0;
  const ordArgs = new Set<string>();
  let structCalls = 0;
  let structLine = 0;
  let grow = 0;
  let growLine = 0;
  let positional = 0;
  let positionalLine = 0;
  for (const { call, resolved, method, receiver, made } of ix.callsOf(fn)) {
    if (call.loopDepth === 0) continue;
    if (resolved === 'ord' || resolved === 'chr') {
      codePoints++;
      codePointLine ||= call.line;
      if (resolved === 'ord' && call.firstArg) ordArgs.add(call.firstArg);
    } else if (STRUCT_CALL.test(resolved) || (receiver && STRUCT_METHOD.has(method) && made === 'struct.Struct')) {
      structCalls++;
      structLine ||= call.line;
    }
    if (receiver && GROW_METHOD.has(method) && GROWABLE.test(made ?? '')) {
      grow++;
      growLine ||= call.line;
    }
    if (receiver && POSITIONAL_SCAN.has(method) && call.args >= 2) {
      positional++;
      positionalLine ||= call.line;
    }
  }
  for (const [name, count] of Object.entries(fn.indexedInLoop)) {
    const b = bindings.get(fn, name);
    if (b && GROWABLE.test(b.callee)) {
      grow += count;
      growLine ||= b.line;
    }
  }

  const charCompares = fn.loops.reduce((n, l) => n + l.charCompares, 0);
  if (codePoints + charCompares >= 2) {
    const loop = fn.loops.find((l) => l.charCompares > 0);
    const line = loop && (!codePointLine || loop.line < codePointLine) ? loop.line : codePointLine;
    out.push({
      detector: ID, signal: 'char-scan', value: codePoints + charCompares, line, function: function_,
      message: `${charCompares} single-character comparison(s) and ${codePoints} ord()/chr() call(s) inside loops: decodes text one character at a time`,
    });
  }
  const perElement = fn.loops.filter((l) => iteratesBuffer(l, buffers, ordArgs));
  if (perElement.length > 0) {
    out.push({
      detector: ID, signal: 'byte-iteration', value: perElement.length, line: perElement[0].line, function: function_,
      message: `${perElement.length} loop(s) step through a str/bytes buffer element by element (\`for ${perElement[0].target} in ${perElement[0].iter}\`)`,
    });
  }
  if (structCalls > 0) {
    out.push({
      detector: ID, signal: 'struct-in-loop', value: structCalls, line: structLine, function: function_,
      message: `${structCalls} struct pack/unpack or int↔bytes conversion(s) per loop iteration: a binary format decoded field by field`,
    });
  }
  if (grow > 0) {
    out.push({
      detector: ID, signal: 'bytearray-build', value: grow, line: growLine, function: function_,
      message: `a bytearray/BytesIO buffer is grown or written element by element (${grow} site(s) inside loops)`,
    });
  }
  const offsets = fn.inLoop.indexArith + positional;
  if (offsets >= 2) {
    const at = fn.inLoop.indexArith > 0 ? fn.loops[0].line : positionalLine;
    out.push({
      detector: ID, signal: 'buffer-offsets', value: offsets, line: outermostLoopAt(fn, at)?.line ?? at, function: function_,
      message: `manual buffer offsets inside loops: ${fn.inLoop.indexArith} index/slice computed with arithmetic (\`buf[pos:pos + n]\`)${positional ? `, ${positional} search/match call(s) with a start position` : ''}`,
    });
  }
  return out;
}

export const byteScanning: CodeDetector = {
  id: ID,
  docs: {
    what: 'The shape of parsers, codecs, tokenizers, checksums and serialisers. Signals: `char-scan` (value: single-character literal comparisons plus ord()/chr() calls inside loops; reported from 2), `byte-iteration` (value: loops stepping element by element through a str/bytes/bytearray/memoryview — a typed parameter, a buffer made by bytes()/bytearray()/.encode()/.read(), or a loop variable passed to ord()), `struct-in-loop` (value: struct.pack/unpack, Struct.unpack_from, int.from_bytes/.to_bytes, binascii calls per iteration), `bytearray-build` (value: append/extend/write or item stores on a bytearray, array.array or BytesIO inside loops), `buffer-offsets` (value: subscripts and slices indexed with arithmetic plus find/startswith/match calls given a start position, inside loops; reported from 2).',
    why: 'CPython allocates or looks up an object for every character or byte it touches (a 1-char str, a small int), and every struct call parses its format string again. A Rust loop over &[u8] or &str does the same work with no allocation, bounds checks hoisted, often 20–100× faster — the classic PyO3 extension.',
    example: 'def read_varints(buf: bytes):\n    pos, out = 0, []\n    while pos < len(buf):\n        shift = value = 0\n        while True:\n            b = buf[pos]; pos += 1\n            value |= (b & 0x7F) << shift\n            if not b & 0x80: break\n            shift += 7\n        out.append(value)\n    return out',
  },
  detect(file: PyFileFacts): Evidence[] {
    const ix = fileIndex(file);
    return file.functions.flatMap((fn) => evidenceFor(fn, ix));
  },
};
