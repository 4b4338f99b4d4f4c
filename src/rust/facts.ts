/**
 * One walk over a tree-sitter Rust tree: items with their attributes (PyO3's #[pymodule],
 * #[pyfunction], #[pyclass], #[pymethods], also under #[cfg_attr(…)]), functions with their
 * loops and scalar work, `use` roots, and what each #[pymodule] registers. Plain data out.
 */
import type { Node, Tree } from 'web-tree-sitter';

export type PyAttr = 'pyfunction' | 'pyclass' | 'pymethods' | 'pymodule';

export interface RustFunctionFact {
  /** Rust name, `Type::method` for methods. */
  name: string;
  line: number;
  endLine: number;
  loc: number;
  loops: number;
  /** Closures passed to iterator adaptors (`.map(|x| …)`, `.fold(…)`): loops written as chains. */
  iteratorClosures: number;
  /** Arithmetic, bit and comparison operators, and index expressions, anywhere in the body. */
  scalarOps: number;
  /** Set when PyO3 exposes it: the Python-visible name. */
  pyName?: string;
  pyKind?: 'function' | 'method';
  /** For methods: the Rust type of the impl block. */
  implType?: string;
}

export interface PyItemFact {
  /** Name Python sees (after `name = "…"`). */
  name: string;
  rustName: string;
  line: number;
}

export interface PyModuleFact extends PyItemFact {
  /** Names passed to wrap_pyfunction!/add_function, add_class::<T>, add_submodule / #[pymodule_export]. */
  registers: { functions: string[]; classes: string[]; submodules: string[] };
}

export interface RustFileFacts {
  loc: number;
  totalLines: number;
  syntaxErrors: number[];
  functions: RustFunctionFact[];
  pyfunctions: PyItemFact[];
  pyclasses: PyItemFact[];
  pymodules: PyModuleFact[];
  /** First path segment of every `use` (crate names, `std`, `crate`, `super`). */
  uses: string[];
  /** `extern crate` / #[napi] / #[wasm_bindgen] markers: other native bridges. */
  bridges: { kind: 'napi' | 'wasm-bindgen'; line: number }[];
}

const LOOP_TYPES = new Set(['for_expression', 'while_expression', 'loop_expression']);
const ITERATOR_ADAPTORS = new Set(['map', 'fold', 'filter', 'filter_map', 'for_each', 'flat_map', 'zip', 'scan', 'take_while', 'skip_while', 'any', 'all', 'position', 'reduce', 'try_fold', 'sum', 'product', 'windows', 'chunks']);
const SCALAR_OPERATORS = /^(\+|-|\*|\/|%|&|\||\^|<<|>>|<|>|<=|>=|==|!=)$/;

const line = (n: Node): number => n.startPosition.row + 1;
const endLine = (n: Node): number => n.endPosition.row + 1;

/** `#[pyo3::pyfunction]` → pyfunction; `#[cfg_attr(feature = "py", pyclass(name = "X"))]` → pyclass with its args. */
function readAttribute(item: Node): { name: string; args: string } | null {
  const attr = item.namedChildren.find((c) => c?.type === 'attribute');
  if (!attr) return null;
  const path = attr.namedChildren[0];
  if (!path) return null;
  const name = path.text.replace(/^::/, '').replace(/^pyo3::/, '');
  const args = attr.childForFieldName('arguments')?.text ?? '';
  if (name === 'cfg_attr') {
    const inner = /\b(pyfunction|pyclass|pymethods|pymodule|pyo3)\b\s*(\([^)]*\))?/.exec(args.replace(/\bpyo3::/g, ''));
    if (inner) return { name: inner[1], args: inner[2] ?? '' };
  }
  return { name, args };
}

const nameArg = (args: string): string | undefined => /\bname\s*=\s*"([^"]+)"/.exec(args)?.[1];

interface Pending {
  kinds: Set<string>;
  pyName?: string;
}

function emptyPending(): Pending {
  return { kinds: new Set() };
}

