import { describe, expect, it } from 'vitest';
import { futureImportProblem, python2StatementLine, statementLines, tabErrorLine } from '../../src/python/compile-checks.js';
import { py } from '../helpers.js';

describe('statementLines', () => {
  it('skips lines inside brackets, strings and backslash continuations', () => {
    const src = 'x = (1,\n\t2)\ns = """\n\tdoc\n"""\ny = 1 + \\\n\t2\n# comment\n\nz = "a#b"\n';
    expect(statementLines(src).map((s) => s.line)).toEqual([1, 3, 6, 10]);
  });
});

describe('tabErrorLine (CPython TabError)', () => {
  it('flags a tab-indented line whose meaning depends on the tab size', () => {
    expect(tabErrorLine('if x:\n\ty = 1\n        z = 2\n')).toBe(3);
    expect(tabErrorLine('if x:\n    if y:\n\tpass\n')).toBe(3);
  });
  it('accepts consistent tabs, tabs in one function and spaces in another, and tabs inside brackets', () => {
    expect(tabErrorLine('def f():\n\tif x:\n\t\treturn 1\n\treturn 2\n')).toBeNull();
    expect(tabErrorLine('def f():\n\treturn 1\n\ndef g():\n    return 2\n')).toBeNull();
    expect(tabErrorLine('def f():\n    return g(1,\n\t\t2)\n')).toBeNull();
    expect(tabErrorLine('def f():\n    s = """\n\tx\n    """\n    return s\n')).toBeNull();
  });
});

describe('futureImportProblem', () => {
  it('accepts futures after a docstring, comments and other futures', () => {
    expect(futureImportProblem(py`
      #!/usr/bin/env python
      """Module docstring
      over lines."""
      # a comment
      from __future__ import annotations
      from __future__ import (division,
                              print_function as pf)
      import os
    `)).toBeNull();
  });
  it('flags a future import after other code, an unknown feature, and braces', () => {
    expect(futureImportProblem('import os\nfrom __future__ import annotations\n')).toEqual({ line: 2, message: expect.stringMatching(/after other statements/) });
    expect(futureImportProblem('"""doc"""\n"""second"""\nfrom __future__ import division\n')?.line).toBe(3);
    expect(futureImportProblem('from __future__ import rested_snopes\n')?.message).toMatch(/unknown __future__ feature 'rested_snopes'/);
    expect(futureImportProblem('from __future__ import braces\n')?.message).toMatch(/not a chance/);
  });
  it('ignores future imports quoted inside strings', () => {
    expect(futureImportProblem('x = 1\ns = """\nfrom __future__ import annotations\n"""\n')).toBeNull();
  });
});

describe('python2StatementLine', () => {
  it('finds Python 2 print and exec statements', () => {
    expect(python2StatementLine('import sys\nprint "hello"\n')).toBe(2);
    expect(python2StatementLine('def f(x):\n    print x,\n')).toBe(2);
    expect(python2StatementLine('exec code in ns\n')).toBe(1);
  });
  it('does not mistake valid Python 3 for Python 2', () => {
    expect(python2StatementLine('print("x")\nprint >> sys.stderr, "m"\nprint\nexec(code)\nprint_x = 1\ns = """\nprint "quoted"\n"""\n')).toBeNull();
  });
});
