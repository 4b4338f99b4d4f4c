/** The result model shared by every stage. Reporters only render these records. */
import type { ModuleRuntime, RuntimeSummary } from './runtime/types.js';
import type { ModuleProfile } from './profile.js';
import type { ModuleDependencies } from './link/dependencies.js';
import type { FileHistory } from './link/git.js';

export type PythonVerdict = 'keep-python' | 'pyo3-extension' | 'move-to-rust';
/** TypeScript/JavaScript modules (src/typescript/classify.ts): keep, a Rust kernel as WebAssembly/napi-rs, or move the program. */
export type ScriptVerdict = 'keep-typescript' | 'keep-javascript' | 'wasm-extension' | 'move-to-rust';
export type Verdict = PythonVerdict | ScriptVerdict | 'keep-rust';
export const PYTHON_VERDICTS: readonly PythonVerdict[] = ['keep-python', 'pyo3-extension', 'move-to-rust'];
export const REWRITE_VERDICTS: readonly Verdict[] = ['pyo3-extension', 'move-to-rust', 'wasm-extension'];

/** One thing a detector saw, where it saw it, and how strongly (value, e.g. a count). */
export interface Evidence {
  detector: string;
  signal: string;
  value: number;
  line: number;
  message: string;
  /** Qualified name of the function the evidence lies in, when it lies in one. */
  function?: string;
}

/** Evidence after the classifier weighed it. */
export interface Reason extends Evidence {
  weight: number;
  /** weight × the feature's value as the classifier used it (its share of the score). */
  contribution: number;
}

export interface FunctionSummary {
  name: string;
  line: number;
  endLine: number;
  loc: number;
  score: number;
  signals: Record<string, number>;
  boundary?: FunctionBoundary;
  /** Content fingerprint of the function's normalised tokens (src/ci/fingerprints.ts). */
  fingerprint?: string;
  /** Set when a `# rustscout: keep-python` comment (or the config) suppresses this function's finding. */
  suppressed?: Suppression;
}

/** What a PyO3 extraction of the function would have to carry across the language boundary. */
export interface FunctionBoundary {
  params: { name: string; annotation?: string }[];
  returns?: string;
  hintCoverage: number;
  callsBackIntoPython: boolean;
  /** Calls to passed-in callables inside loops: each one a Python call per iteration across the boundary. */
  callbacksInLoop?: number;
  mutatesGlobals: boolean;
  doesIO: boolean;
  /** Yields: a generator, which PyO3 has to expose as an iterator object. */
  generator?: boolean;
  /** Why `easy` is false, in words (empty when easy). */
  obstacles?: string[];
  easy: boolean;
}

export interface ModuleReport {
  path: string;
  language: 'python' | 'rust' | 'typescript' | 'javascript';
  component: string | null;
  verdict: Verdict;
  score: number;
  confidence: number;
  loc: number;
  reasons: Reason[];
  functions: FunctionSummary[];
  /** Every named feature value the classifier used (the `explain` trace). */
  features: Record<string, number>;
  evidence: Evidence[];
  imports: { fanIn: number; fanOut: number; importedBy: string[] };
  /** With --profile: what the runtime profiles measured for the module (src/runtime/). */
  runtime?: ModuleRuntime;
  /** With --format html: source lines around the evidence, for the report (src/report/html/excerpts.ts). */
  excerpts?: CodeExcerpt[];
  /** Content fingerprint of the module's normalised tokens: survives moved lines and renames. */
  fingerprint?: string;
  /** Total lines in the file (the region of a module-level finding). */
  lines?: number;
  /** Set when the module's finding is suppressed (in-source comment or config override). */
  suppressed?: Suppression;
  /** Every `# rustscout: keep-python` comment in the module and whether it suppressed anything. */
  suppressions?: SuppressionDirective[];
  /** With --baseline: how the module compares with the baseline. */
  baseline?: BaselineState;
  /** Python modules only: the repo's own native extension it imports or mirrors (src/rust/link.ts). */
  native?: NativeLink;
  /** Python modules only: the aggregate of its functions (hot functions, hottest kernel, hint coverage). */
  profile?: ModuleProfile;
  /** Python modules only: third-party imports and which have a Rust counterpart (src/link/dependencies.ts). */
  dependencies?: ModuleDependencies;
  /** Git history of the file when the root is in a git repository and --no-git is not given (src/link/git.ts). */
  history?: FileHistory;
}

/** One source line quoted in the report (untrusted text: renderers escape it). */
export interface CodeExcerpt {
  line: number;
  text: string;
}

export type ComponentKind = 'python-package' | 'cargo-crate' | 'npm-package';

export interface ComponentReport {
  name: string;
  kind: ComponentKind;
  path: string;
  manifests: string[];
  dependencies: string[];
  modules: number;
  loc: number;
  verdict: Verdict | null;
  summary: Partial<Record<Verdict, number>>;
  facts: Record<string, string | number | boolean>;
  /** Python components whose modules this component's modules import (src/link/import-graph.ts). */
  imports?: string[];
}

