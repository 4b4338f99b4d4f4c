import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import type { FunctionFacts } from '../src/python/facts.js';
import { type CallInfo, evidence, fileIndex, type FileIndex, fnName, resolveName, rootOf, SiteTallies } from './util.js';

const ID = 'dynamic';

const REFLECTION = new Set(['getattr', 'setattr', 'delattr', 'hasattr']);
const ATTRIBUTE_HOOKS = new Set(['__getattr__', '__getattribute__', '__setattr__', '__delattr__', '__class_getitem__', '__init_subclass__', '__set_name__', '__instancecheck__', '__subclasscheck__', '__prepare__']);
const PLUGIN_LOADING = /^(importlib\.(import_module|reload|__import__)|importlib\.util\.(spec_from_file_location|module_from_spec|find_spec)|importlib\.machinery\.\w+|importlib\.metadata\.entry_points|importlib_metadata\.entry_points|__import__|imp\.(load_source|load_module|find_module)|pkgutil\.(iter_modules|walk_packages|extend_path)|pkg_resources\.(iter_entry_points|load_entry_point)|runpy\.run_\w+|stevedore\.\w+|pluggy\.\w+)$/;
const PLUGIN_ROOTS = new Set(['importlib', 'importlib_metadata', 'imp', 'pkgutil', 'pkg_resources', 'runpy', 'stevedore', 'pluggy']);
const SCOPE_INTROSPECTION = new Set(['globals', 'locals', 'vars']);
const EVAL = new Set(['eval', 'exec', 'compile']);
/** Decorators that are plain Python class machinery, not behaviour-changing wrappers. */
const PLAIN_DECORATORS = /^(staticmethod|classmethod|property|\w+\.setter|\w+\.getter|\w+\.deleter|abstractmethod|abc\.abstractmethod|override|typing\.override|overload|typing\.overload|dataclass|dataclasses\.dataclass|functools\.wraps)$/;
/** Functions with at least this many behaviour-changing decorators count as a heavy stack. */
export const HEAVY_DECORATOR_STACK = 3;

/** Callees (as written) the per-call checks below look at, besides imports of PLUGIN_ROOTS. */
const DYNAMIC_CALLEES = new Set([...EVAL, ...REFLECTION, ...SCOPE_INTROSPECTION, 'type', '__import__']);

/** A plain string literal (not an f-string, not a concatenation). */
const isLiteral = (text: string | undefined): boolean => !!text && /^[rRbBuU]*(['"])[^'"{}]*\1$/.test(text);

export const dynamic: CodeDetector = {
  id: ID,
  docs: {
    what: 'Python dynamism that a port has to replace by design. Signals (value: number of sites, line: the first): `eval-exec` (eval/exec/compile), `reflection` (getattr/setattr/delattr/hasattr with a computed attribute name — literal names are ordinary attribute access), `attribute-hooks` (classes defining __getattr__, __getattribute__, __setattr__, __init_subclass__, __class_getitem__ and other hooks), `scope-introspection` (globals(), locals(), vars(), sys.modules), `metaclass` (metaclass= keywords, classes deriving from type), `dynamic-type` (three-argument type(name, bases, namespace)), `monkey-patch` (assigning attributes of imported modules or classes, setattr on them), `plugin-loading` (importlib.import_module, __import__, spec_from_file_location, entry points, pkgutil.iter_modules), `decorator-stack` (functions carrying 3 or more behaviour-changing decorators; value: decorators on them), `kwargs-passthrough` (functions taking **kwargs and forwarding them with **; value: such functions).',
    why: 'Rust resolves names, types and calls at compile time. Code that looks attributes up by computed name, builds classes at run time, patches other modules or loads plugins by path has no direct Rust translation: it must be redesigned (enums, traits, registries), which makes a port slow and risky — a reason to keep the module in Python or to extract only its static core.',
    example: 'import importlib\n\ndef load(name, **kwargs):\n    mod = importlib.import_module(f"plugins.{name}")\n    handler = getattr(mod, "make_" + name)\n    return handler(**kwargs)',
  },
  detect: detectDynamic,
};

function dynamicCalls(fn: FunctionFacts, calls: CallInfo[], imported: Map<string, string>, hits: SiteTallies): void {
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i];
    if (DYNAMIC_CALLEES.has(c.name) || (c.importedHead && PLUGIN_ROOTS.has(c.root))) dynamicCall(fnName(fn), c, imported, hits);
  }
}

