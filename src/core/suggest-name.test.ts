import { describe, expect, it } from 'vitest';
import { suggestName } from './suggest-name.ts';

describe('suggestName', () => {
  it('finds the name a typo was meant to be', () => {
    expect(suggestName('--varient', ['--variant', '--values', '--set'])).toBe('--variant');
    expect(suggestName('smaple', ['sample', 'frontmatter', 'backmatter'])).toBe('sample');
    expect(suggestName('headingcase', ['headingCase'])).toBe('headingCase');
    expect(suggestName('chapter', ['title', 'chapters', 'variants'])).toBe('chapters');
  });

  it('suggests nothing when no name is close', () => {
    expect(suggestName('--frobnicate', ['--variant', '--json', '--config'])).toBeNull();
    expect(suggestName('x', [])).toBeNull();
    expect(suggestName('zz', ['ci'])).toBeNull();
  });
});
