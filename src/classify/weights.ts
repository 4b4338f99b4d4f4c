/**
 * Every weight and threshold of the classifier, in one place. A feature's value times its weight is
 * its contribution to the logit; the score is 100·sigmoid(bias + Σ contributions).
 * Documented in the README ("Scoring model"); tests pin the fixtures' verdicts against these.
 */
export interface FeatureSpec {
  weight: number;
  /** Which evidence signals feed the feature (for the per-reason share of a contribution). */
  signals: string[];
  why: string;
}

export const FEATURES: Record<string, FeatureSpec> = {
  kernel_ops: { weight: 0.55, signals: ['scalar-loop'], why: 'log2(1 + scalar operations inside loops): interpreter overhead Rust removes' },
  kernel_density: { weight: 1.2, signals: ['scalar-loop'], why: 'scalar loop operations per line of code (capped at 1.5): how much of the module is kernel' },
  nested_ops: { weight: 0.25, signals: ['nested-loop'], why: 'log2(1 + operations in loops nested two deep or more)' },
  bit_ops: { weight: 0.35, signals: ['bit-twiddling'], why: 'log2(1 + bit operations in loops): boxed-int work, one instruction in Rust' },
  index_while: { weight: 0.3, signals: ['index-while-loop'], why: 'log2(1 + while loops stepping an index): hand-written scanners' },
  recursion: { weight: 0.2, signals: ['recursion'], why: 'has self-recursive functions: a Python frame per level' },
  element_generator: { weight: 0.15, signals: ['per-element-generator'], why: 'generators that yield per element' },
  array_element_loop: { weight: 0.6, signals: ['array-element-loop'], why: 'log2(1 + element-by-element indexing of arrays in Python loops)' },
  scalar_math: { weight: 0.1, signals: ['scalar-math'], why: 'log2(1 + scalar maths in loops)' },
  vectorised: { weight: -0.9, signals: ['vectorised-call'], why: 'log2(1 + whole-array calls into NumPy/pandas/SciPy): already native' },
  web_framework: { weight: -1.5, signals: ['web-framework'], why: 'web-framework request glue: I/O-bound' },
  socket_server: { weight: 0.8, signals: ['socket-server'], why: 'runs its own socket server' },
  raw_framing: { weight: 0.3, signals: ['raw-framing'], why: 'log2(1 + byte-level framing calls)' },
  fan_in: { weight: 0.15, signals: [], why: 'log2(1 + repo modules importing it): a shared library kernel' },
  small_module: { weight: -0.8, signals: [], why: '1 when the module has under 25 lines of code: too little to port' },
};

export const BIAS = -3.2;

export const THRESHOLDS = {
  /** Score at or above which a module is a rewrite candidate. */
  candidate: 50,
  /** Service logit at or above which a candidate (or a server) moves to Rust whole. */
  service: 2.0,
  /** Score at or above which a function is listed as a kernel to extract. */
  kernel: 45,
};

/** The standalone-program logit: a server, threads fighting the GIL, an entry point, few importers. */
export const SERVICE_FEATURES: Record<string, number> = {
  socket_server: 2.0,
  raw_framing: 0.5,
  entry_point: 0.5,
  fan_in: -0.6,
  web_framework: -3.0,
};
