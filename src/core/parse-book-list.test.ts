import { describe, expect, it } from 'vitest';
import { parseBookList, toLeadingMatterDirective, toMatterDirective } from './parse-book-list.ts';

describe('parseBookList', () => {
  it('reads one file a line, in order, skipping blank lines and # comments (as Leanpub does)', () => {
    const list = parseBookList('\uFEFF# The book\nfrontmatter.txt\n00-preface.md\n\n  01-setup.md  \r\n# 11-draft.md is not ready\n02-first-app.md');
    expect(list.entries).toEqual([
      { file: 'frontmatter.txt', line: 2 },
      { file: '00-preface.md', line: 3 },
      { file: '01-setup.md', line: 5 },
      { file: '02-first-app.md', line: 7 },
    ]);
    expect(list.problems).toEqual([]);
  });

  it('keeps a folder inside the manuscript and drops ./', () => {
    expect(parseBookList('./part1/01-intro.md\n').entries).toEqual([{ file: 'part1/01-intro.md', line: 1 }]);
  });

  it('names a directive written in the list, a path leaving the folder and a file listed twice, by line', () => {
    const list = parseBookList('{frontmatter}\n../notes.md\n01-setup.md\n01-setup.md\n/etc/passwd\n');
    expect(list.problems.map((p) => p.line)).toEqual([1, 2, 4, 5]);
    expect(list.problems[0]!.message).toContain('write it into frontmatter.txt and list that file here');
    expect(list.problems[2]!.message).toBe('01-setup.md is listed twice (first at line 3): keep one line');
    expect(list.entries).toEqual([{ file: '01-setup.md', line: 3 }]);
  });
});

describe('matter directives', () => {
  it('knows a file that holds only a directive, and a chapter that opens with one', () => {
    expect(toMatterDirective('{frontmatter}\n')).toBe('front');
    expect(toMatterDirective('  {backmatter}  \n\n')).toBe('back');
    expect(toMatterDirective('{mainmatter}\n\n# Chapter One\n')).toBeNull();
    expect(toLeadingMatterDirective('{mainmatter}\n\n# Chapter One\n')).toBe('main');
    expect(toLeadingMatterDirective('# Chapter One\n{mainmatter}\n')).toBeNull();
  });
});
