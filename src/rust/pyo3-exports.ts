/** What a Rust source file exports to Python through PyO3, read from its attributes. */
export interface Pyo3Exports {
  functions: { name: string; line: number }[];
  classes: { name: string; line: number }[];
  modules: { name: string; line: number }[];
  loc: number;
}

const ITEM_AFTER_ATTR = /^\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?(?:unsafe\s+)?(?:fn|struct|enum|mod)\s+([A-Za-z_][A-Za-z0-9_]*)/;

export function pyo3Exports(source: string): Pyo3Exports {
  const out: Pyo3Exports = { functions: [], classes: [], modules: [], loc: 0 };
  const lines = source.split('\n');
  let pending: 'function' | 'class' | 'module' | null = null;
  let renamed: string | null = null;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line && !line.startsWith('//')) out.loc++;
    if (/^#\[(pyo3::)?pyfunction\b/.test(line)) pending = 'function';
    else if (/^#\[(pyo3::)?pyclass\b/.test(line)) pending = 'class';
    else if (/^#\[(pyo3::)?pymodule\b/.test(line)) pending = 'module';
    const name = /#\[pyo3\(\s*name\s*=\s*"([^"]+)"/.exec(line) ?? /#\[pyclass\(\s*name\s*=\s*"([^"]+)"/.exec(line);
    if (name) renamed = name[1];
    if (!pending) return;
    const m = ITEM_AFTER_ATTR.exec(line);
    if (m) {
      const entry = { name: renamed ?? m[1], line: i + 1 };
      if (pending === 'function') out.functions.push(entry);
      else if (pending === 'class') out.classes.push(entry);
      else out.modules.push(entry);
      pending = null;
      renamed = null;
    }
  });
  return out;
}
