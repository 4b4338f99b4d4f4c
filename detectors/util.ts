import type { CallFact, FunctionFacts, PyFileFacts } from '../src/python/facts.js';

/** Maps every local name bound by an import to the module (or module.member) it stands for. */
export function importedNames(file: PyFileFacts): Map<string, string> {
  const names = new Map<string, string>();
  for (const imp of file.imports) {
    if (imp.names.length === 0) {
      const alias = imp.bound[0];
      names.set(alias, alias === imp.module.split('.')[0] ? imp.module.split('.')[0] : imp.module);
    } else {
      imp.names.forEach((name, i) => {
        if (name !== '*') names.set(imp.bound[i], imp.module ? `${imp.module}.${name}` : name);
      });
    }
  }
  return names;
}

/** The callee with its first segment replaced by the module it was imported from (`np.sum` → `numpy.sum`). */
export function resolveCallee(call: CallFact, imported: Map<string, string>): string {
  const dot = call.name.indexOf('.');
  const head = dot < 0 ? call.name : call.name.slice(0, dot);
  const origin = imported.get(head);
  if (!origin) return call.name;
  return dot < 0 ? origin : origin + call.name.slice(dot);
}

/** Top-level package of each imported module (`os.path` → `os`), relative imports excluded. */
export function importedPackages(file: PyFileFacts): Set<string> {
  const out = new Set<string>();
  for (const imp of file.imports) if (imp.level === 0 && imp.module) out.add(imp.module.split('.')[0]);
  return out;
}

export function rootOf(dotted: string): string {
  const dot = dotted.indexOf('.');
  return dot < 0 ? dotted : dotted.slice(0, dot);
}

export function* callsOf(file: PyFileFacts): Generator<{ fn: FunctionFacts; call: CallFact }> {
  for (const fn of file.functions) for (const call of fn.calls) yield { fn, call };
}

export function fnName(fn: FunctionFacts): string | undefined {
  return fn.qualname === '<module>' ? undefined : fn.qualname;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
