/** A small but varied Python repository written to a temp folder, for the cache and worker tests. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fixture, py } from '../helpers.js';

export const KERNEL = py`
  def checksum(data: bytes) -> int:
      total = 0
      for i in range(len(data)):
          b = data[i]
          total = (total * 31 + b) & 0xFFFFFFFF
          if b == 0x0A:
              total ^= i << 3
      return total
`;

function module(i: number): string {
  switch (i % 4) {
    case 0:
      return py`
        import numpy as np

        def normalise_${i}(frame):
            arr = np.asarray(frame, dtype=float)
            return (arr - arr.mean()) / arr.std()
      `;
    case 1:
      return py`
        def scale_${i}(pixels, width, height):
            out = [0] * (width * height)
            for y in range(height):
                for x in range(width):
                    v = pixels[y * width + x] * ${i + 2}
                    out[y * width + x] = v if v < 255 else 255
            return out
      `;
    case 2:
      return py`
        import json
        import requests

        class Client${i}:
            def __init__(self, base):
                self.base = base

            def fetch(self, key):
                reply = requests.get(self.base + "/" + key, timeout=5)
                return json.loads(reply.text)
      `;
    default:
      return py`
        from .helpers import KERNEL_${i}

        SETTINGS = {"retries": ${i}, "verbose": False}

        def configure(**overrides):
            merged = dict(SETTINGS)
            merged.update(overrides)
            return merged
      `;
  }
}

/** `count` modules in two packages, one with a syntax error, plus a copy of the web-app fixture. */
export function syntheticRepo(count = 40): string {
  const root = mkdtempSync(join(tmpdir(), 'rustscout-perf-'));
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  for (const pkg of ['alpha', 'beta']) write(`${pkg}/__init__.py`, '');
  for (let i = 0; i < count; i++) write(`${i % 2 ? 'beta' : 'alpha'}/mod_${i}.py`, module(i));
  write('alpha/kernel.py', KERNEL);
  write('beta/broken.py', 'def broken(:\n    return 1\n');
  write('requirements.txt', 'numpy\nrequests\n');
  cpSync(fixture('webapp-with-kernel'), join(root, 'webapp'), { recursive: true });
  return root;
}
