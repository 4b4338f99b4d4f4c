/**
 * Reads the discovered manifests from disk (detectors/manifests.ts parses one text at a time) and
 * follows `-r` includes of requirements files: relative to the including file, only inside the
 * scanned root, each chain cycle-free, never over the network. Every problem is a warning and the
 * rest of the manifest is still used.
 */
import { join, posix } from 'node:path';
import { readManifest, type ManifestFacts } from '../detectors/manifests.js';
import type { Warning } from './model.js';
import { readSource, DEFAULT_READ_LIMITS, type ReadLimits } from './read-source.js';

const MAX_INCLUDE_DEPTH = 16;
const INCLUDE = /^\s*(?:-r|--requirement)(?:\s*=\s*|\s+|(?=[^\s=]))(\S+)/;
const URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** `-r` targets as written, in order (constraints files, `-c`, add no dependencies and are not followed). */
export function requirementIncludes(text: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const m = INCLUDE.exec(raw.replace(/(^|\s)#.*$/, ''));
    if (m) out.push({ target: m[1], line: i + 1 });
  });
  return out;
}

interface ReadContext {
  root: string;
  limits: ReadLimits;
  warnings: Warning[];
  /** Parsed requirement files by path, so diamonds are read once. */
  cache: Map<string, { facts: ManifestFacts; text: string } | null>;
  /** Files whose own parse warnings are already reported (a file can be both listed and included). */
  reported: Set<string>;
}

function reportOnce(ctx: ReadContext, facts: ManifestFacts): void {
  if (ctx.reported.has(facts.path)) return;
  ctx.reported.add(facts.path);
  for (const w of facts.warnings) ctx.warnings.push({ path: facts.path, message: w, code: 'manifest' });
}

async function readRequirementsFile(ctx: ReadContext, path: string, from: string): Promise<{ facts: ManifestFacts; text: string } | null> {
  if (ctx.cache.has(path)) return ctx.cache.get(path)!;
  const src = await readSource(join(ctx.root, path), ctx.limits, { root: ctx.root });
  let entry: { facts: ManifestFacts; text: string } | null = null;
  if ('error' in src) ctx.warnings.push({ path: from, message: `included requirements file ${path}: ${src.error}`, code: src.code });
  else {
    const facts = readManifest('requirements', path, src.text);
    reportOnce(ctx, facts);
    entry = { facts, text: src.text };
  }
  ctx.cache.set(path, entry);
  return entry;
}

/** Adds the dependencies of every file `-r`-included from `path` (transitively) to `into`. */
async function followIncludes(ctx: ReadContext, path: string, text: string, into: ManifestFacts, chain: string[]): Promise<void> {
  for (const { target, line } of requirementIncludes(text)) {
    const where = `line ${line}: -r ${target}`;
    if (URL.test(target)) {
      ctx.warnings.push({ path, message: `${where} is a URL; not fetched (rustscout makes no network requests)`, code: 'manifest' });
      continue;
    }
    const resolved = posix.normalize(posix.join(posix.dirname(path), target.split('\\').join('/')));
    if (target.startsWith('/') || /^[A-Za-z]:/.test(target) || resolved === '..' || resolved.startsWith('../')) {
      ctx.warnings.push({ path, message: `${where} points outside the scanned root; not read`, code: 'outside-root' });
      continue;
    }
    if (chain.includes(resolved)) {
      ctx.warnings.push({ path, message: `${where} closes an include cycle (${[...chain, resolved].join(' → ')}); not followed again`, code: 'manifest' });
      continue;
    }
    if (chain.length >= MAX_INCLUDE_DEPTH) {
      ctx.warnings.push({ path, message: `${where} nests deeper than ${MAX_INCLUDE_DEPTH} includes; not followed`, code: 'manifest' });
      continue;
    }
    const included = await readRequirementsFile(ctx, resolved, path);
    if (!included) continue;
    for (const dep of included.facts.dependencies) if (!into.dependencies.includes(dep)) into.dependencies.push(dep);
    await followIncludes(ctx, resolved, included.text, into, [...chain, resolved]);
  }
}

export async function readManifests(
  root: string,
  list: { path: string; kind: ManifestFacts['kind'] }[],
  warnings: Warning[],
  limits: ReadLimits = DEFAULT_READ_LIMITS,
  /** When given, receives the text of every listed manifest read, by path, so later passes need not read it again. */
  texts?: Map<string, string>,
): Promise<ManifestFacts[]> {
  const ctx: ReadContext = { root, limits, warnings, cache: new Map(), reported: new Set() };
  const out: ManifestFacts[] = [];
  for (const m of list) {
    try {
      const src = await readSource(join(root, m.path), limits, { root });
      if ('error' in src) {
        warnings.push({ path: m.path, message: src.error, code: src.code });
        continue;
      }
      texts?.set(m.path, src.text);
      const facts = readManifest(m.kind, m.path, src.text);
      reportOnce(ctx, facts);
      if (m.kind === 'requirements') {
        ctx.cache.set(m.path, { facts, text: src.text });
        await followIncludes(ctx, m.path, src.text, facts, [m.path]);
      }
      out.push(facts);
    } catch (err) {
      warnings.push({ path: m.path, message: `could not be read as a manifest (internal error: ${(err as Error).message}), skipped`, code: 'analysis-failed' });
    }
  }
  return out;
}
