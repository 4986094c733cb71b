/**
 * A chapter parsed section by section (the chapter cache's way, see `toMarkdownSections`) is the chapter
 * parsed whole: the same mdast tree and the same Chapter, for every chapter of the repository and for the
 * constructs a cut could break (fences, HTML comments, lists, block quotes, definitions).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import { parseBookConfig } from './book-config.ts';
import type { MarkdownCache } from './markdown-cache.ts';
import { parseChapter } from './parse-chapter.ts';
import { parseMarkdownTree } from './parse-markdown-tree.ts';
import { toMarkdownSections } from './to-markdown-sections.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const processor = unified().use(remarkParse);

/** Every chapter file of the repository: the example book, the corpus, the fixture books. */
function chapters(): Array<{ file: string; text: string }> {
  const folders = ['docs', 'src/core/fixtures/corpus', 'src/book/fixtures/leanpub-book/manuscript', 'src/export/fixtures/book/docs', 'src/site/fixtures/book/docs'];
  return folders.flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .filter((f) => f.endsWith('.md'))
      .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(path.join(root, dir, f), 'utf8') })),
  );
}

function memoryCache(): MarkdownCache & { sets: number } {
  const map = new Map<string, Root>();
  const cache = {
    sets: 0,
    get: (text: string) => map.get(text),
    set: (text: string, tree: Root) => {
      cache.sets += 1;
      map.set(text, tree);
    },
  };
  return cache;
}

/** The chapter's tree as the parser makes it (front matter blanked), whole or, with a cache, section by section. */
function tree(text: string, cache?: MarkdownCache): Root {
  return parseMarkdownTree({ file: 'x.md', lines: text.split(/\r?\n/), config: { dimensions: [], aliases: {}, unknownConditions: { severity: 'off', include: true } }, diagnostics: [] }, text, cache).tree;
}

function sectioned(text: string, cache: MarkdownCache = memoryCache()): Root {
  return tree(text, cache);
}

const TRICKY = [
  '# Title\n\nText.\n\n## Section\n\nMore.\n',
  '# Code\n\n```bash\necho hi\n\n## not a heading\necho there\n```\n\n## After\n',
  '# Comment\n\n<!-- a note\n\n## still in the comment\n-->\n\n## After\n',
  '# Pre\n\n<pre>\n\n## inside pre\n</pre>\n\n## After\n',
  '# Lists\n\n- one\n\n  ## inside the item\n\n- two\n\n## After The List\n\n> quoted\n\n## After The Quote\n',
  '# Fences\n\n~~~~\n~~~\n\n## inside\n~~~~\n\n## After\n',
  '# Setext\n\nA paragraph\n## heading right after it\n\nText\n\n## Real\n',
  'No heading first.\n\n## One\n\n## Two\n\n\n## Three\n',
  '# CRLF\r\n\r\nText.\r\n\r\n## Section\r\n\r\nMore.\r\n',
];

describe('toMarkdownSections', () => {
  it('cuts before headings after a blank line, outside fences and raw HTML, and the sections join into the text', () => {
    expect(toMarkdownSections('# A\n\ntext\n\n## B\n\nmore\n')!.map((s) => [s.line, s.text])).toEqual([[1, '# A\n\ntext\n\n'], [5, '## B\n\nmore\n']]);
    for (const text of TRICKY) expect(toMarkdownSections(text)!.map((s) => s.text).join('')).toBe(text);
    expect(toMarkdownSections(TRICKY[1]!)!.map((s) => s.line)).toEqual([1, 10]);
    expect(toMarkdownSections(TRICKY[2]!)!.map((s) => s.line)).toEqual([1, 8]);
  });

  it('does not cut a chapter with a link reference definition (definitions are global)', () => {
    expect(toMarkdownSections('# A\n\nSee [the docs][d].\n\n## B\n\n[d]: https://example.com\n')).toBeNull();
  });

  it('parses into the very tree the whole text gives: the constructs a cut could break', () => {
    for (const text of TRICKY) expect(sectioned(text), text).toEqual(processor.parse(text));
  });

  it('parses every chapter of the repository into the very tree the whole text gives, and into the same Chapter', async () => {
    const config = parseBookConfig({ variants: { dimensions: { cloud: ['gke', 'eks', 'aks', 'existing'], flavor: ['static', 'serverless'] } }, conditions: { aliases: { tekton: 'serverless' } } }, 'bookrun.yaml');
    const all = chapters();
    expect(all.length).toBeGreaterThan(25);
    for (const { file, text } of all) {
      expect(sectioned(text), file).toEqual(tree(text));
      const whole = await parseChapter(text, { file, config, shell: shSyntaxParser });
      const cut = await parseChapter(text, { file, config, shell: shSyntaxParser, markdownCache: memoryCache() });
      expect(cut, file).toEqual(whole);
    }
  });

  it('parses again only the sections that changed', () => {
    const cache = memoryCache();
    const text = '# A\n\none\n\n## B\n\ntwo\n\n## C\n\nthree\n';
    sectioned(text, cache);
    expect(cache.sets).toBe(3);
    const edited = text.replace('two', 'two, edited');
    expect(sectioned(edited, cache)).toEqual(processor.parse(edited));
    expect(cache.sets).toBe(4);
  });
});
