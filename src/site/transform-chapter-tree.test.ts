import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { readBook, readChapter } from '../book/read-book.ts';
import { listVariants } from '../core/book-config.ts';
import { planChapter } from '../core/plan-chapter.ts';
import { parseChapter } from '../core/parse-chapter.ts';
import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import type { BlockProps } from './to-block-props.ts';
import { transformChapterTree } from './transform-chapter-tree.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const configFile = path.join(here, 'fixtures', 'book', 'bookrun.yaml');
const chapterFile = path.join(here, 'fixtures', 'book', 'docs', 'site-tour.md');
const markdown = unified().use(remarkParse).use(remarkGfm);

async function render(dev: boolean): Promise<Root> {
  const book = await readBook({ config: configFile });
  const chapter = await readChapter(book, chapterFile, 'docs/site-tour.md');
  const plans = listVariants(book.config).map((v) => planChapter(chapter, v, book.config));
  const tree = markdown.parse(readFileSync(chapterFile, 'utf8'));
  return transformChapterTree(tree, chapter, {
    chapter: 'docs/site-tour.md',
    plans,
    dev,
    parseMarkdown: (text) => markdown.parse(text),
    gistUrl: (link) => (link.text === 'site-tour.sh' ? 'https://gist.example/site-tour' : null),
  });
}

function text(node: unknown): string {
  return JSON.stringify(node);
}

function shellProps(tree: Root): BlockProps[] {
  return tree.children.flatMap((n) => {
    const data = n.type === 'code' ? (n.data?.hProperties as { dataBookrun?: string } | undefined)?.dataBookrun : undefined;
    return data ? [JSON.parse(data) as BlockProps] : [];
  });
}

