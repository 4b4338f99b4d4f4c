import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedFiles } from '../../src/ci/changed-files.js';
import { tempDir } from '../helpers.js';

describe('git commands on a hostile repository', () => {
  it('--changed-since runs none of the commands a planted .git/config names', async () => {
    const dir = tempDir('rs-hostile-git-');
    const marker = join(dir, 'PWNED');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    writeFileSync(join(dir, 'a.py'), 'x = 1\n');
    git('add', 'a.py');
    git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'init');
    writeFileSync(join(dir, '.gitattributes'), '*.py filter=evil diff=evil\n');
    git('config', 'filter.evil.clean', `touch ${marker}; cat`);
    git('config', 'filter.evil.process', `touch ${marker}`);
    git('config', 'diff.evil.textconv', `touch ${marker}; cat`);
    git('config', 'diff.external', `touch ${marker}`);
    git('config', 'core.fsmonitor', `touch ${marker}; echo`);
    writeFileSync(join(dir, 'a.py'), 'x = 2\n');
    const changed = await changedFiles(dir, 'HEAD');
    expect([...changed.files].sort()).toEqual(['.gitattributes', 'a.py']);
    expect(existsSync(marker)).toBe(false);
  });
});
