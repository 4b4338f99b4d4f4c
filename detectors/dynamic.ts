import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { fileIndex, fnName, resolveName, rootOf, SiteTallies } from './util.js';

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

/** A plain string literal (not an f-string, not a concatenation). */
const isLiteral = (text: string | undefined): boolean => !!text && /^[rRbBuU]*(['"])[^'"{}]*\1$/.test(text);

export const dynamic: CodeDetector = {
  id: ID,
  docs: {
    what: 'Python dynamism that a port has to replace by design. Signals (value: number of sites, line: the first): `eval-exec` (eval/exec/compile), `reflection` (getattr/setattr/delattr/hasattr with a computed attribute name — literal names are ordinary attribute access), `attribute-hooks` (classes defining __getattr__, __getattribute__, __setattr__, __init_subclass__, __class_getitem__ and other hooks), `scope-introspection` (globals(), locals(), vars(), sys.modules), `metaclass` (metaclass= keywords, classes deriving from type), `dynamic-type` (three-argument type(name, bases, namespace)), `monkey-patch` (assigning attributes of imported modules or classes, setattr on them), `plugin-loading` (importlib.import_module, __import__, spec_from_file_location, entry points, pkgutil.iter_modules), `decorator-stack` (functions carrying 3 or more behaviour-changing decorators; value: decorators on them), `kwargs-passthrough` (functions taking **kwargs and forwarding them with **; value: such functions).',
    why: 'Rust resolves names, types and calls at compile time. Code that looks attributes up by computed name, builds classes at run time, patches other modules or loads plugins by path has no direct Rust translation: it must be redesigned (enums, traits, registries), which makes a port slow and risky — a reason to keep the module in Python or to extract only its static core.',
    example: 'import importlib\n\ndef load(name, **kwargs):\n    mod = importlib.import_module(f"plugins.{name}")\n    handler = getattr(mod, "make_" + name)\n    return handler(**kwargs)',
  },
  detect(file: PyFileFacts): Evidence[] {
    const ix = fileIndex(file);
    const imported = ix.imported;
    const importedRoots = new Set([...imported.keys()]);
    const hits = new SiteTallies();
    const add = hits.add.bind(hits);

    for (const fn of file.functions) {
      const function_ = fnName(fn);
      for (const { call, resolved, importedHead, root } of ix.callsOf(fn)) {
        if (EVAL.has(call.name) && !imported.has(call.name)) add('eval-exec', call.line, function_, `${call.name}()`);
        else if (REFLECTION.has(call.name) && call.args >= 2 && !isLiteral(call.secondArg)) {
          add('reflection', call.line, function_, `${call.name}(${call.firstArg ?? '…'}, ${call.secondArg ?? '…'})`);
          if (call.name === 'setattr' && call.firstArg && importedRoots.has(rootOf(call.firstArg))) add('monkey-patch', call.line, function_, `setattr(${call.firstArg}, …)`);
        } else if (call.name === 'setattr' && call.firstArg && importedRoots.has(rootOf(call.firstArg))) add('monkey-patch', call.line, function_, `setattr(${call.firstArg}, ${call.secondArg ?? '…'})`);
        else if (SCOPE_INTROSPECTION.has(call.name) && !imported.has(call.name) && (call.name !== 'vars' || call.args === 0)) add('scope-introspection', call.line, function_, `${call.name}()`);
        else if (call.name === 'type' && call.args === 3) add('dynamic-type', call.line, function_, `type(${call.firstArg ?? '…'}, …)`);
        else if ((call.name === '__import__' || (importedHead && PLUGIN_ROOTS.has(root))) && PLUGIN_LOADING.test(resolved)) add('plugin-loading', call.line, function_, resolved);
      }
      const decorators = fn.decorators.filter((d) => !PLAIN_DECORATORS.test(d.replace(/\(.*$/s, '')));
      if (decorators.length >= HEAVY_DECORATOR_STACK) add('decorator-stack', fn.line, function_, `${fn.qualname}: @${decorators.map((d) => d.replace(/\(.*$/s, '')).join(' @')}`, decorators.length);
      const kwargs = fn.params.find((p) => p.kind === 'kwargs');
      if (kwargs && fn.calls.some((c) => c.hasKwargsSplat)) add('kwargs-passthrough', fn.line, function_, `${fn.qualname}(**${kwargs.name})`);
      if (fn.isMethod && ATTRIBUTE_HOOKS.has(fn.name)) add('attribute-hooks', fn.line, function_, fn.qualname);
    }
    for (const read of file.attributeReads) if (read.name === 'sys.modules') add('scope-introspection', read.line, undefined, 'sys.modules');
    for (const cls of file.classes) {
      const bases = cls.bases.map((b) => resolveName(b, imported));
      if (cls.metaclass) add('metaclass', cls.line, undefined, `class ${cls.name}(metaclass=${cls.metaclass})`);
      else if (bases.some((b) => b === 'type' || b === 'abc.ABCMeta' || b === 'enum.EnumMeta' || b === 'enum.EnumType')) add('metaclass', cls.line, undefined, `class ${cls.name}(type)`);
    }
    const localClasses = new Set(file.classes.map((c) => c.name));
    for (const a of file.attributeAssigns) {
      // `json.dumps = fast_dumps`, `SomeImportedClass.method = patched`: changing code this module does not own.
      if (importedRoots.has(a.object) && !localClasses.has(a.object) && !(a.object === 'sys' && /^std(out|err|in)$/.test(a.attribute))) add('monkey-patch', a.line, undefined, `${a.object}.${a.attribute} = …`);
    }

    const out: Evidence[] = [];
    for (const [signal, h] of hits.byLine()) {
      out.push({ detector: ID, signal, value: h.count, line: h.line, function: h.function, message: `${h.count} × ${signal.replace(/-/g, ' ')}: ${h.examples.join('; ')}` });
    }
    return out;
  },
};
