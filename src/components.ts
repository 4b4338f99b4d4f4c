/** Groups files into components: Python projects and packages, Cargo crates, npm packages. */
import { posix } from 'node:path';
import type { ManifestFacts } from '../detectors/manifests.js';
import type { ComponentKind } from './model.js';

export interface Component {
  name: string;
  kind: ComponentKind;
  /** Directory relative to the root ('' = the root). */
  dir: string;
  manifests: ManifestFacts[];
}

const PYTHON_MANIFESTS = new Set(['pyproject', 'setup-cfg', 'setup-py', 'pipfile', 'requirements']);

function kindOf(m: ManifestFacts): ComponentKind | null {
  if (m.kind === 'cargo') return 'cargo-crate';
  if (m.kind === 'package-json') return 'npm-package';
  if (PYTHON_MANIFESTS.has(m.kind)) return 'python-package';
  return null;
}

const dirOf = (p: string): string => (posix.dirname(p) === '.' ? '' : posix.dirname(p));

/**
 * One component per manifest directory and kind, plus one per top-level Python package that no
 * Python manifest covers.
 */
export function findComponents(manifests: ManifestFacts[], packageDirs: Set<string>, rootName = '(root)'): Component[] {
  const byKey = new Map<string, Component>();
  for (const m of manifests) {
    const kind = kindOf(m);
    if (!kind) continue;
    const dir = dirOf(m.path);
    const key = `${kind}:${dir}`;
    let c = byKey.get(key);
    if (!c) {
      c = { name: '', kind, dir, manifests: [] };
      byKey.set(key, c);
    }
    c.manifests.push(m);
    if (m.name && (!c.name || m.kind !== 'requirements')) c.name = m.name;
  }
  for (const dir of packageDirs) {
    if (dir === '' || packageDirs.has(dirOf(dir))) continue; // not top-level
    const covered = [...byKey.values()].some((c) => c.kind === 'python-package' && (c.dir === '' || dir === c.dir || dir.startsWith(c.dir + '/')));
    if (!covered) byKey.set(`python-package:${dir}`, { name: posix.basename(dir), kind: 'python-package', dir, manifests: [] });
  }
  const out = [...byKey.values()];
  for (const c of out) if (!c.name) c.name = c.dir ? posix.basename(c.dir) : rootName;
  return out.sort((a, b) => b.dir.length - a.dir.length || a.dir.localeCompare(b.dir));
}

/** The innermost component of the right family that contains `path`. */
export function componentOf(path: string, components: Component[], kinds: ComponentKind[]): Component | null {
  for (const c of components) {
    if (!kinds.includes(c.kind)) continue;
    if (c.dir === '' || path.startsWith(c.dir + '/')) return c;
  }
  return null;
}
