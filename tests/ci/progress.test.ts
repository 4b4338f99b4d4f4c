import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/progress.js';
import { fixture } from '../helpers.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, gitRepo, tempCopy } from './helpers.js';

function sink(isTTY: boolean, verbose: boolean) {
  let out = '';
  let clock = 0;
  const p = progressReporter({ write: (t) => (out += t), isTTY, verbose, columns: 60, now: () => (clock += 100) });
  return { p, out: () => out };
}

describe('progress', () => {
  it('draws a redrawn bar with files done/total on a terminal and clears it at the end', () => {
    const { p, out } = sink(true, false);
    for (let i = 1; i <= 4; i++) p.onProgress!(i, 4);
    p.done();
    expect(out()).toContain('\r\u001b[2Krustscout [');
    expect(out()).toContain(' 2/4 files');
    expect(out()).toContain(' 4/4 files');
    expect(out().endsWith('\r\u001b[2K')).toBe(true);
    expect(out()).not.toContain('\n');
  });

  it('is silent when stderr is not a terminal, and prints plain lines every 10 % with --verbose', () => {
    const quiet = sink(false, false);
    expect(quiet.p.onProgress).toBeUndefined();
    const verbose = sink(false, true);
    for (let i = 1; i <= 40; i++) verbose.p.onProgress!(i, 40);
    const lines = verbose.out().trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('rustscout: analysed 4/40 files');
    expect(lines[9]).toBe('rustscout: analysed 40/40 files');
  });

  it('reaches the CLI: progress on stderr only, stdout stays a clean report', async () => {
    const tty = await cli(['scan', fixture('webapp-with-kernel'), '--format', 'json'], { tty: true });
    expect(tty.stderr).toMatch(/\d+\/\d+ files/);
    expect(() => JSON.parse(tty.stdout)).not.toThrow();
    const ci = await cli(['scan', fixture('webapp-with-kernel'), '--format', 'json']);
    expect(ci.stderr).toBe('');
    const verbose = await cli(['scan', fixture('webapp-with-kernel'), '--format', 'json', '--verbose']);
    expect(verbose.stderr).toMatch(/rustscout: analysed (\d+)\/\1 files/);
  });

  it('--verbose also logs the config, the changed-files scope and the baseline comparison', async () => {
    const dir = gitRepo(tempCopy('webapp-with-kernel'));
    writeFileSync(join(dir, 'rustscout.toml'), 'min-score = 99\n');
    await cli(['scan', dir, '--write-baseline', join(dir, 'b.json')]);
    const r = await cli(['scan', dir, '--verbose', '--changed-since', 'HEAD', '--baseline', join(dir, 'b.json')]);
    expect(r.stderr).toContain(`rustscout: config ${join(dir, 'rustscout.toml')}`);
    expect(r.stderr).toMatch(/rustscout: changed since HEAD \(merge base [0-9a-f]{12}\): 2 files, 0 modules in scope/);
    expect(r.stderr).toMatch(/rustscout: baseline .*b\.json: 0 new, 0 worse, 0 unchanged findings/);
  });
});