describe('transformChapterTree', () => {
  it('takes a {#id} on the line above a heading (Markua style) and drops that line', async () => {
    const book = await readBook({ config: configFile });
    const source = '# Title\n\n{#later}\n## Later On\n\nText.\n';
    const chapter = await parseChapter(source, { file: 'docs/x.md', config: book.config, shell: shSyntaxParser });
    const tree = transformChapterTree(markdown.parse(source), chapter, { chapter: 'docs/x.md', plans: [], dev: false, parseMarkdown: (t) => markdown.parse(t) });
    expect(text(tree)).not.toContain('{#later}');
    expect(tree.children.find((n) => n.type === 'heading' && n.depth === 2)).toMatchObject({ data: { hProperties: { id: 'later' } } });
  });

  it('drops the TODO list, author notes and attribute lines from production pages', async () => {
    const tree = await render(false);
    const all = text(tree);
    expect(all).not.toContain('Code review');
    expect(all).not.toContain('Explain why the tour matters');
    expect(all).not.toContain('Stop with');
    expect(all).not.toContain('{lang=');
    expect(all).not.toContain('bookrun:');
    expect(tree.children[0]).toMatchObject({ data: { hName: 'a', hProperties: { id: 'site-tour' } } });
    expect(tree.children[1]).toMatchObject({ type: 'heading', depth: 1 });
  });

  it('shows notes and the TODO list as the status box right after the title in dev', async () => {
    const tree = await render(true);
    expect(tree.children[1]).toMatchObject({ type: 'heading', depth: 1 });
    expect(tree.children[2]).toMatchObject({ data: { hName: 'admonition', hProperties: { title: 'Chapter status (dev only)' } } });
    expect(text(tree.children[2])).toContain('Gist');
    const notes = tree.children.filter((n) => (n.data as { hProperties?: { title?: string } })?.hProperties?.title === 'Author note (dev only)');
    expect(notes.map(text).join()).toContain('Explain why the tour matters');
  });

  it('turns asides into admonitions, titled ones with their heading as the title', async () => {
    const tree = await render(false);
    const admonitions = tree.children.filter((n) => (n.data as { hName?: string })?.hName === 'admonition');
    expect(admonitions.map((n) => (n.data as { hProperties: { type: string } }).hProperties.type)).toEqual(['info', 'warning', 'tip']);
    expect(admonitions[1]).toMatchObject({ data: { hProperties: { title: 'A note to Windows users' } } });
    expect(text(admonitions[0])).toContain('https://gist.example/site-tour');
  });

  it('honours {#id} heading ids and strips them from the text', async () => {
    const tree = await render(false);
    const h = tree.children.find((n) => n.type === 'heading' && n.depth === 2);
    expect(h).toMatchObject({ data: { hProperties: { id: 'creating' } }, children: [{ type: 'text', value: 'Creating A File' }] });
  });

  it('gives every shell block its plan data: conditions as variant lists, terminals, watches, placeholders', async () => {
    const props = shellProps(await render(false));
    expect(props.map((p) => p.line)).toEqual([22, 36, 49, 58, 68, 75, 85, 92]);
    const cloud = props[1]!;
    expect(cloud.steps.map((s) => [s.conditionLabel, s.variants])).toEqual([
      ['only for EKS', ['eks-static', 'eks-serverless']],
      ['not for EKS', ['gke-static', 'gke-serverless', 'aks-static', 'aks-serverless']],
      [null, null],
    ]);
    // The annotation line is not displayed; the condition comment travels with its step.
    expect(cloud.segments.map((s) => s.text).join('\n')).not.toContain('bookrun:');
    expect(cloud.segments[0]).toEqual({ kind: 'step', step: 'L38', text: '# If EKS\necho "only on eks"' });
    expect(props[3]!.placeholders).toEqual([{ name: 'TOUR_VERSION', description: expect.any(String) }]);
    expect(props[4]!.steps[0]).toMatchObject({ watch: true, until: 'tour complete' });
    expect(props[6]!.steps[0]!.terminal).toBe(2);
    expect(props[7]!.steps[0]!.expect).toMatchObject({ text: 'the expected words' });
  });

  it('renders Leanpub\'s own syntax: parts, figures with their width and caption, ids above paragraphs, %% comments and directives hidden, crosslinks to other chapters', async () => {
    const book = await readBook({ config: configFile });
    const source = [
      '{mainmatter}',
      '',
      '-# Part Two: Progressive Delivery',
      '',
      '# Rolling Out A Canary {#canary-rollout}',
      '',
      '{width=60%}',
      '![Figure 3-1: The traffic moving](images/canary-flow.png)',
      '',
      '{#error-rate}',
      'The error rate is the share of requests that failed.',
      '',
      '%% Record a screencast here.',
      '',
      'See [the first chapter](#cluster-setup), [below](#error-rate) and [elsewhere](#nowhere).',
      '',
      '{pagebreak}',
      '',
    ].join('\n');
    const chapter = await parseChapter(source, { file: 'manuscript/03-canary.md', config: book.config, shell: shSyntaxParser });
    const tree = transformChapterTree(markdown.parse(source), chapter, {
      chapter: 'manuscript/03-canary.md',
      plans: [],
      dev: false,
      parseMarkdown: (t) => markdown.parse(t),
      crosslink: (id) => (id === 'cluster-setup' ? '/setup#cluster-setup' : null),
    });
    const all = text(tree);
    expect(all).not.toContain('{mainmatter}');
    expect(all).not.toContain('{pagebreak}');
    expect(all).not.toContain('screencast');
    expect(all).not.toContain('{width');
    expect(all).not.toContain('{#error-rate}');
    expect(tree.children[0]).toMatchObject({ data: { hName: 'p', hProperties: { className: 'bookrun-part' } }, children: [{ type: 'text', value: 'Part Two: Progressive Delivery' }] });
    const figure = tree.children.find((n) => (n.data as { hName?: string } | undefined)?.hName === 'figure')!;
    expect(figure).toMatchObject({ data: { hProperties: { className: 'bookrun-figure', style: 'width:60%' } } });
    expect(text(figure)).toContain('"hName":"figcaption"');
    expect(text(figure)).toContain('"url":"images/canary-flow.png"');
    expect(tree.children.find((n) => (n.data as { hProperties?: { id?: string } } | undefined)?.hProperties?.id === 'error-rate')).toMatchObject({ data: { hName: 'a' } });
    expect(all).toContain('"url":"/setup#cluster-setup"');
    expect(all).toContain('"url":"#error-rate"');
    expect(all).toContain('"url":"#nowhere"');
  });
});
