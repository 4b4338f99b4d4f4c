import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

function findPackageJson(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'package.json');
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8'));
      if (pkg.name === 'rustscout') return pkg.version as string;
    } catch {
      /* keep climbing */
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

export const TOOL_VERSION: string = findPackageJson();
