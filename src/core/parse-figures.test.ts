import { describe, expect, it } from 'vitest';
import { parseChapter } from './parse-chapter.ts';
import { phaseInput, testConfig } from '../testing/parse-for-test.ts';
import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import { parseHeadings } from './parse-headings.ts';
import { parseLinks } from './parse-links.ts';
import { parseFigures } from './parse-figures.ts';
import { checkMissingImages } from './check-missing-images.ts';

function figuresOf(lines: string[], file = 'ch.md') {
  const input = phaseInput(lines);
  input.ctx.file = file;
  const { images } = parseLinks(input.tree, input.markdown, parseHeadings(input.flat, input.ctx.lines));
  const result = parseFigures(input.ctx, { flat: input.flat, blocks: input.blocks, images });
  return { ...result, diagnostics: input.ctx.diagnostics };
}

describe('the figures phase: images and diagrams, captions, numbers per chapter', () => {
  const chapter = [
    '# Canary Deployments', // 1
    '',
    '![Figure 17-1: The flow of a request](images/ch17/flow.png)', // 3
    '',
    'Text with an inline ![icon](images/icon.png) that is no figure.', // 5
    '',
    '{caption: "The canary analysis"}', // 7
    '```mermaid', // 8
    'flowchart LR',
    '  A --> B',
    '```', // 11
    '',
    '```mermaid', // 13
    'sequenceDiagram',
    '  A->>B: hi',
    '```', // 16
    '',
    'Figure 17-3: Flagger talks to Istio', // 18
    '',
    '```mermaid', // 20
    'pie',
    '  "a" : 1',
    '```',
    '',
    '{caption: "Fallback"}', // 25
    '![](images/ch17/empty-alt.png)', // 26
    '',
    '![Figure 17-TODO: TODO](images/ch17/todo.png)', // 28
  ];

  it('finds the lone images and the mermaid fences in order, with their captions and where they were written', () => {
    const { figures } = figuresOf(chapter);
    expect(figures.map((f) => [f.kind, f.line, f.index, f.label, f.caption, f.captionFrom?.kind ?? null, f.captionFrom?.line ?? null])).toEqual([
      ['image', 3, 1, 'Figure 17-1', 'The flow of a request', 'alt', 3],
      ['diagram', 8, 2, 'Figure 17-2', 'The canary analysis', 'attribute', 7],
      ['diagram', 13, 3, 'Figure 17-3', 'Flagger talks to Istio', 'text', 18],
      ['diagram', 20, 4, 'Figure 17-4', '', null, null],
      ['image', 26, 5, 'Figure 17-5', 'Fallback', 'attribute', 25],
      ['image', 28, 6, 'Figure 17-6', 'TODO', 'alt', 28],
    ]);
    expect(figures.map((f) => f.block)).toEqual([null, 0, 1, 2, null, null]);
    expect(figures[0]!.ref).toBe('images/ch17/flow.png');
    expect(figures[2]!.written).toEqual({ chapter: 17, number: 3 });
  });

  it('makes a Figure NN-TODO (or a TODO caption) an author note at its caption', () => {
    const { figures, notes } = figuresOf(chapter);
    expect(figures.filter((f) => f.todo).map((f) => f.line)).toEqual([28]);
    expect(notes).toEqual([{ kind: 'todo', line: 28, text: 'Figure 17-TODO: TODO', where: 'figure' }]);
    const draft = figuresOf(['# T', '', '```mermaid', 'flowchart LR', '  A --> B', '```', '', '*Figure 2-1: TODO: the rollback*']);
    expect(draft.notes).toEqual([{ kind: 'todo', line: 8, text: 'Figure 2-1: TODO: the rollback', where: 'figure' }]);
  });

  it('never takes a sentence for a caption line', () => {
    for (const sentence of ['Figure 3 shows the rollout.', 'Figure 3.5 of the spec says so.', 'Figures help.']) {
      const { figures } = figuresOf(['# T', '', '```mermaid', 'flowchart LR', '  A --> B', '```', '', sentence]);
      expect(figures[0]!.captionFrom, sentence).toBeNull();
    }
    expect(figuresOf(['# T', '', '```mermaid', 'flowchart LR', '  A --> B', '```', '', '_Figure 3. The rollout_']).figures[0]).toMatchObject({ caption: 'The rollout', captionFrom: { kind: 'text', line: 8 } });
  });

  it('takes the chapter number from the captions, else from the file name, else writes Figure M', () => {
    const bare = ['# T', '', '```mermaid', 'flowchart LR', '  A --> B', '```'];
    expect(figuresOf(bare, 'docs/09-canary.md').figures[0]!.label).toBe('Figure 9-1');
    expect(figuresOf(bare, 'docs/canary.md').figures[0]!.label).toBe('Figure 1');
    expect(figuresOf([...bare, '', 'Figure 4-1: x'], 'docs/09-canary.md').figures[0]!.label).toBe('Figure 4-1');
  });

  it('reports a written number that is not the figure\'s place (figure-number), not a TODO one', () => {
    const { diagnostics } = figuresOf(['# T', '', '![Figure 3-2: first](a.png)', '', '![Figure 3-TODO: TODO](b.png)', '', '![Figure 3-3: third](c.png)']);
    expect(diagnostics.map((d) => [d.line, d.rule, d.message])).toEqual([
      [3, 'figure-number', 'this is the 1st figure of the chapter, but its caption says Figure 3-2: write Figure 3-1 (figures are numbered per chapter, in order)'],
    ]);
  });

  it('asks the caller whether each local image exists (image-missing, outside the parse), never for remote ones', async () => {
    const parsed = await parseChapter(['# T', '', '![Figure 1-1: a](images/a.png)', '', '![Figure 1-2: b](https://example.com/b.png)', '', 'Inline ![c](images/c.png) and ![a again](images/a.png).'].join('\n'), { file: 'ch.md', config: testConfig, shell: shSyntaxParser });
    expect(parsed.diagnostics.filter((d) => d.rule === 'image-missing')).toEqual([]);
    const asked: string[] = [];
    const found = checkMissingImages(parsed, (ref) => {
      asked.push(ref);
      return ref === 'images/a.png';
    });
    expect(asked).toEqual(['images/a.png', 'images/c.png']);
    expect(found.map((d) => [d.line, d.column, d.rule, d.severity])).toEqual([[7, 8, 'image-missing', 'error']]);
  });

  it('is a phase of parseChapter: figures on the chapter, draft figures among its notes', async () => {
    const parsed = await parseChapter(chapter.join('\n'), { file: 'ch.md', config: testConfig, shell: shSyntaxParser });
    expect(parsed.figures).toHaveLength(6);
    expect(parsed.notes.filter((n) => n.where === 'figure').map((n) => n.line)).toEqual([28]);
  });
});
