import { describe, expect, it } from 'vitest';
import { isAssertionCall, testCode } from '../../detectors/test-code.js';
import { classifyModule } from '../../src/classify/classifier.js';
import { componentNorms } from '../../src/classify/relative.js';
import { profileOf, py, run } from '../helpers.js';

/** Arithmetic-heavy checks of a checksum: dense scalar work, the shape that made test files look like kernels. */
const PYTEST_SUITE = py`
  from crc import crc16, adler

  def expected_adler(data):
      a, b = 1, 0
      for byte in data:
          a = (a + byte) % 65521
          b = (b + a) % 65521
      return (b << 16) | a

  def check_roundtrip(data):
      value = adler(data)
      assert value == expected_adler(data)
      assert value >> 16 <= 0xFFFF and value & 0xFFFF <= 0xFFFF

  def test_adler_known():
      data = bytes(range(256)) * 4
      total = 0
      for i in range(len(data)):
          total = (total * 31 + data[i] * (i % 7)) & 0xFFFF
      assert adler(data) == expected_adler(data)

  def test_adler_empty():
      check_roundtrip(b"")

  def test_crc_table():
      for n in range(256):
          c = n << 8
          for _ in range(8):
              c = ((c << 1) ^ 0x1021) if c & 0x8000 else c << 1
          assert crc16(bytes([n])) == (c & 0xFFFF) ^ (n * 0)

  def test_crc_rejects_text():
      with raises(TypeError):
          crc16("text")
`;

describe('test-code detector', () => {
  it('sees a pytest suite: uncalled functions that return nothing and assert, directly, through a helper or with raises', async () => {
    const ev = await run(testCode, PYTEST_SUITE);
    expect(ev).toHaveLength(1);
    expect(ev[0].signal).toBe('test-suite');
    expect(ev[0].value).toBe(4); // the four tests; expected_adler returns a value and check_roundtrip is called
    expect(ev[0].line).toBe(15);
    expect(ev[0].function).toBeUndefined();
    expect(ev[0].message).toContain('4 of its 6 functions are tests');
  });

  it('sees a unittest class whose methods call self.assert*: setUp neither asserts nor is called, and 2 of 3 is a suite', async () => {
    const ev = await run(testCode, py`
      import unittest

      class ParserChecks(unittest.TestCase):
          def setUp(self):
              self.parser = Parser(strict=True)

          def test_numbers(self):
              self.assertEqual(self.parser.parse("1 + 2"), 3)

          def test_errors(self):
              self.assertRaises(SyntaxError, self.parser.parse, "1 +")
    `);
    expect(ev.map((e) => [e.signal, e.value])).toEqual([['test-suite', 2]]);
  });

  it('leaves production code that asserts preconditions alone: its functions return values, or work after the assertion', async () => {
    const ev = await run(testCode, py`
      def checksum(data):
          assert isinstance(data, (bytes, bytearray))
          total = 0
          for b in data:
              total = (total + b) & 0xFFFF
          return total

      def fill(buf, value):
          assert len(buf) > 0
          for i in range(len(buf)):
              buf[i] = value

      def verify(packet):
          assert checksum(packet[:-2]) == int.from_bytes(packet[-2:], "big")
    `);
    // checksum returns; fill asserts first and does its work after; verify alone ends by checking: 1 of 3
    expect(ev).toEqual([]);
  });

  it('needs at least two test-shaped functions beside others, or all of them', async () => {
    const one = await run(testCode, py`
      def decompile(self, data):
          self.version = data[0]
          assert len(data) == 4

      def compile(self):
          return bytes([self.version, 0, 0, 0])
    `);
    expect(one).toEqual([]);
    const only = await run(testCode, py`
      def test_parse():
          assert parse("1") == 1
    `);
    expect(only.map((e) => e.value)).toEqual([1]);
  });

  it('names no function a test because of its name: test_* functions that do not assert are not tests', async () => {
    const ev = await run(testCode, py`
      def test_connection(host):
          return socket.create_connection((host, 80))

      def test_all(hosts):
          for h in hosts:
              test_connection(h)
    `);
    expect(ev).toEqual([]);
  });

  it('counts functions carrying a test framework\'s decorator, resolved through the imports: fixtures return values and benchmarks assert nothing', async () => {
    const ev = await run(testCode, py`
      import pytest
      from hypothesis import given, strategies as st

      @pytest.fixture(scope="session")
      def schema():
          return build_schema(strict=True)

      @pytest.mark.benchmark(group="validate")
      def test_validate(benchmark, schema):
          benchmark(schema.validate, {"a": 1})

      @given(st.integers())
      def test_roundtrip(n):
          encode(n)

      def build_schema(strict):
          return {"type": "int", "strict": strict}
    `);
    expect(ev.map((e) => [e.signal, e.value])).toEqual([['test-suite', 3]]);
    const own = await run(testCode, py`
      from registry import fixture, mark

      @fixture
      def load(path):
          return open(path).read()

      @mark("slow")
      def render(doc):
          return doc.upper()
    `);
    expect(own).toEqual([]); // decorators named like pytest's, from another library
  });

  it('follows a chain of 3,000 helper calls to the assertion at its end (propagated back along the calls, linear in them)', async () => {
    const chained = (test: string): string => {
      let body = `def ${test}():\n`;
      for (let i = 0; i < 1500; i++) body += i === 1499 ? `    def h${i}(x):\n        assert x\n` : `    def h${i}(x):\n        h${i + 1}(x)\n`;
      return `${body}    h0(1)\n\n`;
    };
    const ev = await run(testCode, chained('test_a') + chained('test_b'));
    expect(ev.map((e) => [e.signal, e.value])).toEqual([['test-suite', 2]]); // each ends by calling a helper that, 1,500 calls down, asserts
  });

  it('knows assertion calls by their callee, whatever the receiver', () => {
    for (const callee of ['self.assertEqual', 'np.testing.assert_allclose', 'tm.assert_frame_equal', 'assert_equal', 'pytest.raises', 'raises', 'pytest.warns']) {
      expect(isAssertionCall(callee), callee).toBe(true);
    }
    for (const callee of ['_assert_valid', 'assertion_error', 'self.check', 'raise_for_status']) expect(isAssertionCall(callee), callee).toBe(false);
  });
});

