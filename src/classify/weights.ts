/**
 * Every weight and threshold of the classifier, in one place. A feature's value times its weight is
 * its contribution to the logit; the score is 100·sigmoid(bias + Σ contributions).
 *
 * Weights marked `fitted` come from a class-balanced, L2-regularised logistic regression over the
 * dev corpus (`npm run eval -- --fit` prints them; they are baked here so the product never reads
 * labels). The others are priors set by hand for signals the corpus hardly contains (web apps,
 * socket servers, NumPy pipelines); the fixtures pin them. Documented in the README ("Scoring
 * model"); tests/cli.test.ts and tests/classify/ pin the fixtures' verdicts against these numbers.
 */
export interface FeatureSpec {
  weight: number;
  /** Which evidence signals feed the feature (for the per-reason share of a contribution). */
  signals: string[];
  /** Fitted on the corpus (true) or a hand-set prior (false). */
  fitted: boolean;
  why: string;
}

export const FEATURES: Record<string, FeatureSpec> = {
  scalar_density: {
    weight: 1.44, signals: [], fitted: true,
    why: 'scalar operations (arithmetic, comparisons, bit ops, augmented assignment, ord/len/int…) per line of function body: each one is a bytecode dispatch and a boxed int or float in CPython, a machine instruction in Rust',
  },
  code_size: {
    weight: 0.555, signals: [], fitted: true,
    why: 'log2(1 + lines inside function bodies): how much code runs per call rather than once at import; a tiny module has too little to port',
  },
  object_loop_share: {
    weight: -1.69, signals: [], fitted: true,
    why: 'attribute lookups’ share of the work inside loops: a loop that walks Python objects (obj.x, self.y, bound methods) keeps paying the object model after a port; a loop over numbers, bytes or characters does not',
  },
  loop_call_density: {
    weight: -3.01, signals: [], fitted: true,
    why: 'calls inside loops per line of function body, cheap builtins (range, len, ord, min…) excepted: per-element calls into other Python code or libraries stay Python calls unless the callees come along',
  },
  while_density: {
    weight: 0.515, signals: [], fitted: true,
    why: 'while loops per 100 lines of function body: hand-written scanners and state machines stepping an index',
  },
  bit_density: {
    weight: 0.952, signals: [], fitted: true,
    why: 'bit operations (& | ^ << >> ~) per line of function body: boxed-int work, one instruction in Rust',
  },
  io_share: {
    weight: -1.5, signals: [], fitted: false,
    why: 'share of functions that call files, sockets, subprocesses, loggers or databases: their time goes to the I/O, not the interpreter',
  },
  coupling: {
    weight: -2.17, signals: [], fitted: true,
    why: 'share of its import statements that resolve to modules of the scanned repo (capped at 1): a module woven into its siblings cannot be lifted out; one that leans on the standard library alone can',
  },
  class_density: {
    weight: -2.56, signals: [], fitted: true,
    why: 'classes per 10 lines: object plumbing (attribute lookups, dispatch, many small methods) whose boundary to Rust is wide',
  },
  fan_in_share: {
    weight: 0.447, signals: [], fitted: true,
    why: 'log2(1 + 100 × share of its component’s modules that import it): a primitive everything else calls sits on every hot path',
  },
  vectorised: {
    weight: -0.35, signals: ['vectorised-call'], fitted: false,
    why: 'log2(1 + whole-array calls into NumPy/pandas/SciPy): the work already runs in native code',
  },
  array_element_loop: {
    weight: 0.6, signals: ['array-element-loop'], fitted: false,
    why: 'log2(1 + element-by-element indexing of arrays in Python loops): each access builds a NumPy scalar',
  },
  web_framework: {
    weight: -1.0, signals: ['web-framework'], fitted: false,
    why: 'web-framework request glue (routes, views): I/O-bound, its time goes to the database and network',
  },
  socket_server: {
    weight: 0.8, signals: ['socket-server'], fitted: false,
    why: 'runs its own socket server',
  },
  raw_framing: {
    weight: 0.3, signals: ['raw-framing'], fitted: false,
    why: 'log2(1 + byte-level framing calls: struct pack/unpack, recv/sendall)',
  },
};

/** Fitted −3.96, shifted −1.38 so score 50 sits where out-of-project (LOPO) scores reach recall 0.60. */
export const BIAS = -4.53;

/**
 * Each fitted feature's value in a typical module: its median over the dev corpus's 2,781 Python
 * modules. Contributions are measured from here — weight × (value − typical) — so a reason says
 * how far this module stands from an ordinary one (a module of ordinary size gets no "size"
 * reason); the logit itself is unchanged (the typical values move into the baseline). Features
 * not listed are 0 in a typical module (no web framework, no socket server, …).
 */
export const TYPICAL: Record<string, number> = {
  scalar_density: 0.155,
  code_size: 6.21,
  object_loop_share: 0.19,
  loop_call_density: 0.018,
  while_density: 0,
  bit_density: 0,
  io_share: 0,
  coupling: 0.571,
  class_density: 0.074,
  fan_in_share: 0.415,
};

export const THRESHOLDS = {
  /** Score at or above which a module is a rewrite candidate. */
  candidate: 50,
  /** Service logit at or above which a candidate (or a server) moves to Rust whole. */
  service: 2.0,
  /**
   * Score at or above which a function is listed as a kernel to extract: a function logit 3.98
   * above the bias (the verdict threshold sits 5.33 above it), as before the threshold moved.
   */
  kernel: 37,
  /** Modules with fewer lines of function body than this get low confidence whatever their score. */
  tinyModule: 25,
};

/** The standalone-program logit: a server, threads fighting the GIL, an entry point, few importers. */
export const SERVICE_FEATURES: Record<string, number> = {
  socket_server: 2.0,
  raw_framing: 0.5,
  entry_point: 0.5,
  gil_threads: 0.5,
  fan_in: -0.6,
  web_framework: -3.0,
};

/** What each service feature means (the explain trace). */
export const SERVICE_WHY: Record<string, string> = {
  socket_server: 'binds, listens and accepts on its own sockets',
  raw_framing: 'log2(1 + byte-level framing calls): speaks its own wire protocol',
  entry_point: 'has an `if __name__ == "__main__"` entry point: runs as a program',
  gil_threads: 'log2(1 + threads / process pools): concurrency that fights the GIL',
  fan_in: 'log2(1 + repo modules importing it): the more importers, the less it stands alone',
  web_framework: 'web-framework code: a rewrite buys little',
};
