import { describe, expect, it } from 'vitest';
import { derivedClassShare, moduleFeatures } from '../../src/classify/features.js';
import { classifyModule } from '../../src/classify/classifier.js';
import { profileOf, py } from '../helpers.js';

const LINK = { fanIn: 0, fanOut: 0, componentModules: 1 };

/** A checksum loop, wrapped either as stand-alone classes or as handlers in a class hierarchy. */
const body = (bases: [string, string, string]): string => py`
  import abc

  class Base${bases[0]}:
      def feed(self, data):
          return self.crc(data)

  class Checksum${bases[1]}:
      def crc(self, data):
          crc = 0xFFFF
          for b in data:
              crc ^= b
              for _ in range(8):
                  crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
          return crc

  class Error${bases[2]}:
      pass
`;

describe('inherit_share: classes built into a hierarchy', () => {
  it('is the share of classes declaring a base class; object and metaclass= do not count', async () => {
    expect(derivedClassShare(await profileOf(body(['', '', ''])))).toBe(0);
    expect(derivedClassShare(await profileOf(body(['(object)', '(metaclass=abc.ABCMeta)', '(Exception)'])))).toBeCloseTo(1 / 3);
    expect(derivedClassShare(await profileOf(body(['(abc.ABC)', '(Base)', '(ValueError)'])))).toBe(1);
    expect(derivedClassShare(await profileOf('def f(x):\n    return x + 1\n'))).toBe(0);
  });

  it('lowers the score of the same code when its classes derive from others, with the first derived class as the line', async () => {
    const flat = classifyModule(await profileOf(body(['', '', ''])), LINK);
    const tree = classifyModule(await profileOf(body(['(abc.ABC)', '(Base)', '(ValueError)'])), LINK);
    expect(tree.features.inherit_share).toBe(1);
    expect(tree.logit).toBeLessThan(flat.logit);
    const reason = tree.reasons.find((r) => r.signal === 'inherit_share')!;
    expect(reason.contribution).toBeLessThan(0);
    expect(reason.line).toBe(3);
    expect(reason.message).toContain('3 of its 3 class(es) derive from another class');
  });
});

describe('file_io: modules that talk to files and the console', () => {
  it('counts file and console I/O call sites on a log scale and cites their lines', async () => {
    const src = py`
      import os

      def load(path):
          with open(path, 'rb') as fh:
              data = fh.read()
          total = 0
          for b in data:
              total = (total * 31 + b) & 0xFFFFFFFF
          print(total)
          os.remove(path)
          return total
    `;
    const p = await profileOf(src);
    // open, fh.read (on the file open made), print, os.remove
    expect(moduleFeatures(p, LINK).file_io).toBeCloseTo(Math.log2(1 + 4));
    const quiet = await profileOf(src.replace("    print(total)\n", '').replace('    os.remove(path)\n', '').replace("with open(path, 'rb') as fh:\n        data = fh.read()", 'data = path'));
    expect(moduleFeatures(quiet, LINK).file_io).toBe(0);
    const c = classifyModule(p, LINK);
    const io = c.reasons.filter((r) => r.signal === 'file-io');
    expect(io.length).toBeGreaterThan(0);
    expect(io.every((r) => r.contribution < 0 && r.line >= 3)).toBe(true);
    expect(c.logit).toBeLessThan(classifyModule(quiet, LINK).logit);
  });
});
