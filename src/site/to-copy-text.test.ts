import { describe, expect, it } from 'vitest';
import type { SiteStep } from './to-block-props.ts';
import { toCopyText } from './to-copy-text.ts';

const step = (command: string, placeholders: string[] = []): SiteStep =>
  ({ id: 'L1', line: 1, command, digest: '', terminal: 1, watch: false, until: null, placeholders, condition: null, conditionLabel: null, variants: null, expect: null, skip: false }) as SiteStep;

describe('toCopyText', () => {
  it('fills in the placeholders the reader gave (shell-quoted), leaves the others as NAME=[...], one blank line apart', () => {
    const steps = [step('export GH_USER=[...] VERSION=[...]', ['GH_USER', 'VERSION']), step('echo "$GH_USER"')];
    expect(toCopyText(steps, { GH_USER: "o'brien", VERSION: '  ' })).toBe(`export GH_USER='o'\\''brien' VERSION=[...]\n\necho "$GH_USER"`);
  });
});
