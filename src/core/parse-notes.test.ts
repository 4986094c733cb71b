import { describe, expect, it } from 'vitest';
import { phaseInput } from '../testing/parse-for-test.ts';
import { parseChecklist } from './parse-checklist.ts';
import { parseHeadings } from './parse-headings.ts';
import { parseLinks } from './parse-links.ts';
import { parseLinkNotes, parseProseNotes } from './parse-notes.ts';

describe('the notes phase: author notes in prose and links', () => {
  it('takes TODO:/NOTE: paragraphs and such lines inside a paragraph, never the checklist items', () => {
    const lines = ['## TODO', '', '- [ ] NOTE: not a note, an item', '', '# Title', '', 'TODO: Continue with text', 'and this line too', '', 'Text first.', 'NOTE: then a note', '', 'No note here.'];
    const { flat, ctx } = phaseInput(lines);
    const checklist = parseChecklist(parseHeadings(flat, ctx.lines), ctx.lines);
    const { notes, hidden } = parseProseNotes(flat, ctx.lines, checklist.section);
    expect(notes).toEqual([
      { kind: 'todo', line: 7, text: 'TODO: Continue with text\nand this line too', where: 'prose' },
      { kind: 'note', line: 11, text: 'NOTE: then a note', where: 'prose' },
    ]);
    expect(hidden).toEqual([{ line: 7, endLine: 8, kind: 'note' }, { line: 11, endLine: 11, kind: 'note' }]);
  });

  it('takes links to TODO (and links whose text starts with TODO) for notes', () => {
    const { tree, markdown, flat, ctx } = phaseInput(['See [setup.sh](TODO:), [TODO: Viktor](TODO: Viktor), [ok](https://x.io) and ![Figure 1-TODO](images/a.png).']);
    const { links } = parseLinks(tree, markdown, parseHeadings(flat, ctx.lines));
    expect(parseLinkNotes(links).map((n) => n.text)).toEqual(['[setup.sh](TODO:)', '[TODO: Viktor](TODO: Viktor)']);
  });
});
