import type { FunctionFacts, LoopFact } from '../src/python/facts.js';
import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { Bindings, evidence, fileIndex, type FileIndex, fnName, outermostLoopAt } from './util.js';

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
function iteratesBuffer(loop: LoopFact, buffers: ReadonlySet<string>, ordArgs: ReadonlySet<string>): boolean {
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

/** What the calls inside a function's loops say about byte scanning (one per function, reused). */
class LoopCallTally {
  codePoints = 0;
  codePointLine = 0;
  ordArgs: Set<string> | undefined = undefined;
  structCalls = 0;
  structLine = 0;
  grow = 0;
  growLine = 0;
  positional = 0;
  positionalLine = 0;

  reset(): void {
    this.codePoints = 0;
    this.codePointLine = 0;
    this.ordArgs = undefined;
    this.structCalls = 0;
    this.structLine = 0;
    this.grow = 0;
    this.growLine = 0;
    this.positional = 0;
    this.positionalLine = 0;
  }
}

const TALLY = new LoopCallTally();

function tallyLoopCalls(fn: FunctionFacts, ix: FileIndex, t: LoopCallTally): void {
  const calls = ix.callsOf(fn);
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i];
    if (c.loopDepth === 0) continue;
    const resolved = c.resolved;
    if (resolved === 'ord' || resolved === 'chr') {
      t.codePoints++;
      if (t.codePointLine === 0) t.codePointLine = c.line;
      if (resolved === 'ord' && c.firstArg) (t.ordArgs ??= new Set<string>()).add(c.firstArg);
    } else if (STRUCT_CALL.test(resolved) || (c.receiver && STRUCT_METHOD.has(c.method) && c.made === 'struct.Struct')) {
      t.structCalls++;
      if (t.structLine === 0) t.structLine = c.line;
    }
    if (c.receiver) {
      if (GROW_METHOD.has(c.method) && GROWABLE.test(c.made ?? '')) {
        t.grow++;
        if (t.growLine === 0) t.growLine = c.line;
      }
      if (c.args >= 2 && POSITIONAL_SCAN.has(c.method)) {
        t.positional++;
        if (t.positionalLine === 0) t.positionalLine = c.line;
      }
    }
  }
}

const NO_NAMES: ReadonlySet<string> = new Set<string>();

function evidenceFor(fn: FunctionFacts, ix: FileIndex, out: Evidence[]): void {
  const loops = fn.loops;
  if (loops.length === 0) return;
  const bindings = ix.bindings;
  const t = TALLY;
  t.reset();
  tallyLoopCalls(fn, ix, t);
  const indexed = fn.indexedInLoop;
  for (const name in indexed) {
    const b = bindings.get(fn, name);
    if (b && GROWABLE.test(b.callee)) {
      t.grow += indexed[name];
      if (t.growLine === 0) t.growLine = b.line;
    }
  }

  let charCompares = 0;
  for (let i = 0; i < loops.length; i++) charCompares += loops[i].charCompares;
  if (t.codePoints + charCompares >= 2) out.push(charScan(fn, t, charCompares));
  const buffers = textNames(fn, bindings);
  const ordArgs = t.ordArgs ?? NO_NAMES;
  let perElement = 0;
  let first: LoopFact | undefined;
  for (let i = 0; i < loops.length; i++) {
    if (iteratesBuffer(loops[i], buffers, ordArgs)) {
      perElement++;
      first ??= loops[i];
    }
  }
  if (first !== undefined) out.push(byteIteration(fn, perElement, first));
  if (t.structCalls > 0) out.push(structInLoop(fn, t));
  if (t.grow > 0) out.push(bytearrayBuild(fn, t));
  const offsets = fn.inLoop.indexArith + t.positional;
  if (offsets >= 2) out.push(bufferOffsets(fn, t, offsets));
}

function charScan(fn: FunctionFacts, t: LoopCallTally, charCompares: number): Evidence {
  const loop = fn.loops.find((l) => l.charCompares > 0);
  const line = loop && (!t.codePointLine || loop.line < t.codePointLine) ? loop.line : t.codePointLine;
  return evidence(ID, 'char-scan', t.codePoints + charCompares, line, fnName(fn), `${charCompares} single-character comparison(s) and ${t.codePoints} ord()/chr() call(s) inside loops: decodes text one character at a time`);
}

function byteIteration(fn: FunctionFacts, loops: number, first: LoopFact): Evidence {
  return evidence(ID, 'byte-iteration', loops, first.line, fnName(fn), `${loops} loop(s) step through a str/bytes buffer element by element (\`for ${first.target} in ${first.iter}\`)`);
}

function structInLoop(fn: FunctionFacts, t: LoopCallTally): Evidence {
  return evidence(ID, 'struct-in-loop', t.structCalls, t.structLine, fnName(fn), `${t.structCalls} struct pack/unpack or int↔bytes conversion(s) per loop iteration: a binary format decoded field by field`);
}

function bytearrayBuild(fn: FunctionFacts, t: LoopCallTally): Evidence {
  return evidence(ID, 'bytearray-build', t.grow, t.growLine, fnName(fn), `a bytearray/BytesIO buffer is grown or written element by element (${t.grow} site(s) inside loops)`);
}

function bufferOffsets(fn: FunctionFacts, t: LoopCallTally, offsets: number): Evidence {
  const at = fn.inLoop.indexArith > 0 ? fn.loops[0].line : t.positionalLine;
  return evidence(ID, 'buffer-offsets', offsets, outermostLoopAt(fn, at)?.line ?? at, fnName(fn), `manual buffer offsets inside loops: ${fn.inLoop.indexArith} index/slice computed with arithmetic (\`buf[pos:pos + n]\`)${t.positional ? `, ${t.positional} search/match call(s) with a start position` : ''}`);
}

function detectByteScanning(file: PyFileFacts): Evidence[] {
  const out: Evidence[] = [];
  const ix = fileIndex(file);
  for (const fn of file.functions) evidenceFor(fn, ix, out);
  return out;
}

export const byteScanning: CodeDetector = {
  id: ID,
  docs: {
    what: 'The shape of parsers, codecs, tokenizers, checksums and serialisers. Signals: `char-scan` (value: single-character literal comparisons plus ord()/chr() calls inside loops; reported from 2), `byte-iteration` (value: loops stepping element by element through a str/bytes/bytearray/memoryview — a typed parameter, a buffer made by bytes()/bytearray()/.encode()/.read(), or a loop variable passed to ord()), `struct-in-loop` (value: struct.pack/unpack, Struct.unpack_from, int.from_bytes/.to_bytes, binascii calls per iteration), `bytearray-build` (value: append/extend/write or item stores on a bytearray, array.array or BytesIO inside loops), `buffer-offsets` (value: subscripts and slices indexed with arithmetic plus find/startswith/match calls given a start position, inside loops; reported from 2).',
    why: 'CPython allocates or looks up an object for every character or byte it touches (a 1-char str, a small int), and every struct call parses its format string again. A Rust loop over &[u8] or &str does the same work with no allocation, bounds checks hoisted, often 20–100× faster — the classic PyO3 extension.',
    example: 'def read_varints(buf: bytes):\n    pos, out = 0, []\n    while pos < len(buf):\n        shift = value = 0\n        while True:\n            b = buf[pos]; pos += 1\n            value |= (b & 0x7F) << shift\n            if not b & 0x80: break\n            shift += 7\n        out.append(value)\n    return out',
  },
  detect: detectByteScanning,
};
