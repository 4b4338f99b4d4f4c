/**
 * Runtime profiles in one shape, whatever tool recorded them. Stack samplers (py-spy) give stacks
 * with a weight; Scalene gives per-line percentages that already separate Python, native and
 * system time. Both are read without trusting the file: bad input becomes a ProfileError.
 */

export type ProfileFormat = 'py-spy-speedscope' | 'py-spy-raw' | 'scalene';

/** One frame as the profiler named it: `file` exactly as recorded (absolute, relative, `<frozen …>`). */
export interface ProfileFrame {
  name: string;
  file: string;
  /** 0 when the profiler recorded no line (py-spy --nolineno). */
  line: number;
}

/** A sampled stack, outermost frame first, and how much it weighs (samples or seconds). */
export interface StackSample {
  frames: ProfileFrame[];
  weight: number;
}

/** Scalene's per-line record, in percent of the whole run's CPU time. */
export interface LineCost {
  file: string;
  line: number;
  python: number;
  native: number;
  system: number;
  mallocMb: number;
  copyMbPerSec: number;
}

export interface RuntimeProfile {
  /** The file it was read from, as given on the command line. */
  source: string;
  format: ProfileFormat;
  /** The tool and version when the file says (py-spy's `exporter`). */
  exporter?: string;
  /** Wall-clock length of the run when the file says (Scalene's elapsed_time_sec). */
  elapsedSeconds?: number;
  /** Whether the format separates pure-Python time from native time (Scalene: yes; py-spy: no). */
  separatesNative: boolean;
  stacks: StackSample[];
  lines: LineCost[];
}

export class ProfileError extends Error {}

/** A function's measured share of the run (fractions of the whole profiled run). */
export interface FunctionRuntime {
  name: string;
  line: number;
  share: number;
  pythonShare: number;
}

/**
 * What a profile measured for one module. Shares are fractions (0–1) of the whole profiled run.
 * `share`: time in the module's own lines plus in library code it called (for a stack sampler: the
 * samples whose innermost scanned frame lies in it). `pythonShare`: the part a Rust rewrite speeds
 * up — Scalene's pure-Python time; for py-spy, which cannot tell Python from native time, the
 * samples whose innermost frame is the module's own code (an upper bound: `pythonMeasured` false).
 */
export interface ModuleRuntime {
  /** The profile file the figures come from (the one measuring the most Python time here). */
  profile: string;
  format: ProfileFormat;
  share: number;
  pythonShare: number;
  pythonMeasured: boolean;
  /** Scalene only: native (C, NumPy, built-ins) and system time, memory allocated, copy volume. */
  nativeShare?: number;
  systemShare?: number;
  mallocMb?: number;
  copyMbPerSec?: number;
  /** Amdahl ceiling: the whole run's best speedup if this module's Python time ran s× faster. */
  ceiling: { unbounded: number; typical: number };
  /** The hottest lines, with the function holding each ('<module>' for top-level code). */
  hotLines: { line: number; share: number; function: string }[];
  functions: FunctionRuntime[];
  /** How the measurement changed the static verdict. */
  decision: 'confirmed' | 'downgraded' | 'promoted' | 'unchanged';
  /** The classifier's verdict before runtime evidence (set when the decision changed it). */
  staticVerdict?: string;
}

/** One profile's overall figures, for the report header. */
export interface ProfileSummary {
  source: string;
  format: ProfileFormat;
  exporter?: string;
  elapsedSeconds?: number;
  /** Fraction of the run whose stack reaches a scanned module (py-spy) or that lies in one (Scalene). */
  matchedShare: number;
  modulesMatched: number;
}

export interface RuntimeSummary {
  profiles: ProfileSummary[];
  /** The Rust speedup of pure-Python time assumed for the `typical` ceiling. */
  assumedSpeedup: number;
  /** Rewrites whose unbounded ceiling is below this are not recommended. */
  negligibleCeiling: number;
}
