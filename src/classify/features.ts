/** Turns a file profile (and what the link stage knows of it) into the classifier's named features. */
import type { Evidence } from '../model.js';
import type { FileProfile, FunctionProfile } from '../profile.js';

export interface LinkFacts {
  fanIn: number;
  fanOut: number;
}

const log2p = (x: number): number => Math.log2(1 + Math.max(0, x));

function sumSignal(evidence: Evidence[], signal: string): number {
  let s = 0;
  for (const e of evidence) if (e.signal === signal) s += e.value;
  return s;
}

/** Features shared by modules and functions: computed from a set of evidence and a size. */
export function codeFeatures(evidence: Evidence[], loopOps: number, deepOps: number, loc: number): Record<string, number> {
  return {
    kernel_ops: log2p(loopOps),
    kernel_density: Math.min(1.5, loopOps / Math.max(loc, 20)),
    nested_ops: log2p(deepOps),
    bit_ops: log2p(sumSignal(evidence, 'bit-twiddling')),
    index_while: log2p(evidence.filter((e) => e.signal === 'index-while-loop').length),
    recursion: evidence.some((e) => e.signal === 'recursion') ? 1 : 0,
    element_generator: log2p(sumSignal(evidence, 'per-element-generator')),
    array_element_loop: log2p(sumSignal(evidence, 'array-element-loop')),
    scalar_math: log2p(sumSignal(evidence, 'scalar-math')),
    vectorised: log2p(sumSignal(evidence, 'vectorised-call')),
    web_framework: evidence.some((e) => e.signal === 'web-framework') ? 1 : 0,
    socket_server: evidence.some((e) => e.signal === 'socket-server') ? 1 : 0,
    raw_framing: log2p(sumSignal(evidence, 'raw-framing')),
  };
}

export function moduleFeatures(profile: FileProfile, link: LinkFacts): Record<string, number> {
  const loopOps = profile.functions.reduce((n, f) => n + f.loopOps, 0);
  const deepOps = profile.functions.reduce((n, f) => n + f.deepOps, 0);
  return {
    ...codeFeatures(profile.evidence, loopOps, deepOps, profile.loc),
    fan_in: log2p(link.fanIn),
    small_module: profile.loc < 25 ? 1 : 0,
    entry_point: profile.mainGuardLine !== null ? 1 : 0,
  };
}

export function functionFeatures(fn: FunctionProfile, profile: FileProfile): Record<string, number> {
  const key = fn.name === '<module>' ? undefined : fn.name;
  const evidence = profile.evidence.filter((e) => e.function === key);
  return codeFeatures(evidence, fn.loopOps, fn.deepOps, fn.loc);
}
