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
    weight: 1.39, signals: [], fitted: true,
    why: 'scalar operations (arithmetic, comparisons, bit ops, augmented assignment, ord/len/int…) per line of function body: each one is a bytecode dispatch and a boxed int or float in CPython, a machine instruction in Rust',
  },
  repo_scalar_density: {
    weight: -3.65, signals: [], fitted: true,
    why: 'the scalar density of a typical module of this repo (its component’s median, blended with the corpus’s 0.155 over 100 pseudo-modules): where every module is dense with arithmetic (codecs, numeric packages), density is ordinary there and the module is judged against its siblings',
  },
  code_size: {
    weight: 0.714, signals: [], fitted: true,
    why: 'log2(1 + lines inside function bodies): how much code runs per call rather than once at import; a tiny module has too little to port',
  },
  object_loop_share: {
    weight: -1.52, signals: [], fitted: true,
    why: 'attribute lookups’ share of the work inside loops: a loop that walks Python objects (obj.x, self.y, bound methods) keeps paying the object model after a port; a loop over numbers, bytes or characters does not',
  },
  builtin_method_density: {
    weight: -15.5, signals: [], fitted: true,
    why: 'calls inside loops per line of function body to methods of builtin str/bytes/list/dict/set values (append, get, join, split, find, startswith…): the per-element work already runs in C, a port saves only the dispatch',
  },
  while_density: {
    weight: 0.546, signals: [], fitted: true,
    why: 'while loops per 100 lines of function body: hand-written scanners and state machines stepping an index',
  },
  bit_density: {
    weight: 0.952, signals: [], fitted: false,
    why: 'bit operations (& | ^ << >> ~) per line of function body: boxed-int work, one instruction in Rust (a prior at its earlier fitted value: the dev corpus ranks the same with it fitted (0.35), held or dropped, and it keeps a CRC loop a kernel)',
  },
  io_share: {
    weight: -1.5, signals: [], fitted: false,
    why: 'share of functions that call files, sockets, subprocesses, loggers or databases: their time goes to the I/O, not the interpreter',
  },
  coupling: {
    weight: -1.78, signals: [], fitted: true,
    why: 'share of its import statements that resolve to modules of the scanned repo (capped at 1): a module woven into its siblings cannot be lifted out; one that leans on the standard library alone can',
  },
  class_density: {
    weight: -1.75, signals: [], fitted: true,
    why: 'classes per 10 lines: object plumbing (attribute lookups, dispatch, many small methods) whose boundary to Rust is wide',
  },
  inherit_share: {
    weight: -1.355, signals: [], fitted: true,
    why: 'share of its classes that declare a base class: code built into a class hierarchy (handlers, protocols, transports, plug-ins of a framework) dispatches through inherited methods and overrides, and a port would have to carry the hierarchy across the boundary',
  },
  file_io: {
    weight: -0.49, signals: ['file-io'], fitted: true,
    why: 'log2(1 + file and console I/O call sites: open, os/shutil/pathlib file operations, print, sys.stdin/stdout): the layer that talks to the operating system waits on it, at the same speed in Rust',
  },
  fan_in_share: {
    weight: 0.388, signals: [], fitted: true,
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

/** Fitted −3.169, shifted −1.308 so score 50 sits where out-of-project (LOPO) scores reach recall 0.60. */
export const BIAS = -4.477;

/**
 * Each fitted feature's value in a typical module: its median over the dev corpus's 2,781 Python
 * modules. Contributions are measured from here — weight × (value − typical) — so a reason says
 * how far this module stands from an ordinary one (a module of ordinary size gets no "size"
 * reason); the logit itself is unchanged (the typical values move into the baseline). Features
 * not listed are 0 in a typical module (no web framework, no socket server, …).
 */
export const TYPICAL: Record<string, number> = {
  scalar_density: 0.155,
  /** a typical repo's norm is its typical module's density */
  repo_scalar_density: 0.155,
  code_size: 6.21,
  object_loop_share: 0.19,
  builtin_method_density: 0,
  while_density: 0,
  bit_density: 0,
  io_share: 0,
  coupling: 0.571,
  class_density: 0.074,
  inherit_share: 0.26,
  file_io: 0,
  fan_in_share: 0.415,
};

export const THRESHOLDS = {
  /** Score at or above which a module is a rewrite candidate. */
  candidate: 50,
  /** Service logit at or above which a candidate (or a server) moves to Rust whole. */
  service: 2.0,
  /**
   * Score at or above which a function is listed as a kernel to extract: a function logit 3.97
   * above the logit of an empty module in a typical repo (bias + the norm's typical term), where it
   * has sat since the verdict threshold moved to its LOPO place.
   */
  kernel: 37,
  /** Rewrite candidates with fewer lines of function body than this get low confidence whatever their score. */
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
