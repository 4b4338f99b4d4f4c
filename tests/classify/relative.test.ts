import { describe, expect, it } from 'vitest';
import { classifyModule } from '../../src/classify/classifier.js';
import { moduleFeatures } from '../../src/classify/features.js';
import { componentNormOf, componentNorms, median, NORM_PRIOR_MODULES, relativeInputs } from '../../src/classify/relative.js';
import { FEATURES, TYPICAL } from '../../src/classify/weights.js';
import { profileOf, py } from '../helpers.js';

/** A byte-level checksum: dense scalar work in one loop. */
const CHECKSUM = py`
  def adler32(data: bytes) -> int:
      a, b = 1, 0
      for byte in data:
          a = (a + byte) % 65521
          b = (b + a) % 65521
      return (b << 16) | a

  def fletcher16(data: bytes) -> int:
      s1 = s2 = 0
      i = 0
      n = len(data)
      while i < n:
          s1 = (s1 + data[i]) % 255
          s2 = (s2 + s1) % 255
          i += 1
      return (s2 << 8) | s1
`;

/** Configuration glue: no arithmetic at all. */
const SETTINGS = py`
  import os

  def setting(name, default=None):
      value = os.environ.get(name)
      if value is None:
          return default
      return value

  def flags(names):
      return {name: setting(name) for name in names}
`;

describe('repo norms: a module judged against its own repo', () => {
  it('blends a component median with the corpus typical value by how many modules back it', () => {
    const dense = Array.from({ length: 900 }, () => ({ scalar_density: 0.6 }));
    const big = componentNormOf(dense);
    expect(big.median.scalar_density).toBe(0.6);
    expect(big.norm.scalar_density).toBeCloseTo((900 * 0.6 + NORM_PRIOR_MODULES * TYPICAL.scalar_density) / (900 + NORM_PRIOR_MODULES), 9);
    // a one-module repo is judged almost exactly as a typical one
    const alone = componentNormOf([{ scalar_density: 0.6 }]);
    expect(Math.abs(alone.norm.scalar_density - TYPICAL.scalar_density)).toBeLessThan(0.005);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBe(0);
  });

  it('groups the modules of a scan by component and measures each module’s own density', async () => {
    const checksum = await profileOf(CHECKSUM, 'codecs/sum.py');
    const settings = await profileOf(SETTINGS, 'app/settings.py');
    expect(relativeInputs(checksum).scalar_density).toBeCloseTo(moduleFeatures(checksum, { fanIn: 0, fanOut: 0 }).scalar_density, 9);
    const norms = componentNorms([checksum, checksum, settings], (p) => p.path.split('/')[0]);
    expect(norms.get('codecs')?.modules).toBe(2);
    expect(norms.get('codecs')!.median.scalar_density).toBeGreaterThan(0.5);
    expect(norms.get('app')!.median.scalar_density).toBeLessThan(0.1);
  });

  it('scores the same dense module lower where every module is as dense, and says so with the numbers', async () => {
    const p = await profileOf(CHECKSUM);
    const own = relativeInputs(p).scalar_density;
    const link = { fanIn: 1, fanOut: 0, componentModules: 400 };
    const typicalRepo = classifyModule(p, link);
    const denseRepo = classifyModule(p, { ...link, norm: componentNormOf(Array.from({ length: 400 }, () => ({ scalar_density: own }))) });
    const plainRepo = classifyModule(p, { ...link, norm: componentNormOf(Array.from({ length: 400 }, () => ({ scalar_density: 0 }))) });
    expect(FEATURES.repo_scalar_density.weight).toBeLessThan(0);
    expect(denseRepo.logit).toBeLessThan(typicalRepo.logit);
    expect(plainRepo.logit).toBeGreaterThan(typicalRepo.logit);
    // without a norm the module is judged as in a typical repo: the norm term contributes nothing
    expect(typicalRepo.features.repo_scalar_density).toBe(TYPICAL.scalar_density);
    expect(typicalRepo.contributions.repo_scalar_density).toBeUndefined();
    const reason = denseRepo.reasons.find((r) => r.signal === 'repo_scalar_density');
    expect(reason?.contribution).toBeLessThan(0);
    expect(reason?.message).toMatch(/component's median \d\.\d\d over 400 module\(s\), blended with the corpus's 0\.155 over 100/);
    expect(reason?.message).toMatch(/this one has \d\.\d\d, \d\.\d× the repo's/);
  });

  it('leaves a one-module repo’s verdict where an ordinary repo would put it', async () => {
    const p = await profileOf(CHECKSUM);
    const link = { fanIn: 0, fanOut: 0, componentModules: 1 };
    const alone = classifyModule(p, { ...link, norm: componentNormOf([relativeInputs(p)]) });
    const typical = classifyModule(p, link);
    expect(alone.verdict).toBe(typical.verdict);
    expect(Math.abs(alone.logit - typical.logit)).toBeLessThan(0.1);
  });
});