function dynamicCall(function_: string | undefined, call: CallInfo, imported: Map<string, string>, hits: SiteTallies): void {
  const { resolved, importedHead, root } = call;
  const name = call.name;
  const secondArg = call.call.secondArg;
  if (EVAL.has(name) && !imported.has(name)) hits.add('eval-exec', call.line, function_, `${name}()`);
  else if (REFLECTION.has(name) && call.args >= 2 && !isLiteral(secondArg)) {
    hits.add('reflection', call.line, function_, `${name}(${call.firstArg ?? '…'}, ${secondArg ?? '…'})`);
    if (name === 'setattr' && call.firstArg && imported.has(rootOf(call.firstArg))) hits.add('monkey-patch', call.line, function_, `setattr(${call.firstArg}, …)`);
  } else if (name === 'setattr' && call.firstArg && imported.has(rootOf(call.firstArg))) hits.add('monkey-patch', call.line, function_, `setattr(${call.firstArg}, ${secondArg ?? '…'})`);
  else if (SCOPE_INTROSPECTION.has(name) && !imported.has(name) && (name !== 'vars' || call.args === 0)) hits.add('scope-introspection', call.line, function_, `${name}()`);
  else if (name === 'type' && call.args === 3) hits.add('dynamic-type', call.line, function_, `type(${call.firstArg ?? '…'}, …)`);
  else if ((name === '__import__' || (importedHead && PLUGIN_ROOTS.has(root))) && PLUGIN_LOADING.test(resolved)) hits.add('plugin-loading', call.line, function_, resolved);
}

/** decorator-stack, kwargs-passthrough and attribute-hooks of one function. */
function functionShape(fn: FunctionFacts, hits: SiteTallies): void {
  if (fn.decorators.length >= HEAVY_DECORATOR_STACK) {
    const decorators = fn.decorators.filter((d) => !PLAIN_DECORATORS.test(d.replace(/\(.*$/s, '')));
    if (decorators.length >= HEAVY_DECORATOR_STACK) hits.add('decorator-stack', fn.line, fnName(fn), `${fn.qualname}: @${decorators.map((d) => d.replace(/\(.*$/s, '')).join(' @')}`, decorators.length);
  }
  const params = fn.params;
  for (let i = 0; i < params.length; i++) {
    if (params[i].kind === 'kwargs') {
      if (passesKwargs(fn)) hits.add('kwargs-passthrough', fn.line, fnName(fn), `${fn.qualname}(**${params[i].name})`);
      break;
    }
  }
  if (fn.isMethod && ATTRIBUTE_HOOKS.has(fn.name)) hits.add('attribute-hooks', fn.line, fnName(fn), fn.qualname);
}

function passesKwargs(fn: FunctionFacts): boolean {
  const calls = fn.calls;
  for (let i = 0; i < calls.length; i++) if (calls[i].hasKwargsSplat) return true;
  return false;
}

function classEvidence(file: PyFileFacts, imported: Map<string, string>, hits: SiteTallies): void {
  for (const cls of file.classes) {
    if (cls.metaclass) hits.add('metaclass', cls.line, undefined, `class ${cls.name}(metaclass=${cls.metaclass})`);
    else if (cls.bases.length > 0 && cls.bases.some((name) => isMetaclassBase(resolveName(name, imported)))) hits.add('metaclass', cls.line, undefined, `class ${cls.name}(type)`);
  }
}

const isMetaclassBase = (b: string): boolean => b === 'type' || b === 'abc.ABCMeta' || b === 'enum.EnumMeta' || b === 'enum.EnumType';

function monkeyPatches(file: PyFileFacts, imported: Map<string, string>, hits: SiteTallies): void {
  let localClasses: Set<string> | undefined;
  for (const a of file.attributeAssigns) {
    // `json.dumps = fast_dumps`, `SomeImportedClass.method = patched`: changing code this module does not own.
    if (!imported.has(a.object)) continue;
    localClasses ??= new Set(file.classes.map((c) => c.name));
    if (!localClasses.has(a.object) && !(a.object === 'sys' && /^std(out|err|in)$/.test(a.attribute))) hits.add('monkey-patch', a.line, undefined, `${a.object}.${a.attribute} = …`);
  }
}

function detectDynamic(file: PyFileFacts): Evidence[] {
  const ix: FileIndex = fileIndex(file);
  const imported = ix.imported;
  const hits = new SiteTallies();
  for (const fn of file.functions) {
    dynamicCalls(fn, ix.callsOf(fn), imported, hits);
    functionShape(fn, hits);
  }
  for (const read of file.attributeReads) if (read.name === 'sys.modules') hits.add('scope-introspection', read.line, undefined, 'sys.modules');
  if (file.classes.length > 0) classEvidence(file, imported, hits);
  monkeyPatches(file, imported, hits);

  const out: Evidence[] = [];
  for (const [signal, h] of hits.byLine()) out.push(evidence(ID, signal, h.count, h.line, h.function, `${h.count} × ${signal.replace(/-/g, ' ')}: ${h.examples.join('; ')}`));
  return out;
}