describe('a test suite in the verdict and the norm', () => {
  it('is judged by its top-level code alone: keep-python, saying why, where the same arithmetic as production code is a candidate', async () => {
    const suite = await profileOf(PYTEST_SUITE, 'tests/test_checksums.py');
    const production = await profileOf(PYTEST_SUITE.replace(/^( *)assert (.*)$/gm, '$1last = $2').replace(/with raises\(TypeError\):/, 'if strict:'), 'crc/reference.py');
    expect(production.evidence.some((e) => e.signal === 'test-suite')).toBe(false);
    expect(suite.functions).toHaveLength(production.functions.length); // the profile still describes the whole file
    const link = { fanIn: 0, fanOut: 0 };
    const kept = classifyModule(suite, link);
    expect(kept.verdict).toBe('keep-python');
    expect(kept.reasons[0].signal).toBe('test-suite');
    expect(kept.reasons[0].message).toContain('left out of the score');
    expect(kept.reasons.filter((r) => r.function !== undefined)).toEqual([]);
    expect(kept.functions).toEqual([]);
    const judged = classifyModule(production, link);
    expect(judged.verdict).toBe('pyo3-extension');
    expect(judged.score).toBeGreaterThan(kept.score + 30);
  });

  it('still counts, whole, toward the norm of its component (tests are written in their repo\'s idiom)', async () => {
    const suite = await profileOf(PYTEST_SUITE, 'pkg/tests/test_checksums.py');
    const plain = await profileOf(py`
      def describe(record):
          return record.name.title()
    `, 'pkg/describe.py');
    const norm = componentNorms([suite, plain], () => 'pkg').get('pkg')!;
    expect(norm.modules).toBe(2);
    expect(norm.median.scalar_density).toBeGreaterThan(componentNorms([plain], () => 'pkg').get('pkg')!.median.scalar_density);
  });
});
