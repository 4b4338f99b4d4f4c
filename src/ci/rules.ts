/**
 * The public rule catalogue. Rule ids are a public interface (SARIF `ruleId`, dismissed alerts in
 * GitHub code scanning, baselines): never renumber or reuse one; retire and add instead.
 */
import type { FindingKind } from '../model.js';

export interface RuleSpec {
  id: string;
  /** PascalCase name (SARIF `rule.name`). */
  name: string;
  /** Kebab-case name: the human-facing name (and the README's heading for the rule). */
  slug: string;
  kind: FindingKind;
  level: 'error' | 'warning' | 'note';
  short: string;
  full: string;
  /** Markdown help: everything a reader needs, since the SARIF log carries no link to documentation. */
  help: string;
  tags: string[];
}

export const RULES: readonly RuleSpec[] = [
  {
    id: 'RS001', name: 'Pyo3ExtensionCandidate', slug: 'pyo3-extension-candidate', kind: 'pyo3-extension', level: 'warning',
    short: 'Module holds CPU-bound pure-Python kernels worth a PyO3 extension',
    full: 'The module spends its work in scalar loops over numbers, bytes or characters that the CPython interpreter executes one boxed object at a time. Extracting its kernel functions into a PyO3 extension keeps the codebase in Python while the hot loops run as compiled Rust.',
    help: [
      '**PyO3 extension candidate.** The module holds CPU-bound pure-Python kernels: scalar loops over numbers, bytes or characters.',
      '',
      'Each kernel function is reported separately (RS003) with the boundary it would have. Extract those functions into a PyO3 crate (e.g. built with maturin) and import them from Python; keep the rest of the module as it is.',
      '',
      'If this is a deliberate decision to keep the code in Python, record it next to the code:',
      '',
      '```python',
      '# rustscout: keep-python -- reason',
      '```',
    ].join('\n'),
    tags: ['performance', 'rust', 'pyo3'],
  },
  {
    id: 'RS002', name: 'MoveToRustCandidate', slug: 'move-to-rust-candidate', kind: 'move-to-rust', level: 'warning',
    short: 'Standalone program whose cost is its own: a candidate to move to Rust whole',
    full: 'The module is a standalone program (a raw socket server with its own framing, threads fighting the GIL, an entry point) that few Python modules import. Its cost is CPU, memory or concurrency of its own, so it would be better as a Rust program than as a Python module with an extension.',
    help: [
      '**Move-to-Rust candidate.** The module behaves like a standalone program: its own server loop and framing, threads or processes working around the GIL, an entry point, and few importers.',
      '',
      'Consider rewriting the component as a Rust binary (e.g. tokio for the server) and talking to it over its protocol instead of importing it.',
      '',
      'To record a decision to keep it in Python: `# rustscout: keep-python -- reason` at the top of the module.',
    ].join('\n'),
    tags: ['performance', 'rust', 'concurrency'],
  },
  {
    id: 'RS003', name: 'KernelFunction', slug: 'kernel-function', kind: 'kernel-function', level: 'note',
    short: 'Function is a CPU-bound kernel to extract into Rust',
    full: 'A function inside a PyO3-extension candidate module whose own score marks it as a kernel: scalar operations inside (nested) loops. The finding names the boundary a Rust version would have: parameters, return type, callbacks into Python, global mutation and I/O.',
    help: [
      '**Kernel function.** A CPU-bound function inside a PyO3-extension candidate module (RS001).',
      '',
      'It is easiest to extract when it takes and returns plain values (numbers, bytes, str, lists of them), does no I/O, does not call back into Python and mutates no globals; the JSON report carries that boundary per function.',
      '',
      'To record a decision to keep this function in Python, put `# rustscout: keep-python -- reason` on its `def` line or directly above it.',
    ].join('\n'),
    tags: ['performance', 'rust', 'pyo3'],
  },
  {
    id: 'RS004', name: 'UnusedSuppression', slug: 'unused-suppression', kind: 'unused-suppression', level: 'note',
    short: 'A rustscout suppression comment suppresses nothing',
    full: 'A `# rustscout: keep-python` (Python) or `// rustscout: keep-typescript` (TypeScript/JavaScript) comment whose module or function has no finding to suppress (any longer). Reported only with --report-unused-suppressions.',
    help: [
      '**Unused suppression.** The `# rustscout: keep-python` or `// rustscout: keep-typescript` comment applies to a module or function that has no rewrite finding, so it records nothing.',
      '',
      'Remove it, or move it onto the `def` line (or directly above it) of the function it was meant for.',
    ].join('\n'),
    tags: ['maintainability'],
  },
  {
    id: 'RS005', name: 'WasmExtensionCandidate', slug: 'wasm-extension-candidate', kind: 'wasm-extension', level: 'warning',
    short: 'TypeScript/JavaScript module holds a CPU-bound kernel worth a Rust crate (WebAssembly or napi-rs)',
    full: 'The TypeScript or JavaScript module spends its work in scalar loops, typed arrays or byte scanning. A Rust kernel compiled to WebAssembly (wasm-bindgen) or a napi-rs addon keeps the program in TypeScript while the loop runs as compiled code.',
    help: [
      '**WebAssembly / napi-rs candidate.** The module holds a CPU-bound kernel: scalar loops over numbers, typed arrays or bytes.',
      '',
      'Move the kernel into a Rust crate built with wasm-bindgen (browser or Node) or napi-rs (Node) and call it from the module.',
      '',
      'To record a decision to keep it in TypeScript/JavaScript, at the top of the module (or above each kernel function):',
      '',
      '```ts',
      '// rustscout: keep-typescript -- reason',
      '```',
    ].join('\n'),
    tags: ['performance', 'rust', 'wasm'],
  },
];

export const RULE_BY_KIND: Record<FindingKind, RuleSpec> = Object.fromEntries(RULES.map((r) => [r.kind, r])) as Record<FindingKind, RuleSpec>;

/**
 * The rule's help as plain text (SARIF `help.text`, which GitHub requires and shows when a viewer
 * does not render `help.markdown`): code fences, backticks and emphasis markers removed.
 */
export const helpTextOf = (rule: RuleSpec): string => rule.help.replace(/```\w*\n?/g, '').replace(/[`*]/g, '');
