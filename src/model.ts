/** The result model shared by every stage. Reporters only render these records. */

export type PythonVerdict = 'keep-python' | 'pyo3-extension' | 'move-to-rust';
export type Verdict = PythonVerdict | 'keep-rust';
export const PYTHON_VERDICTS: readonly PythonVerdict[] = ['keep-python', 'pyo3-extension', 'move-to-rust'];
export const REWRITE_VERDICTS: readonly Verdict[] = ['pyo3-extension', 'move-to-rust'];

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
}

/** What a PyO3 extraction of the function would have to carry across the language boundary. */
export interface FunctionBoundary {
  params: { name: string; annotation?: string }[];
  returns?: string;
  hintCoverage: number;
  callsBackIntoPython: boolean;
  mutatesGlobals: boolean;
  doesIO: boolean;
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
}

export interface Warning {
  path: string;
  message: string;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'rustscout'; version: string };
  root: string;
  summary: Record<string, number>;
  components: ComponentReport[];
  modules: ModuleReport[];
  warnings: Warning[];
}
