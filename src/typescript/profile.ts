/**
 * parse → facts → ts-* detectors for one TypeScript/JavaScript file. The result is plain data
 * (what a worker sends back and a cache stores); the syntax tree never leaves facts.ts.
 */
import { TS_DETECTORS } from '../../detectors/ts-index.js';
import type { ContentFacts, Evidence } from '../model.js';
import type { ParseLimits } from '../tree-sitter/with-tree.js';
import { scriptContentFacts } from './content.js';
import { cheapTsOps, extractTsFacts, type ScriptLanguage, type TsFileFacts, type TsImportFact } from './facts.js';

export interface TsFunctionProfile {
  name: string;
  line: number;
  endLine: number;
  loc: number;
  loopOps: number;
  deepOps: number;
  maxLoopDepth: number;
  isAsync: boolean;
  signals: Record<string, number>;
}

export interface TsFileProfile {
  path: string;
  language: ScriptLanguage;
  loc: number;
  totalLines: number;
  syntaxErrors: number[];
  imports: TsImportFact[];
  evidence: Evidence[];
  functions: TsFunctionProfile[];
  metrics: { functions: number; classes: number; loops: number; exports: number };
  /** Content fingerprints and placed `// rustscout: keep-typescript` comments (src/typescript/content.ts). */
  content?: ContentFacts;
  /** Malformed `rustscout:` directives, reported as warnings. */
  directiveProblems?: { line: number; message: string }[];
}

export function detectTs(facts: TsFileFacts): Evidence[] {
  return TS_DETECTORS.flatMap((d) => d.detect(facts));
}

export function tsProfileFromFacts(path: string, facts: TsFileFacts): TsFileProfile {
  const evidence = detectTs(facts);
  const functions = facts.functions.map((fn): TsFunctionProfile => {
    const key = fn.name === '<module>' ? undefined : fn.name;
    const signals: Record<string, number> = {};
    for (const e of evidence) if (e.function === key) signals[e.signal] = (signals[e.signal] ?? 0) + e.value;
    return {
      name: fn.name, line: fn.line, endLine: fn.endLine, loc: fn.endLine - fn.line + 1, loopOps: cheapTsOps(fn.inLoop),
      deepOps: fn.deepOps, maxLoopDepth: fn.maxLoopDepth, isAsync: fn.isAsync, signals,
    };
  });
  return {
    path, language: facts.language, loc: facts.loc, totalLines: facts.totalLines, syntaxErrors: facts.syntaxErrors,
    imports: facts.imports, evidence, functions,
    metrics: {
      functions: facts.functions.length - 1, classes: facts.classes,
      loops: facts.functions.reduce((n, f) => n + f.loops.length, 0), exports: facts.exports,
    },
  };
}

/**
 * Profiles one file with its CI content facts. With `limits.maxParseMs` (the same budget as
 * Python's --max-parse-ms) it throws ParseTimeoutError when parsing and walking take longer.
 */
export function profileTypeScript(path: string, source: string, language: ScriptLanguage, limits: ParseLimits = {}): TsFileProfile {
  const profile = tsProfileFromFacts(path, extractTsFacts(path, source, language, limits));
  const ci = scriptContentFacts(path, source, profile.functions);
  profile.content = ci.content;
  if (ci.problems.length) profile.directiveProblems = ci.problems;
  return profile;
}
