import { describe, expect, it } from 'vitest';
import { DEFAULT_TEARDOWN_SECTIONS, parseBookConfig } from './book-config.ts';
import { isTeardownStep, teardownSteps } from './is-teardown-step.ts';
import { parseAnnotations } from './parse-annotations.ts';
import { toAnswer } from './to-answer.ts';

const headings = [
  { depth: 1, text: 'Cleaning Up Canaries', line: 1 },
  { depth: 2, text: 'Creating A Cluster', line: 3 },
  { depth: 2, text: 'What Now?', line: 20 },
  { depth: 3, text: 'Deleting The Repositories', line: 25 },
  { depth: 2, text: 'Appendix', line: 40 },
  { depth: 3, text: 'Destroying The Cluster', line: 50 },
];
const at = (line: number, annotations = {}) => isTeardownStep({ line, annotations }, headings, DEFAULT_TEARDOWN_SECTIONS);

describe('teardown steps, input replies', () => {
  it('finds the genre teardown sections by heading at any level under the title, or # bookrun: teardown', () => {
    expect([at(5), at(22), at(30), at(45), at(55)]).toEqual([false, true, true, false, true]);
    expect(at(5, { teardown: true })).toBe(true);
    expect(isTeardownStep({ line: 22, annotations: {} }, headings, ['^appendix$'])).toBe(false);
  });

  it('reads run.teardownSections from bookrun.yaml and refuses a bad pattern', () => {
    const base = { chapters: [], variants: { dimensions: { cloud: ['gke'] } } };
    expect(parseBookConfig({ ...base, run: { teardownSections: ['^Limpieza'] } }, 'bookrun.yaml').teardownSections).toEqual(['^Limpieza']);
    expect(() => parseBookConfig({ ...base, run: { teardownSections: ['('] } }, 'bookrun.yaml')).toThrow(/run\.teardownSections: "\(" is not a regular expression/);
  });

  it('parses teardown and input= annotations, refusing a reply that holds a control character', () => {
    expect(parseAnnotations('teardown input="y" input="n"').annotations).toEqual({ teardown: true, input: ['y', 'n'] });
    expect(parseAnnotations('input="a\x15b"').problems[0]?.message).toMatch(/^input: the reply holds ctrl\+u/);
  });

  it('picks the reply: the step’s inputs in order (the last again), else the first answer whose prompt fits', () => {
    const answers = [
      { prompt: '/password for \\w+:/i', reply: 'hunter2' },
      { prompt: 'Continue?', reply: 'y' },
    ];
    expect([0, 1, 2].map((n) => toAnswer('Continue? ', n, ['a', 'b'], answers))).toEqual(['a', 'b', 'b']);
    expect(toAnswer('[sudo] Password for viktor: ', 0, [], answers)).toBe('hunter2');
    expect(toAnswer('Continue? [y/N] ', 0, [], answers)).toBe('y');
    expect(toAnswer('Name: ', 0, [], answers)).toBeNull();
  });
});

describe('teardownSteps', () => {
  it('answers for all the steps of a chapter at once, in the order given, as for each alone', () => {
    const steps = [55, 5, 30, 22, 45, 2, 20, 21].map((line) => ({ line, annotations: line === 45 ? { teardown: true } : {} }));
    expect(teardownSteps(steps, headings, DEFAULT_TEARDOWN_SECTIONS)).toEqual([true, false, true, true, true, false, false, true]);
    expect(teardownSteps(steps, headings, ['^appendix$'])).toEqual([true, false, false, false, true, false, false, false]);
    expect(teardownSteps(steps, headings, [])).toEqual([false, false, false, false, true, false, false, false]);
    expect(steps.map((s) => isTeardownStep(s, headings, DEFAULT_TEARDOWN_SECTIONS))).toEqual(teardownSteps(steps, headings, DEFAULT_TEARDOWN_SECTIONS));
  });
});