/** Why a file or manifest was skipped or only partly used (stable ids, e.g. for SARIF notifications). */
export type WarningCode =
  | 'unreadable' | 'not-a-file' | 'outside-root' | 'symlink' | 'too-large' | 'binary' | 'encoding'
  | 'syntax-error' | 'indentation' | 'parse-timeout' | 'unsupported-language' | 'analysis-failed' | 'manifest' | 'profile'
  | 'git-history' | 'cache';

export interface Warning {
  path: string;
  message: string;
  /** Set by the robustness layer (read, discover, analyse, manifests); absent on older producers. */
  code?: WarningCode;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'rustscout'; version: string };
  root: string;
  summary: Record<string, number>;
  components: ComponentReport[];
  modules: ModuleReport[];
  warnings: Warning[];
  /** With --profile: the profiles read and the assumptions of the Amdahl ceilings. */
  runtime?: RuntimeSummary;
  /** The CI view (src/ci/): one record per finding, suppressed ones included. */
  findings?: Finding[];
  /** What the CI stage did: changed-files scope, baseline comparison, fail-on outcome. */
  ci?: CiContext;
  /** Polyglot repos: the repo's own PyO3 extensions, Python↔Rust twin pairs, and the native share of hot code. */
  native?: NativeSummary;
}

// ── Polyglot: the repo's own native code (src/rust/, README "## Polyglot repos") ──────────────

/** A Python function (or class) that a Rust item of the repo's own PyO3 crate mirrors by name. */
export interface NativeTwin {
  function: string;
  line: number;
  rust: { crate: string; path: string; function: string; line: number };
  /** Test modules that import both the twin's module and the extension (empty: no parity test). */
  parityTests: string[];
}

export interface NativeLink {
  /** Dotted Python name of the extension module (`geostats._geokernel`). */
  extension: string;
  crate: string;
  /** Line of the import of the extension, when the module imports it. */
  importLine?: number;
  twins: NativeTwin[];
  /** No kernel function without a Rust twin remains in the module (a pyo3-extension verdict is then withdrawn). */
  fullyBacked: boolean;
}

export interface NativeSummary {
  extensions: { crate: string; module: string; build?: string; importedBy: string[] }[];
  pairs: (NativeTwin & { path: string })[];
  untestedTwins: number;
  /** Lines of hot code (kernel functions) in the repo, and how many of them are already compiled Rust. */
  hotLoc: number;
  nativeHotLoc: number;
  /** nativeHotLoc / hotLoc (0 when the repo has no hot code). */
  share: number;
  kernels: { rust: number; python: number; pythonMirrored: number; script: number };
}

// ── CI: suppressions, baselines, findings (src/ci/, README "## CI") ─────────────────────────

/** A human decision recorded against a finding. `module`/`function`: an in-source comment; `config`: a per-path override. */
export interface Suppression {
  kind: 'module' | 'function' | 'config';
  reason: string;
  /** Line of the comment (in-source suppressions). */
  line?: number;
  /** The config file holding the override (config suppressions). */
  source?: string;
}

/** A `# rustscout: keep-python -- reason` comment, where it applies, and whether it suppressed a finding. */
export interface SuppressionDirective {
  line: number;
  scope: 'module' | 'function';
  /** Qualified name of the function it applies to (scope `function`). */
  function?: string;
  reason: string;
  used?: boolean;
}

export type BaselineState = 'new' | 'worse' | 'unchanged';

/** Content-derived facts computed per file next to the profile (src/ci/content-facts.ts). */
export interface ContentFacts {
  fingerprint: string;
  lines: number;
  functions: { name: string; line: number; fingerprint: string }[];
  suppressions: SuppressionDirective[];
}

export type FindingKind = 'pyo3-extension' | 'move-to-rust' | 'wasm-extension' | 'kernel-function' | 'unused-suppression';

export interface Finding {
  /** Stable public rule id (RS001…), see README "SARIF rules". */
  ruleId: string;
  kind: FindingKind;
  level: 'error' | 'warning' | 'note';
  path: string;
  function?: string;
  line: number;
  endLine: number;
  score: number;
  message: string;
  /** Content-based fingerprint (no line numbers): the SARIF partialFingerprints value. */
  fingerprint: string;
  suppressed?: Suppression;
  baseline?: BaselineState;
}

export interface CiContext {
  config?: string;
  /** The scanned root relative to the git work tree ('' when they are the same). */
  repoPath?: string;
  /** Prefix for links to source lines (e.g. https://github.com/o/r/blob/<sha>/). */
  linkBase?: string;
  changedSince?: { ref: string; base: string; changedModules: number };
  baseline?: { file: string; new: number; worse: number; unchanged: number };
  failOn?: { verdicts: Verdict[]; minScore?: number; failing: string[] };
}
