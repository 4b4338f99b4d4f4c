/**
 * The per-file CI facts that need the source text: content fingerprints (module and functions)
 * and where each `# rustscout: keep-python` comment applies. Computed in the per-file stage
 * (src/analyse-file.ts) and carried on the FileProfile, so it is cached and parallel with it.
 */
import type { ContentFacts, FunctionSummary, ModuleReport, Warning } from '../model.js';
import { sourceFingerprints } from './fingerprints.js';
import { placeDirectives } from './suppressions.js';

interface ProfileLike {
  path: string;
  totalLines: number;
  functions: readonly { name: string; line: number; endLine: number }[];
  directives: readonly { line: number; text: string }[];
}

export function contentFactsOf(source: string, profile: ProfileLike): { content: ContentFacts; warnings: Warning[] } {
  const prints = sourceFingerprints(source, profile.functions);
  const placed = placeDirectives(source, profile.directives, profile.functions);
  return {
    content: { fingerprint: prints.module, lines: profile.totalLines, functions: prints.functions, suppressions: placed.directives },
    warnings: placed.problems.map((p) => ({ path: profile.path, message: `line ${p.line}: ${p.message}` })),
  };
}

/**
 * Puts a file's content facts on its module report (pipeline hook; a no-op without them). The
 * report and its function summaries were made for this module alone, so they are completed in
 * place: each function's fingerprint is appended as its last key, as a copy would have it.
 */
export function withContentFacts(module: ModuleReport, content: ContentFacts | undefined): ModuleReport {
  if (!content) return module;
  const byLine = new Map<number, { name: string; fingerprint: string }[]>();
  for (const f of content.functions) {
    const list = byLine.get(f.line);
    if (list) list.push(f);
    else byLine.set(f.line, [f]);
  }
  for (const f of module.functions as FunctionSummary[]) {
    const fingerprint = byLine.get(f.line)?.find((c) => c.name === f.name)?.fingerprint;
    if (fingerprint) f.fingerprint = fingerprint;
  }
  module.fingerprint = content.fingerprint;
  module.lines = content.lines;
  if (content.suppressions.length) module.suppressions = content.suppressions.map((d) => ({ ...d }));
  return module;
}
