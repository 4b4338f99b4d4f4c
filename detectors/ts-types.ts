import type { Evidence } from '../src/model.js';
import type { TsFileFacts } from '../src/typescript/facts.js';
import type { DetectorDocs } from './types.js';

/** A TypeScript/JavaScript detector: a pure function of one file's syntax facts, same Evidence shape as Python's. */
export interface TsCodeDetector {
  id: string;
  docs: DetectorDocs;
  detect(file: TsFileFacts): Evidence[];
}

/** Maps each local name bound by an import or require to `module.member` (`node:` prefix dropped). */
export function tsImportedNames(file: TsFileFacts): Map<string, string> {
  const names = new Map<string, string>();
  for (const imp of file.imports) {
    const mod = imp.module.replace(/^node:/, '');
    imp.bound.forEach((local, i) => {
      const member = imp.names[i];
      names.set(local, member === 'default' || member === '*' ? mod : `${mod}.${member}`);
    });
  }
  return names;
}

/** `srv.listen` stays; `http.createServer` with `import * as http from 'node:http'` → `http.createServer`; `createServer` imported from net → `net.createServer`. */
export function tsResolve(name: string, imported: Map<string, string>): string {
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  const origin = imported.get(head);
  if (!origin) return name;
  return dot < 0 ? origin : origin + name.slice(dot);
}

export const tsModules = (file: TsFileFacts): Set<string> => new Set(file.imports.filter((i) => !i.typeOnly).map((i) => i.module.replace(/^node:/, '')));

export const tsFnName = (name: string): string | undefined => (name === '<module>' ? undefined : name);
