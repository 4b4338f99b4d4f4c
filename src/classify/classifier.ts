/** Scores a module from its named features; returns the verdict, its confidence and weighed reasons. */
import type { Evidence, FunctionSummary, PythonVerdict, Reason } from '../model.js';
import type { FileProfile } from '../profile.js';
import { functionFeatures, moduleFeatures, type LinkFacts } from './features.js';
import { BIAS, FEATURES, SERVICE_FEATURES, THRESHOLDS } from './weights.js';

export interface Classification {
  verdict: PythonVerdict;
  score: number;
  confidence: number;
  features: Record<string, number>;
  contributions: Record<string, number>;
  logit: number;
  serviceLogit: number;
  reasons: Reason[];
  functions: FunctionSummary[];
}

export type WeightOverrides = Record<string, number>;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const round2 = (x: number): number => Math.round(x * 100) / 100;

export function weightOf(feature: string, overrides: WeightOverrides = {}): number {
  return overrides[feature] ?? FEATURES[feature]?.weight ?? 0;
}

export function logitOf(features: Record<string, number>, overrides: WeightOverrides = {}): { logit: number; contributions: Record<string, number> } {
  const contributions: Record<string, number> = {};
  let logit = overrides.bias ?? BIAS;
  for (const [name, value] of Object.entries(features)) {
    const c = weightOf(name, overrides) * value;
    if (c !== 0) contributions[name] = round2(c);
    logit += c;
  }
  return { logit, contributions };
}

function serviceLogitOf(features: Record<string, number>): number {
  let z = 0;
  for (const [name, w] of Object.entries(SERVICE_FEATURES)) z += w * (features[name] ?? 0);
  return z;
}

/** Spreads each feature's contribution over the evidence that fed it, in proportion to its value. */
function weighReasons(evidence: Evidence[], contributions: Record<string, number>, overrides: WeightOverrides): Reason[] {
  const shares = new Map<Evidence, { weight: number; contribution: number }>();
  for (const [feature, spec] of Object.entries(FEATURES)) {
    const total = contributions[feature];
    if (!total) continue;
    const fed = evidence.filter((e) => spec.signals.includes(e.signal));
    const sum = fed.reduce((n, e) => n + e.value, 0) || 1;
    for (const e of fed) {
      const share = shares.get(e) ?? { weight: 0, contribution: 0 };
      share.weight += weightOf(feature, overrides);
      share.contribution += (total * e.value) / sum;
      shares.set(e, share);
    }
  }
  const reasons: Reason[] = [...shares].map(([e, s]) => ({ ...e, weight: round2(s.weight), contribution: round2(s.contribution) }));
  reasons.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.line - b.line);
  return reasons;
}

function confidenceOf(logit: number, contributions: Record<string, number>, loc: number): number {
  const threshold = Math.log(THRESHOLDS.candidate / (100 - THRESHOLDS.candidate));
  const margin = Math.abs(logit - threshold);
  let pos = 0;
  let neg = 0;
  for (const c of Object.values(contributions)) if (c > 0) pos += c; else neg -= c;
  const conflict = Math.max(pos, neg) > 0 ? Math.min(pos, neg) / Math.max(pos, neg) : 0;
  const size = Math.min(1, 0.5 + loc / 100);
  return round2(Math.max(0.05, Math.min(0.99, (0.4 + 0.55 * Math.tanh(margin / 2) - 0.3 * conflict) * size)));
}

export function classifyModule(profile: FileProfile, link: LinkFacts, overrides: WeightOverrides = {}): Classification {
  const features = moduleFeatures(profile, link);
  const { logit, contributions } = logitOf(features, overrides);
  const serviceLogit = serviceLogitOf(features);
  let score = Math.round(100 * sigmoid(logit));
  let verdict: PythonVerdict = 'keep-python';
  if (serviceLogit >= THRESHOLDS.service && (features.socket_server > 0 || score >= THRESHOLDS.candidate)) {
    verdict = 'move-to-rust';
    score = Math.max(score, Math.round(100 * sigmoid(logit + serviceLogit)));
  } else if (score >= THRESHOLDS.candidate) verdict = 'pyo3-extension';
  const functions: FunctionSummary[] = profile.functions
    .filter((fn) => fn.name !== '<module>' || fn.loopOps > 0)
    .map((fn) => {
      const f = functionFeatures(fn, profile);
      const s = Math.round(100 * sigmoid(logitOf(f, overrides).logit));
      return { name: fn.name, line: fn.line, endLine: fn.endLine, loc: fn.loc, score: s, signals: fn.signals, boundary: fn.boundary };
    })
    .sort((a, b) => b.score - a.score || a.line - b.line);
  return {
    verdict, score, confidence: confidenceOf(logit, contributions, profile.loc), features, contributions,
    logit: round2(logit), serviceLogit: round2(serviceLogit), reasons: weighReasons(profile.evidence, contributions, overrides), functions,
  };
}
