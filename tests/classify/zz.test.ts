import { expect, it } from 'vitest';
import { profileOf, py } from '../helpers.js';
it('tmp', async () => {
  const p = await profileOf(py`
    """Module doc."""
    import os

    def f(a):
        """Doc
        on two lines."""
        # comment

        return a + 1

    class K:
        "class doc"
        def m(self):
            x = 1
            return x
  `);
  console.log(p.metrics.docstringLines, p.functions.map((f) => [f.name, f.codeLines]));
});
