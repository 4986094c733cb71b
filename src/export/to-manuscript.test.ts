import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBook, readChapter } from '../book/read-book.ts';
import { toHiddenLines } from '../core/to-hidden-lines.ts';
import { expectGolden } from '../testing/expect-golden.ts';
import { readChapters } from './read-chapters.ts';
import { toManuscript, type ManuscriptInput } from './to-manuscript.ts';
import { toMarkuaAttributes } from './to-markua-attributes.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'fixtures', 'book');
const expected = path.join(here, 'fixtures', 'expected');
const book = await readBook({ cwd: root });
const preface = await readChapter(book, path.join(root, 'docs/preface.md'), 'docs/preface.md');
const chapters = await readChapters(book, [], root);
const inputs: ManuscriptInput[] = [
  { chapter: preface, key: 'docs/preface.md', matter: 'front' },
  ...chapters.map((c) => ({ chapter: c.chapter, key: c.key, matter: 'main' as const })),
];

describe('toManuscript', () => {
  for (const format of ['lfm', 'markua'] as const) {
    it(`writes the ${format} manuscript (golden: Book.txt, Sample.txt, matter files, chapters)`, () => {
      const manuscript = toManuscript(inputs, book.config, { format });
      for (const file of manuscript.files) expectGolden(file.content, path.join(expected, format, file.path));
      expectGolden(manuscript.files.map((f) => f.path).join('\n') + '\n', path.join(expected, `${format}.files.txt`));
    });
  }

  it('lists files in book order in Book.txt and never writes directives inside it', () => {
    const lfm = toManuscript(inputs, book.config, { format: 'lfm' });
    const bookTxt = lfm.files.find((f) => f.path === 'Book.txt')!.content;
    expect(bookTxt).toBe('frontmatter.txt\npreface.md\nmainmatter.txt\ncanary.md\ncleanup.md\n');
    expect(bookTxt).not.toMatch(/\{/);
    expect(lfm.files.find((f) => f.path === 'frontmatter.txt')!.content).toBe('{frontmatter}\n');
    expect(lfm.files.find((f) => f.path === 'Sample.txt')!.content).toBe('frontmatter.txt\npreface.md\nmainmatter.txt\ncanary.md\n');
    const markua = toManuscript(inputs, book.config, { format: 'markua' });
    expect(markua.files.some((f) => f.path === 'Sample.txt')).toBe(false);
    expect(markua.files.find((f) => f.path === 'Book.txt')!.content).toBe('preface.md\nmainmatter.txt\ncanary.md\ncleanup.md\n');
  });

  it('removes the checklist, author notes and annotations and keeps every other fence line byte for byte', () => {
    for (const format of ['lfm', 'markua'] as const) {
      const manuscript = toManuscript(inputs, book.config, { format });
      for (const input of inputs) {
        const name = input.key.split('/').pop()!;
        const out = manuscript.files.find((f) => f.path === name)!.content;
        // Left in on purpose: a gist link with no URL yet and a terminal switch written as a note (both reported).
        expect(out.replace('[eks-jx.sh](TODO:)', '').replace('# NOTE: Go to the second terminal', '')).not.toMatch(/TODO|NOTE:|bookrun:|- \[[ x]\]/);
        const hidden = toHiddenLines(input.chapter);
        for (const block of input.chapter.blocks) {
          // Markua renames Leanpub's highlight markers; everything else stays as written.
          const rename = (l: string) => (format === 'markua' ? l.replace(/leanpub-(start|end)-/, 'markua-$1-') : l);
          const lines = input.chapter.lines.slice(block.line - 1, block.endLine).map(rename);
          const kept = lines.filter((_, i) => !hidden.has(block.line + i));
          if (kept.length === lines.length) expect(out).toContain(lines.join('\n'));
          let at = 0;
          for (const line of kept.filter((l) => l.trim() !== '')) {
            const found = out.indexOf(line, at);
            expect(found, `${input.key}:${block.line} ${format}: ${line}`).toBeGreaterThanOrEqual(0);
            at = found + line.length;
          }
        }
      }
    }
  });

  it('fills gist links from the manifest and reports the ones without a URL', () => {
    const manuscript = toManuscript(inputs, book.config, { format: 'lfm' });
    const canary = manuscript.files.find((f) => f.path === 'canary.md')!.content;
    expect(canary).toContain('[canary.sh](https://gist.github.com/example/c0ffee) Gist');
    expect(canary).toContain('[gke-jx.sh](https://gist.github.com/example/9e1)');
    expect(canary).toContain('[eks-jx.sh](TODO:)');
    expect(manuscript.findings.filter((f) => f.rule === 'gist-link')).toEqual([
      { file: 'docs/canary.md', line: 17, rule: 'gist-link', message: 'gist link eks-jx.sh has no URL in gists.urls (bookrun.yaml)' },
    ]);
  });

  it('reports what keeps the book from being published, each with file and line', () => {
    const manuscript = toManuscript(inputs, book.config, { format: 'lfm' });
    expect(manuscript.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual([
      'docs/canary.md:4 checklist',
      'docs/canary.md:5 checklist',
      'docs/canary.md:11 author-note',
      'docs/canary.md:17 gist-link',
      'docs/canary.md:22 author-note',
      'docs/canary.md:81 author-note',
      'docs/canary.md:115 author-note',
    ]);
  });

  it('reports crosslinks to ids outside the exported chapters', () => {
    const alone = toManuscript(inputs.filter((i) => i.key === 'docs/canary.md'), book.config, { format: 'lfm' });
    expect(alone.findings.filter((f) => f.rule === 'crosslink-missing')).toEqual([
      { file: 'docs/canary.md', line: 108, rule: 'crosslink-missing', message: 'crosslink to #cleanup: no exported chapter defines that id' },
    ]);
  });

  it('copies images into images/ (LFM) or resources/images/ (Markua) and keeps the references working', () => {
    expect(toManuscript(inputs, book.config, { format: 'lfm' }).images).toEqual([{ from: 'docs/images/canary-flow.png', to: 'images/canary-flow.png', file: 'docs/canary.md', line: 106 }]);
    expect(toManuscript(inputs, book.config, { format: 'markua' }).images.map((i) => i.to)).toEqual(['resources/images/canary-flow.png']);
  });

  it('blocks publishing on lint errors handed in', () => {
    const withLint = inputs.map((i) => (i.key === 'docs/cleanup.md' ? { ...i, lint: [{ line: 12, column: 1, rule: 'shell-syntax', severity: 'error' as const, message: 'bad' }] } : i));
    expect(toManuscript(withLint, book.config).findings).toContainEqual({ file: 'docs/cleanup.md', line: 12, rule: 'shell-syntax', message: 'lint error: bad' });
  });
});

describe('toMarkuaAttributes', () => {
  it('turns LFM attribute lists into Markua 0.30 ones', () => {
    expect(toMarkuaAttributes({ lang: '"bash"', linenos: 'off' })).toBe('{format: bash, line-numbers: false}');
    expect(toMarkuaAttributes({ lang: 'yaml', 'starting-line-number': '12', title: '"Listing 1"' })).toBe('{format: yaml, number-from: 12, title: "Listing 1"}');
  });
});
