/**
 * Repo-relative context: a module measured against the other modules of its own component (the
 * Python package it belongs to, or the loose modules of the scan). What is ordinary differs between
 * codebases — in a package of codecs or numeric routines every module is dense with arithmetic, in
 * a web framework almost none is — so the classifier also sees the density of this repo's typical
 * module and judges a module's scalar work against it.
 *
 * A component's norm is its median blended with the dev corpus's typical value in proportion to
 * how many modules back it: norm = (n·median + k·typical) / (n + k), k = NORM_PRIOR_MODULES. A
 * one-module repo is judged almost exactly as a typical one; only a large package moves its norm
 * far from the corpus's. rustscout always scans a whole repository, so the norm is always there.
 */
import type { FileProfile } from '../profile.js';
import { moduleCodeFeatures } from './features.js';
import { TYPICAL } from './weights.js';

/** Features measured against their component's norm. */
export const RELATIVE_FEATURES = ['scalar_density'] as const;
/** Pseudo-modules of the corpus's typical value blended into each component's median. */
export const NORM_PRIOR_MODULES = 100;

export interface ComponentNorm {
  /** Python modules in the component. */
  modules: number;
  /** The component's own median of each relative feature (not blended). */
  median: Record<string, number>;
  /** The blended norm of each relative feature: what a typical module of this repo has. */
  norm: Record<string, number>;
}

export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The norm of a component from its modules' features (each a record holding the relative features). */
export function componentNormOf(members: readonly Record<string, number>[], names: readonly string[] = RELATIVE_FEATURES, typical: Record<string, number> = TYPICAL, priorModules = NORM_PRIOR_MODULES): ComponentNorm {
  const n = members.length;
  const own: Record<string, number> = {};
  const norm: Record<string, number> = {};
  for (const name of names) {
    own[name] = median(members.map((f) => f[name] ?? 0));
    norm[name] = (n * own[name] + priorModules * (typical[name] ?? 0)) / (n + priorModules);
  }
  return { modules: n, median: own, norm };
}

/** The relative features of one module's code (the same numbers moduleFeatures computes). */
export function relativeInputs(profile: FileProfile): Record<string, number> {
  const all = moduleCodeFeatures(profile);
  return Object.fromEntries(RELATIVE_FEATURES.map((name) => [name, all[name]]));
}

/** One norm per component key, from every module of the scan. */
export function componentNorms<K>(profiles: readonly FileProfile[], keyOf: (p: FileProfile) => K): Map<K, ComponentNorm> {
  const groups = new Map<K, Record<string, number>[]>();
  for (const p of profiles) {
    const k = keyOf(p);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(relativeInputs(p));
  }
  return new Map([...groups].map(([k, members]) => [k, componentNormOf(members)]));
}

/** `repo_<feature>`: the norm of the module's component (the corpus's typical value when unknown). */
export function repoFeatures(norm: ComponentNorm | undefined): Record<string, number> {
  return Object.fromEntries(RELATIVE_FEATURES.map((name) => [`repo_${name}`, norm?.norm[name] ?? TYPICAL[name] ?? 0]));
}
