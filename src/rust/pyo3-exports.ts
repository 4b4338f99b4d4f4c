/** What a Rust source file exports to Python through PyO3, read from the tree-sitter facts. */
import type { PyModuleFact, RustFileFacts } from './facts.js';

export interface Pyo3Item {
  /** The name Python sees. */
  name: string;
  /** The Rust item behind it (`Type::method` for methods). */
  rustName: string;
  line: number;
}

export interface Pyo3Exports {
  functions: Pyo3Item[];
  classes: Pyo3Item[];
  /** `Class.method` for methods of #[pymethods] blocks. */
  methods: Pyo3Item[];
  modules: (Pyo3Item & { registers: PyModuleFact['registers'] })[];
}

export function pyo3Exports(facts: RustFileFacts): Pyo3Exports {
  return {
    functions: facts.pyfunctions.map((f) => ({ ...f })),
    classes: facts.pyclasses.map((c) => ({ ...c })),
    methods: facts.functions.filter((f) => f.pyKind === 'method').map((f) => ({ name: f.pyName!, rustName: f.name, line: f.line })),
    modules: facts.pymodules.map((m) => ({ name: m.name, rustName: m.rustName, line: m.line, registers: m.registers })),
  };
}

export const pyo3ExportCount = (e: Pyo3Exports): number => e.functions.length + e.classes.length + e.modules.length;
