import { describe, expect, it } from 'vitest';
import { nextTaskIndex } from '../../src/pool/next-task.js';

const queue = (...languages: string[]) => languages.map((language) => ({ task: { language } }));
const others = (q: { task: { language: string } }[]): number => q.filter((p) => p.task.language !== 'javascript' && p.task.language !== 'typescript').length;

describe('which queued file a worker takes next', () => {
  it('the script worker takes files in order, TypeScript/JavaScript included', () => {
    const q = queue('javascript', 'python', 'typescript', 'python');
    expect(nextTaskIndex(q, true, others(q))).toBe(0);
  });

  it('the other workers skip TypeScript/JavaScript files while Python work is queued', () => {
    const q = queue('javascript', 'typescript', 'python', 'rust');
    expect(nextTaskIndex(q, false, others(q))).toBe(2);
  });

  it('takes TypeScript/JavaScript files too once nothing else is queued, so no worker idles', () => {
    const q = queue('typescript', 'javascript');
    expect(nextTaskIndex(q, false, others(q))).toBe(0);
  });

  it('a mixed queue drained by two workers gives every script file to the script worker', () => {
    const q = queue('python', 'javascript', 'python', 'python', 'typescript', 'python', 'python', 'javascript', 'python');
    const taken: Record<'script' | 'other', string[]> = { script: [], other: [] };
    let turn = 0;
    while (q.length) {
      const who = turn++ % 2 === 0 ? 'script' : 'other';
      const [next] = q.splice(nextTaskIndex(q, who === 'script', others(q)), 1);
      taken[who].push(next.task.language);
    }
    expect(taken.other).not.toContain('javascript');
    expect(taken.other).not.toContain('typescript');
    expect(taken.script.filter((l) => l !== 'python')).toEqual(['javascript', 'typescript', 'javascript']);
  });
});
