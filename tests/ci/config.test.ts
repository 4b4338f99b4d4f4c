import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/classify/weights.js';
import { findConfig, loadConfig } from '../../src/config.js';
import type { Report } from '../../src/model.js';
import { cli, tempCopy } from './helpers.js';

function configIn(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const FILTERS = 'shopfront/imaging/filters.py';
/** Any real classifier feature (the set evolves with the classifier). */
const FEATURE = Object.keys(FEATURES)[0];

describe('findConfig', () => {
  it('takes the nearest rustscout.toml or pyproject.toml with [tool.rustscout], walking up to the git top', () => {
    const dir = tempCopy();
    mkdirSync(join(dir, '.git'));
    mkdirSync(join(dir, 'svc', 'api'), { recursive: true });
    expect(findConfig(join(dir, 'svc', 'api'))).toBeNull();
    configIn(dir, 'pyproject.toml', '[project]\nname = "x"\n\n[tool.rustscout]\nmin-score = 70\n');
    expect(findConfig(join(dir, 'svc', 'api'))).toBe(join(dir, 'pyproject.toml'));
    configIn(join(dir, 'svc', 'api'), 'pyproject.toml', '[project]\nname = "api"\n');
    expect(findConfig(join(dir, 'svc', 'api'))).toBe(join(dir, 'pyproject.toml'));
    configIn(join(dir, 'svc'), 'rustscout.toml', 'min-score = 80\n');
    expect(findConfig(join(dir, 'svc', 'api'))).toBe(join(dir, 'svc', 'rustscout.toml'));
  });
});

describe('loadConfig', () => {
  it('reads every key, rebases paths onto the config directory', () => {
    const dir = tempCopy();
    const file = configIn(dir, 'rustscout.toml', [
      'exclude = ["legacy/**", "**/gen_*.py"]',
      'gitignore = false',
      'fail-on = ["pyo3", "move-to-rust"]',
      'min-score = 60',
      'baseline = "ci/rustscout-baseline.json"',
      'report-unused-suppressions = true',
      '[weights]',
      `${FEATURE} = 0.7`,
      'bias = -3.0',
      '[[overrides]]',
      'paths = ["scripts/"]',
      'fail-on = []',
      '[[overrides]]',
      'paths = ["shopfront/imaging/*.py"]',
      'min-score = 90',
      'suppress = "owned by the imaging team"',
    ].join('\n'));
    const c = loadConfig(file, dir);
    expect(c.exclude).toEqual(['legacy/**', '**/gen_*.py']);
    expect(c.gitignore).toBe(false);
    expect(c.failOn).toEqual(['pyo3-extension', 'move-to-rust']);
    expect(c.minScore).toBe(60);
    expect(c.baseline).toBe(join(dir, 'ci', 'rustscout-baseline.json'));
    expect(c.reportUnusedSuppressions).toBe(true);
    expect(c.weights).toEqual({ [FEATURE]: 0.7, bias: -3 });
    expect(c.overrides).toHaveLength(2);
    expect(c.overrides[0].failOn).toEqual([]);
    expect(c.overrideMatches(c.overrides[0], 'scripts/one_off.py')).toBe(true);
    expect(c.overrideMatches(c.overrides[1], FILTERS)).toBe(true);
    expect(c.overrideMatches(c.overrides[1], 'shopfront/models.py')).toBe(false);
  });

  it('matches override paths relative to the config directory when scanning a subdirectory', () => {
    const dir = tempCopy();
    mkdirSync(join(dir, 'svc'));
    const file = configIn(dir, 'rustscout.toml', 'exclude = ["svc/legacy/**", "other/**", "**/gen/**"]\n[[overrides]]\npaths = ["svc/hot/*.py"]\nmin-score = 10\n');
    const c = loadConfig(file, join(dir, 'svc'));
    expect(c.exclude).toEqual(['legacy/**', '**/gen/**']);
    expect(c.overrideMatches(c.overrides[0], 'hot/kernel.py')).toBe(true);
    expect(c.overrideMatches(c.overrides[0], 'cold/kernel.py')).toBe(false);
  });

  const cases: [string, string, RegExp][] = [
    ['pyproject.toml', '[tool.rustscout]\nfail_on = ["pyo3"]\n', /pyproject\.toml: unknown key "tool\.rustscout\.fail_on" \(did you mean "fail-on"\?\)/],
    ['rustscout.toml', 'min-score = "high"\n', /rustscout\.toml: min-score: expected a whole number from 0 to 100, got "high"/],
    ['rustscout.toml', 'min-score = 101\n', /min-score: expected a whole number from 0 to 100, got 101/],
    ['rustscout.toml', 'fail-on = ["rewrite"]\n', /rustscout\.toml: fail-on: unknown verdict "rewrite"/],
    ['rustscout.toml', 'exclude = "a" \nexclude = "b"\n', /rustscout\.toml: invalid TOML at line 2/],
    ['rustscout.toml', '[weights]\nkernel_opz = 1\n', /unknown key "weights\.kernel_opz": not a classifier feature/],
    ['rustscout.toml', `[weights]\n${FEATURE} = "big"\n`, new RegExp(`weights\\.${FEATURE}: expected a number`)],
    ['rustscout.toml', '[[overrides]]\nfail-on = ["pyo3"]\n', /overrides\[0\]\.paths: missing/],
    ['rustscout.toml', '[[overrides]]\npaths = ["a/"]\nsupress = "x"\n', /unknown key "overrides\[0\]\.supress"/],
    ['rustscout.toml', 'gitignore = "no"\n', /gitignore: expected true or false/],
  ];
  for (const [name, text, error] of cases) {
    it(`rejects ${JSON.stringify(text.trim().split('\n').pop())} in ${name} with the file and key`, () => {
      const dir = tempCopy();
      const file = configIn(dir, name, text);
      expect(() => loadConfig(file, dir)).toThrow(error);
      expect(() => loadConfig(file, dir)).toThrow(file);
    });
  }
});

describe('configuration in the CLI', () => {
  it('a bad config exits 2 with one line naming the file and the key', async () => {
    const dir = tempCopy('webapp-with-kernel');
    configIn(dir, 'rustscout.toml', 'fail-on = ["pyo3"]\ncolour = true\n');
    const r = await cli(['scan', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(join(dir, 'rustscout.toml'));
    expect(r.stderr).toContain('"colour"');
  });

  it('applies fail-on, excludes and weights from [tool.rustscout]; CLI flags override them; --no-config ignores it', async () => {
    const dir = tempCopy('webapp-with-kernel');
    configIn(dir, 'pyproject.toml', '[project]\nname = "shopfront"\ndependencies = ["flask"]\n\n[tool.rustscout]\nfail-on = ["pyo3-extension"]\nexclude = ["shopfront/views/**"]\n');
    let r = await cli(['scan', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.modules.some((m) => m.path.startsWith('shopfront/views/'))).toBe(false);
    expect(report.ci?.config).toBe(join(dir, 'pyproject.toml'));
    r = await cli(['scan', dir, '--format', 'json', '--fail-on', 'move-to-rust']);
    expect(r.code).toBe(0);
    r = await cli(['scan', dir, '--format', 'json', '--no-config']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Report).modules.some((m) => m.path.startsWith('shopfront/views/'))).toBe(true);
  });

  it('passes weight overrides to the classifier', async () => {
    const dir = tempCopy('webapp-with-kernel');
    configIn(dir, 'rustscout.toml', '[weights]\nbias = -12.0\n');
    const r = await cli(['scan', dir, '--format', 'json']);
    const m = (JSON.parse(r.stdout) as Report).modules.find((x) => x.path === FILTERS)!;
    expect(m.verdict).toBe('keep-python');
    const plain = await cli(['scan', dir, '--format', 'json', '--no-config']);
    expect((JSON.parse(plain.stdout) as Report).modules.find((x) => x.path === FILTERS)!.verdict).toBe('pyo3-extension');
  });

  it('per-path overrides: suppress records a config suppression; fail-on = [] switches the gate off for those paths', async () => {
    const dir = tempCopy('webapp-with-kernel');
    configIn(dir, 'rustscout.toml', 'fail-on = ["pyo3-extension"]\n[[overrides]]\npaths = ["shopfront/imaging/"]\nfail-on = []\n');
    expect((await cli(['scan', dir])).code).toBe(0);
    configIn(dir, 'rustscout.toml', 'fail-on = ["pyo3-extension"]\n[[overrides]]\npaths = ["shopfront/imaging/"]\nsuppress = "owned by the imaging team"\n');
    const r = await cli(['scan', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    const m = (JSON.parse(r.stdout) as Report).modules.find((x) => x.path === FILTERS)!;
    expect(m.suppressed).toEqual({ kind: 'config', reason: 'owned by the imaging team', source: join(dir, 'rustscout.toml') });
  });

  it('--config reads an explicit file', async () => {
    const dir = tempCopy('webapp-with-kernel');
    const other = tempCopy();
    const file = configIn(other, 'ci.toml', 'min-score = 50\n');
    expect((await cli(['scan', dir, '--config', file])).code).toBe(1);
    expect((await cli(['scan', dir, '--config', join(other, 'missing.toml')])).code).toBe(2);
  });
});
