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

/** Copies a file's content facts onto its module report (pipeline hook; a no-op without them). */
export function withContentFacts(module: ModuleReport, content: ContentFacts | undefined): ModuleReport {
  if (!content) return module;
  const byLine = new Map(content.functions.map((f) => [`${f.name}@${f.line}`, f.fingerprint]));
  const functions: FunctionSummary[] = module.functions.map((f) => {
    const fingerprint = byLine.get(`${f.name}@${f.line}`);
    return fingerprint ? { ...f, fingerprint } : f;
  });
  const out: ModuleReport = { ...module, functions, fingerprint: content.fingerprint, lines: content.lines };
  if (content.suppressions.length) out.suppressions = content.suppressions.map((d) => ({ ...d }));
  return out;
}
