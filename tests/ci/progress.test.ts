import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/progress.js';
import { fixture } from '../helpers.js';
import { cli } from './helpers.js';

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
});
