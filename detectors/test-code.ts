import type { FunctionFacts } from '../src/python/facts.js';
import type { CodeDetector, Evidence, PyFileFacts } from './types.js';
import { evidence, fileIndex, plural, resolveDotted, rootOf } from './util.js';

const ID = 'test-code';
const TEST_SUITE_SIGNAL = 'test-suite';

/** The file's test-suite record, when its evidence says it is one. */
export function testSuiteOf(evidence: readonly Evidence[]): Evidence | undefined {
  return evidence.find((e) => e.signal === TEST_SUITE_SIGNAL);
}

/** The file's evidence says it is a test suite. */
export function isTestSuite(evidence: readonly Evidence[]): boolean {
  return testSuiteOf(evidence) !== undefined;
}

/** A file is a test suite when at least this share of its outer functions are shaped like tests. */
export const SUITE_SHARE = 0.5;
/** …and at least this many of them, or all of them when it has fewer (one uncalled void function that asserts beside others is a production module's check as often as a test). */
export const MIN_SUITE_TESTS = 2;

/**
 * Calls that assert (their last segment): unittest's `self.assertEqual`, NumPy's and pandas'
 * `assert_allclose` / `tm.assert_frame_equal`, nose's `assert_equal`, and the context managers that
 * expect an exception or a warning (`pytest.raises`, `raises`, `pytest.warns`, `self.assertRaises`).
 */
const ASSERTION_CALL = /^(assert(?:[A-Z_]\w*)?|raises|warns|deprecated_call)$/;

export function isAssertionCall(callee: string): boolean {
  const start = callee.lastIndexOf('.') + 1;
  const first = callee.charCodeAt(start);
  // a, r, w, d: every other call (nearly all of them) is dismissed without a slice or a match
  if (first !== 97 && first !== 114 && first !== 119 && first !== 100) return false;
  return ASSERTION_CALL.test(start ? callee.slice(start) : callee);
}

/**
 * The function of this file a call names, if any: a bare name in the caller's scopes (innermost
 * first), `self.m` / `cls.m` in the caller's class. `defined` holds the last segment of every
 * function's name: most calls name none of them and are dismissed without building a name.
 */
function calleeOf(caller: FunctionFacts, callee: string, byQualname: Map<string, FunctionFacts>, defined: Set<string>): FunctionFacts | undefined {
  const dot = callee.indexOf('.');
  if (dot < 0) {
    if (!defined.has(callee)) return undefined;
    const scope = caller.qualname.split('.');
    for (let n = scope.length; n >= 0; n--) {
      const found = byQualname.get([...scope.slice(0, n), callee].join('.'));
      if (found && found !== caller) return found;
    }
    return undefined;
  }
  if (!caller.isMethod || !(callee.startsWith('self.') || callee.startsWith('cls.'))) return undefined;
  const name = callee.slice(dot + 1);
  if (!defined.has(name)) return undefined;
  return byQualname.get([...caller.qualname.split('.').slice(0, -1), name].join('.'));
}

/** The function's own body asserts: an assert statement or an assertion call. */
function ownAssertion(fn: FunctionFacts): boolean {
  if (fn.all.asserts > 0) return true;
  for (let k = 0; k < fn.calls.length; k++) if (isAssertionCall(fn.calls[k].name)) return true;
  return false;
}

/** Frameworks whose decorators mark a function as test code: fixtures, parametrised tests, property tests, patches, skips, benchmarks. */
const TEST_FRAMEWORKS = new Set(['pytest', 'hypothesis', 'unittest', 'mock', 'nose', 'pytest_benchmark']);

/** A decorator of a test framework (`@pytest.fixture`, `@pytest.mark.parametrize(…)`, `@given(…)` from hypothesis, `@mock.patch(…)`), resolved through the file's imports. */
function testMarked(fn: FunctionFacts, imported: Map<string, string>): boolean {
  for (const d of fn.decorators) {
    const paren = d.indexOf('(');
    const resolved = resolveDotted(paren < 0 ? d : d.slice(0, paren), imported);
    if (resolved !== d && TEST_FRAMEWORKS.has(rootOf(resolved))) return true;
  }
  return false;
}

/** What the file's own code does with a function: is it called, does it (or what it calls) assert, does it end by checking. */
interface Role {
  fn: FunctionFacts;
  called: boolean;
  /** it carries a test framework's decorator */
  marked: boolean;
  /** it asserts, or calls (through any chain of this file's functions) one that does */
  reachesAssertion: boolean;
  /** this file's functions it calls, and the line of each call */
  callees: { fn: FunctionFacts; line: number }[];
  /** this file's functions that call it */
  callers: FunctionFacts[];
}

function rolesOf(file: PyFileFacts): Map<FunctionFacts, Role> {
  const byQualname = new Map<string, FunctionFacts>();
  const defined = new Set<string>();
  const roles = new Map<FunctionFacts, Role>();
  const imported = fileIndex(file).imported;
  const fns = file.functions;
  for (let i = 1; i < fns.length; i++) {
    const fn = fns[i];
    byQualname.set(fn.qualname, fn);
    defined.add(fn.name);
    roles.set(fn, { fn, called: false, marked: fn.decorators.length > 0 && testMarked(fn, imported), reachesAssertion: ownAssertion(fn), callees: [], callers: [] });
  }
  for (let i = 0; i < fns.length; i++) {
    const caller = fns[i];
    for (const call of caller.calls) {
      const callee = calleeOf(caller, call.name, byQualname, defined);
      if (!callee) continue;
      const called = roles.get(callee)!;
      called.called = true;
      const calling = roles.get(caller);
      if (!calling) continue; // top-level code
      calling.callees.push({ fn: callee, line: call.line });
      called.callers.push(caller);
    }
  }
  // from every function that asserts, back along the calls: linear in the calls, however long the chains
  const pending = [...roles.values()].filter((r) => r.reachesAssertion);
  for (let r = pending.pop(); r; r = pending.pop()) {
    for (const f of r.callers) {
      const caller = roles.get(f)!;
      if (caller.reachesAssertion) continue;
      caller.reachesAssertion = true;
      pending.push(caller);
    }
  }
  return roles;
}

