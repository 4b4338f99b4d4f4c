/**
 * What the calls inside a function's loops go to — the per-element cost a port keeps or removes:
 *   - imported: the callee's first name is bound by an import (`helper(x)`, `util.f(x)`, `np.add`),
 *     counted per bound name so the link stage can tell calls into the scanned repo from calls
 *     into the standard library or third-party packages;
 *   - own: a function or class defined at the top of this module, or a method on `self`/`cls` —
 *     code that comes along when the module is ported;
 *   - builtinMethod: a method of str/bytes/list/dict/set called on a value (`out.append`,
 *     `s.startswith`, `d.get`): per-element work CPython already does in C;
 *   - other: everything else (other builtins, passed-in callables, methods of other objects).
 * Cheap builtins (`len`, `ord`, `range`…) and math.* intrinsics are scalar work, not calls, and are
 * not counted (the same calls `FunctionProfile.loopCalls` leaves out). Names come from the code only.
 */
import { CHEAP_BUILTINS, type FunctionFacts, type PyFileFacts } from './facts.js';
import { fileIndex } from '../../detectors/util.js';

export interface LoopCallMix {
  /** Loop calls per import-bound head name (`helper`, `util`, `np`). */
  imported: Record<string, number>;
  own: number;
  builtinMethod: number;
  /** Of `builtinMethod`: methods of str/bytes (`find`, `startswith`, `join`…) rather than of containers. */
  stringMethod: number;
  other: number;
}

const STRING_METHODS = new Set([
  'join', 'split', 'rsplit', 'splitlines', 'strip', 'lstrip', 'rstrip', 'startswith', 'endswith', 'find', 'rfind',
  'replace', 'lower', 'upper', 'encode', 'decode', 'isdigit', 'isalpha', 'isalnum', 'isspace', 'partition', 'rpartition',
  'translate', 'ljust', 'rjust', 'zfill', 'hex', 'fromhex', 'to_bytes', 'from_bytes',
]);

/** Methods of the builtin str / bytes / bytearray / list / dict / set (and deque) types. */
export const BUILTIN_METHODS = new Set([
  ...STRING_METHODS,
  'append', 'extend', 'insert', 'pop', 'popleft', 'appendleft', 'remove', 'index', 'count', 'clear', 'copy', 'sort', 'reverse',
  'get', 'setdefault', 'items', 'keys', 'values', 'update', 'add', 'discard',
]);

const OWN_NAMES = new WeakMap<PyFileFacts, Set<string>>();

/** Functions and classes defined at the top of the file: what a port of the module takes along. */
function ownNamesOf(file: PyFileFacts): Set<string> {
  let names = OWN_NAMES.get(file);
  if (!names) {
    names = new Set<string>();
    for (const f of file.functions) if (f.qualname !== '<module>' && !f.qualname.includes('.')) names.add(f.name);
    for (const c of file.classes) names.add(c.name);
    OWN_NAMES.set(file, names);
  }
  return names;
}

export function loopCallMix(fn: FunctionFacts, file: PyFileFacts): LoopCallMix {
  const calls = fileIndex(file).callsOf(fn);
  let own: Set<string> | undefined;
  const mix: LoopCallMix = { imported: Object.create(null) as Record<string, number>, own: 0, builtinMethod: 0, stringMethod: 0, other: 0 };
  for (let i = 0; i < calls.length; i++) {
    const info = calls[i];
    if (info.loopDepth === 0) continue;
    const name = info.name;
    if (name === '<expr>') {
      mix.other++;
      continue;
    }
    const receiver = info.receiver;
    if (!receiver && CHEAP_BUILTINS.has(name)) continue;
    const resolved = info.resolved;
    if (resolved.startsWith('math.') || resolved.startsWith('cmath.')) continue;
    if (info.importedHead) {
      const dot = name.indexOf('.');
      const head = dot < 0 ? name : name.slice(0, dot);
      mix.imported[head] = (mix.imported[head] ?? 0) + 1;
    } else if (receiver === 'self' || receiver === 'cls' || (!receiver && (own ??= ownNamesOf(file)).has(name))) mix.own++;
    else if (receiver && BUILTIN_METHODS.has(info.method)) {
      mix.builtinMethod++;
      if (STRING_METHODS.has(info.method)) mix.stringMethod++;
    } else mix.other++;
  }
  return mix;
}
