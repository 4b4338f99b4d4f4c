import type { Evidence } from '../src/model.js';
import type { TsFileFacts } from '../src/typescript/facts.js';
import type { TsCodeDetector } from './ts-types.js';

const ID = 'ts-dynamic';
const LABEL: Record<TsFileFacts['dynamic'][number]['kind'], string> = {
  eval: 'eval()', 'new-function': 'new Function()', proxy: 'new Proxy()', reflect: 'Reflect / setPrototypeOf', with: 'with statement', 'prototype-patch': 'patches a built-in prototype',
};

export const tsDynamic: TsCodeDetector = {
  id: ID,
  docs: {
    what: 'Run-time code generation and meta-programming: eval, new Function, Proxy, Reflect and Object.setPrototypeOf, with, patching built-in prototypes.',
    why: 'Code that builds code or intercepts property access at run time has no static Rust equivalent; porting it means redesigning it, so it weighs against a rewrite.',
    example: "const handler = new Proxy(target, { get: (t, k) => k in t ? t[k] : fallback(k) });",
  },
  detect(file: TsFileFacts): Evidence[] {
    return file.dynamic.map((d) => ({
      detector: ID, signal: 'dynamic-feature', value: 1, line: d.line, function: d.function,
      message: `${LABEL[d.kind]}: run-time meta-programming with no static Rust counterpart`,
    }));
  },
};