/**
 * The last line a check of the function covers: an assert statement, an assertion call (the whole
 * `with pytest.raises(…):` block when it opens one), a call of a function of the file that asserts.
 */
function lastCheckLine(r: Role, roles: Map<FunctionFacts, Role>): number {
  const fn = r.fn;
  let last = fn.lastAssertLine;
  for (const call of fn.calls) {
    if (!isAssertionCall(call.name)) continue;
    last = Math.max(last, call.line);
    for (let w = 0; w < fn.withLines.length; w += 2) if (fn.withLines[w] === call.line) last = Math.max(last, fn.withLines[w + 1]);
  }
  for (const c of r.callees) if (roles.get(c.fn)!.reachesAssertion) last = Math.max(last, c.line);
  return last;
}

/**
 * Shaped like a test: a test runner's entry point rather than something the code uses — nothing in
 * the file calls it, it returns and yields nothing, and its last statement checks a result (arrange,
 * act, assert); or it carries a test framework's decorator (a fixture, a parametrised test, a
 * benchmark). A production function that asserts a precondition first and then does its work is not.
 */
function testShaped(r: Role, roles: Map<FunctionFacts, Role>): boolean {
  if (r.marked) return true;
  if (r.called || !r.reachesAssertion || r.fn.all.returns > 0 || r.fn.all.yields > 0) return false;
  return r.fn.lastStatementLine <= lastCheckLine(r, roles);
}

/** Functions not defined inside another function (module functions and methods). */
function outerFunctions(file: PyFileFacts): FunctionFacts[] {
  const plain = new Set<string>();
  for (const fn of file.functions) if (!fn.isMethod) plain.add(fn.qualname);
  return file.functions.slice(1).filter((fn) => {
    const q = fn.qualname;
    for (let dot = q.lastIndexOf('.'); dot > 0; dot = q.lastIndexOf('.', dot - 1)) if (plain.has(q.slice(0, dot))) return false;
    return true;
  });
}

/** The file's test functions when it is a test suite (at least SUITE_SHARE of its outer functions, and MIN_SUITE_TESTS of them or all, shaped like tests); none otherwise. */
export function suiteTests(file: PyFileFacts): { tests: FunctionFacts[]; outer: number } {
  if (!file.functions.some((fn) => ownAssertion(fn) || fn.decorators.length > 0)) return { tests: [], outer: 0 }; // most production files: nothing to work out
  const roles = rolesOf(file);
  const outer = outerFunctions(file);
  const tests = outer.filter((fn) => testShaped(roles.get(fn)!, roles));
  const needed = Math.max(SUITE_SHARE * outer.length, Math.min(MIN_SUITE_TESTS, outer.length));
  return { tests: tests.length > 0 && tests.length >= needed ? tests : [], outer: outer.length };
}

function detectTestCode(file: PyFileFacts): Evidence[] {
  const { tests, outer } = suiteTests(file);
  if (!tests.length) return [];
  const named = tests.slice(0, 3).map((fn) => `${fn.qualname} (line ${fn.line})`).join(', ');
  return [evidence(ID, TEST_SUITE_SIGNAL, tests.length, tests[0].line, undefined,
    `a test suite: ${tests.length} of its ${plural(outer, 'function')} are tests — nothing in the file calls them, they return nothing, and they end by checking a result, or they carry a test framework's decorator — e.g. ${named}${tests.length > 3 ? ', …' : ''}`)];
}

export const testCode: CodeDetector = {
  id: ID,
  docs: {
    what: 'Test suites. Signal `test-suite` (value: its tests; line: the first): at least half of the file\'s functions (methods included, nested ones not), and at least two of them or all, are shaped like tests — nothing in the file calls them, they return and yield nothing, and their last statement checks a result: an `assert` statement, an assertion call (`self.assertEqual`, `assert_allclose`, `tm.assert_frame_equal`, `raises`, or the block of `with pytest.raises(…):`), or a call of a function of the file that asserts; or they carry a decorator of pytest, hypothesis, unittest or mock, resolved through the imports (`@pytest.fixture`, `@pytest.mark.parametrize(…)`, `@given(…)`). A test suite is judged by its top-level code alone: its functions and the evidence found in them stay out of its score and kernels (its profile still describes the whole file, and it still counts toward its repo\'s norm).',
    why: 'A test checks results; it is on no production path, and its arithmetic builds expected values once. Porting it buys nothing, so its comparisons and arithmetic must not make it look like a kernel. A production function asserting a precondition does its work after the assertion, returns a value or is called: it is not shaped like a test.',
    example: 'def test_checksum():\n    data = bytes(range(256))\n    assert checksum(data) == 0x7f80\n\ndef test_empty():\n    with pytest.raises(ValueError):\n        checksum(b"")',
  },
  detect: detectTestCode,
};