export function countRustLoc(source: string, tree: Tree): { loc: number; total: number } {
  const lines = source.split('\n');
  const commentOnly = new Set<number>();
  const stack: Node[] = [tree.rootNode];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'line_comment' || n.type === 'block_comment') {
      for (let r = n.startPosition.row; r <= n.endPosition.row; r++) {
        const before = r === n.startPosition.row ? lines[r].slice(0, n.startPosition.column) : '';
        const after = r === n.endPosition.row ? lines[r].slice(n.endPosition.column) : '';
        if (!before.trim() && !after.trim()) commentOnly.add(r);
      }
      continue;
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  let loc = 0;
  lines.forEach((l, i) => {
    if (l.trim() && !commentOnly.has(i)) loc++;
  });
  return { loc, total: lines.length };
}

export function extractRustFacts(tree: Tree, source: string): RustFileFacts {
  const { loc, total } = countRustLoc(source, tree);
  const facts: RustFileFacts = { loc, totalLines: total, syntaxErrors: [], functions: [], pyfunctions: [], pyclasses: [], pymodules: [], uses: [], bridges: [] };
  const pyclassNames = new Map<string, string>();
  const pymethodBlocks: { type: string; fns: RustFunctionFact[] }[] = [];

  /** Counts loops, iterator closures and scalar operators under a function body, skipping nested items. */
  function measure(body: Node | null, fn: RustFunctionFact, module: PyModuleFact | null): void {
    if (!body) return;
    const stack: Node[] = [body];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'function_item' && n !== body) continue;
      if (LOOP_TYPES.has(n.type)) fn.loops++;
      else if (n.type === 'binary_expression' || n.type === 'compound_assignment_expr') {
        const op = n.childForFieldName('operator')?.text ?? n.children.find((c) => c && !c.isNamed)?.text ?? '';
        if (SCALAR_OPERATORS.test(op.replace(/=$/, '')) || n.type === 'compound_assignment_expr') fn.scalarOps++;
      } else if (n.type === 'index_expression') fn.scalarOps++;
      else if (n.type === 'call_expression') {
        const callee = n.childForFieldName('function');
        const method = callee?.type === 'field_expression' ? callee.childForFieldName('field')?.text : callee?.type === 'generic_function' ? callee.childForFieldName('function')?.text.split('.').pop() : undefined;
        const args = n.childForFieldName('arguments');
        if (method && ITERATOR_ADAPTORS.has(method) && args?.namedChildren.some((a) => a?.type === 'closure_expression')) fn.iteratorClosures++;
        if (module && callee) recordRegistration(callee, n, module);
      } else if (n.type === 'macro_invocation' && module) {
        const macro = n.childForFieldName('macro')?.text ?? '';
        if (/wrap_pyfunction$/.test(macro)) {
          const first = n.namedChildren.find((c) => c?.type === 'token_tree')?.namedChildren[0];
          if (first) module.registers.functions.push(first.text.split('::').pop()!);
        }
      }
      for (const c of n.namedChildren) if (c) stack.push(c);
    }
  }

  function recordRegistration(callee: Node, call: Node, module: PyModuleFact): void {
    const text = callee.text;
    const cls = /\.add_class::<\s*([A-Za-z_][\w:]*)\s*>$/.exec(text);
    if (cls) module.registers.classes.push(cls[1].split('::').pop()!);
    if (/\.add_(submodule|wrapped)$/.test(text)) {
      const arg = call.childForFieldName('arguments')?.namedChildren[0]?.text ?? '';
      const wrapped = /wrap_pymodule!\(\s*([\w:]+)/.exec(arg);
      module.registers.submodules.push((wrapped?.[1] ?? arg).split('::').pop()!.replace(/^&/, ''));
    }
  }

  function functionFact(node: Node, implType: string | undefined): RustFunctionFact {
    const name = node.childForFieldName('name')?.text ?? '<anonymous>';
    return {
      name: implType ? `${implType}::${name}` : name, line: line(node), endLine: endLine(node),
      loc: endLine(node) - line(node) + 1, loops: 0, iteratorClosures: 0, scalarOps: 0, implType,
    };
  }

  /** Walks a list of items (a file, a mod body, an impl body), pairing each item with the attributes before it. */
  function walkItems(container: Node, implType: string | undefined, pymethods: boolean, inPyModule: PyModuleFact | null): void {
    let pending = emptyPending();
    for (const item of container.namedChildren) {
      if (!item) continue;
      if (item.type === 'attribute_item') {
        const attr = readAttribute(item);
        if (attr) {
          pending.kinds.add(attr.name);
          const renamed = nameArg(attr.args);
          if (renamed && (attr.name === 'pyo3' || attr.name.startsWith('py'))) pending.pyName = renamed;
          if (attr.name === 'napi') facts.bridges.push({ kind: 'napi', line: line(item) });
          if (attr.name === 'wasm_bindgen') facts.bridges.push({ kind: 'wasm-bindgen', line: line(item) });
        }
        continue;
      }
      if (item.type === 'line_comment' || item.type === 'block_comment') continue;
      const kinds = pending.kinds;
      const pyName = pending.pyName;
      pending = emptyPending();
      switch (item.type) {
        case 'use_declaration': {
          const arg = item.childForFieldName('argument')?.text ?? '';
          const root = arg.replace(/^::/, '').split(/::|\s|\{/)[0];
          if (root && !facts.uses.includes(root)) facts.uses.push(root);
          break;
        }
        case 'function_item': {
          const fn = functionFact(item, implType);
          const rustName = item.childForFieldName('name')?.text ?? '';
          const isModule = kinds.has('pymodule');
          const module: PyModuleFact | null = isModule ? { name: pyName ?? rustName, rustName, line: line(item), registers: { functions: [], classes: [], submodules: [] } } : null;
          measure(item.childForFieldName('body'), fn, module);
          if (module) facts.pymodules.push(module);
          if (kinds.has('pyfunction')) {
            fn.pyName = pyName ?? rustName;
            fn.pyKind = 'function';
            facts.pyfunctions.push({ name: fn.pyName, rustName, line: line(item) });
          } else if (pymethods && !kinds.has('new') && !kinds.has('getter') && !kinds.has('setter') && !kinds.has('classattr')) {
            fn.pyName = pyName ?? rustName;
            fn.pyKind = 'method';
          }
          facts.functions.push(fn);
          // Functions nested in a #[pymodule] fn body (declarative style) are walked too.
          const body = item.childForFieldName('body');
          if (body) walkItems(body, undefined, false, module ?? inPyModule);
          break;
        }
        case 'struct_item':
        case 'enum_item': {
          const rustName = item.childForFieldName('name')?.text ?? '';
          if (kinds.has('pyclass')) {
            facts.pyclasses.push({ name: pyName ?? rustName, rustName, line: line(item) });
            pyclassNames.set(rustName, pyName ?? rustName);
          }
          break;
        }
        case 'impl_item': {
          const type = item.childForFieldName('type')?.text.replace(/<.*$/, '') ?? '';
          const body = item.childForFieldName('body');
          if (!body) break;
          const before = facts.functions.length;
          walkItems(body, type, kinds.has('pymethods'), null);
          if (kinds.has('pymethods')) pymethodBlocks.push({ type, fns: facts.functions.slice(before) });
          break;
        }
        case 'mod_item': {
          const rustName = item.childForFieldName('name')?.text ?? '';
          const body = item.childForFieldName('body');
          let module: PyModuleFact | null = null;
          if (kinds.has('pymodule')) {
            module = { name: pyName ?? rustName, rustName, line: line(item), registers: { functions: [], classes: [], submodules: [] } };
            facts.pymodules.push(module);
          }
          if (body) walkItems(body, undefined, false, module ?? inPyModule);
          break;
        }
        default:
          break;
      }
      // #[pymodule_export] use …::name; in declarative modules
      if (inPyModule && kinds.has('pymodule_export') && item.type === 'use_declaration') {
        const last = (item.childForFieldName('argument')?.text ?? '').split('::').pop()!.replace(/[{};\s]/g, '');
        if (last) inPyModule.registers.functions.push(last);
      }
    }
  }

  walkItems(tree.rootNode, undefined, false, null);
  if (tree.rootNode.hasError) {
    const stack: Node[] = [tree.rootNode];
    while (stack.length && facts.syntaxErrors.length < 20) {
      const n = stack.pop()!;
      if (n.isError || n.isMissing) facts.syntaxErrors.push(line(n));
      else if (n.hasError) for (const c of n.children) if (c) stack.push(c);
    }
    facts.syntaxErrors.sort((a, b) => a - b);
  }
  for (const block of pymethodBlocks) {
    const cls = pyclassNames.get(block.type) ?? block.type;
    for (const fn of block.fns) if (fn.pyName) fn.pyName = `${cls}.${fn.pyName}`;
  }
  return facts;
}
