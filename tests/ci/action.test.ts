import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
import { cli, tempCopy } from './helpers.js';

const ACTION = readFileSync(join(REPO, 'action.yml'), 'utf8');

/** The `run: |` script of the step with the given id (the action is composite: plain bash). */
function stepScript(id: string): string {
  const step = ACTION.split(/\n    - /).find((s) => s.includes(`id: ${id}\n`))!;
  const body = step.slice(step.indexOf('run: |\n') + 'run: |\n'.length);
  return body.split('\n').filter((l) => l.startsWith('        ') || l === '').map((l) => l.slice(8)).join('\n');
}

/** Runs the Scan step with a stand-in CLI that records its arguments and exits with `code`. */
function runScanStep(inputs: Record<string, string>, code: number) {
  const dir = tempCopy();
  const calls = join(dir, 'calls.jsonl');
  const fake = join(dir, 'fake-cli.mjs');
  writeFileSync(fake, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(calls)}, JSON.stringify(process.argv.slice(2)) + '\\n');\nif (process.argv.includes('markdown')) process.stdout.write('## rustscout summary\\n');\nprocess.exit(${code});\n`);
  const env = {
    PATH: process.env.PATH!, RS_CLI: fake, RS_PATH: '.', RS_FAIL_ON: '', RS_MIN_SCORE: '', RS_BASELINE: '', RS_CHANGED_SINCE: '',
    RS_SARIF: 'rustscout.sarif', RS_SUMMARY: 'true', RS_ARGS: '', GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary'), ...inputs,
  };
  const res = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', stepScript('scan')], { env, cwd: dir, encoding: 'utf8' });
  const read = (f: string): string => { try { return readFileSync(join(dir, f), 'utf8'); } catch { return ''; } };
  return { status: res.status, calls: read('calls.jsonl').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]), output: read('output'), summary: read('summary') };
}

describe('action.yml (composite GitHub Action)', () => {
  it('declares a composite action on Node 20 with the documented inputs', () => {
    expect(ACTION).toMatch(/\n {2}using: composite\n/);
    expect(ACTION).toContain('node-version: 20');
    for (const input of ['path', 'fail-on', 'min-score', 'baseline', 'changed-since', 'sarif-file', 'summary', 'upload-sarif', 'args']) expect(ACTION).toContain(`\n  ${input}:\n`);
    // inputs reach the script through env only, never spliced into its text
    expect(stepScript('scan')).not.toContain('${{');
  });

  it('turns inputs into flags, writes SARIF and the step summary, and records the exit code', () => {
    const r = runScanStep({ RS_FAIL_ON: 'pyo3-extension,move-to-rust', RS_MIN_SCORE: '70', RS_BASELINE: 'ci/base.json', RS_CHANGED_SINCE: 'origin/main', RS_ARGS: '--exclude legacy/** --report-unused-suppressions' }, 1);
    expect(r.status).toBe(0);
    expect(r.calls[0]).toEqual(['scan', '.', '--format', 'sarif', '--output', 'rustscout.sarif', '--fail-on', 'pyo3-extension,move-to-rust', '--min-score', '70', '--baseline', 'ci/base.json', '--changed-since', 'origin/main', '--exclude', 'legacy/**', '--report-unused-suppressions']);
    expect(r.calls[1].slice(0, 4)).toEqual(['scan', '.', '--format', 'markdown']);
    expect(r.summary).toBe('## rustscout summary\n');
    expect(r.output).toBe('exit-code=1\n');
  });

  it('fails the step on bad input (exit 2) without writing a summary', () => {
    const r = runScanStep({ RS_SUMMARY: 'true' }, 2);
    expect(r.status).toBe(2);
    expect(r.calls).toHaveLength(1);
    expect(r.summary).toBe('');
  });

  it('uses only flags the CLI has', async () => {
    const help = await cli(['scan', '--help']);
    for (const flag of new Set(stepScript('scan').match(/--[a-z][a-z-]+/g))) expect(help.stdout, flag).toContain(flag);
  });
});
