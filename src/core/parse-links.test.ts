import { describe, expect, it } from 'vitest';
import { phaseInput } from '../testing/parse-for-test.ts';
import { parseHeadings } from './parse-headings.ts';
import { parseLinks } from './parse-links.ts';

function links(lines: string[]) {
  const { tree, markdown, flat, ctx } = phaseInput(lines);
  return parseLinks(tree, markdown, parseHeadings(flat, ctx.lines));
}

describe('the links phase: from the Markdown tree, never from code', () => {
  it('finds links with their text as written, lines and columns; skips code spans, code blocks and HTML comments', () => {
    const found = links(['Use [**Flagger**](https://flagger.app) and `[x](TODO:)`.', '<!-- [y](TODO:) -->', '', '```', '[z](TODO:)', '```', '- [item](#canary)']);
    expect(found.links.map((l) => [l.text, l.url, l.line, l.column, l.endColumn, l.kind])).toEqual([
      ['**Flagger**', 'https://flagger.app', 1, 5, 39, 'link'],
      ['item', '#canary', 7, 3, 18, 'link'],
    ]);
  });

  it("keeps authors' placeholder links the Markdown parser does not accept, and resolves reference links", () => {
    const found = links(['I> All the commands are in the [TODO: Viktor](TODO: Viktor) Gist.', '', 'See [the docs][docs] and [missing][nope].', '', '[docs]: https://docs.example/x']);
    expect(found.links.map((l) => [l.text, l.url, l.line, l.column, l.kind])).toEqual([
      ['TODO: Viktor', 'TODO: Viktor', 1, 32, 'placeholder'],
      ['the docs', 'https://docs.example/x', 3, 5, 'reference'],
    ]);
  });

  it('finds images and the ids of headings and attribute lines, line numbers kept across front matter', () => {
    const found = links(['---', 'title: x', '---', '# Title {#intro}', '', '{id="flow"}', '![Figure 1: The flow](images/flow.png)', '', '![remote](https://x.io/a.png)']);
    expect(found.images).toEqual([
      { line: 7, column: 1, caption: 'Figure 1: The flow', ref: 'images/flow.png', remote: false },
      { line: 9, column: 1, caption: 'remote', ref: 'https://x.io/a.png', remote: true },
    ]);
    expect(found.ids.sort()).toEqual(['flow', 'intro']);
  });
});
