/**
 * A book in Leanpub's layout: manuscript/Book.txt and Sample.txt are the truth about the chapters, their
 * order, their matter and the sample, whether bookrun.yaml names Book.txt or lists chapters of its own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BookConfigError } from '../core/book-config.ts';
import { findUnlistedChapters } from './find-unlisted-chapters.ts';
import { readBook } from './read-book.ts';
import { copyFixture } from '../testing/copy-fixture.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'leanpub-book');
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const MATRIX = 'variants:\n  dimensions:\n    cloud: [gke, eks, aks]\n    flavor: [static, serverless]\n';

/** A copy of the fixture book with this bookrun.yaml. */
function book(config: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-read-book-'));
  made.push(dir);
  copyFixture(fixture, dir);
  writeFileSync(path.join(dir, 'bookrun.yaml'), config);
  return dir;
}

describe('readBook with chapters: manuscript/Book.txt', () => {
  it('takes the chapters from Book.txt in its order, matter files out, # comments skipped', async () => {
    const dir = book(`chapters: manuscript/Book.txt\n${MATRIX}`);
    const b = await readBook({ cwd: dir });
    expect(b.config.chapters).toEqual([
      'manuscript/00-preface.md', 'manuscript/01-setup.md', 'manuscript/02-first-app.md', 'manuscript/03-canary.md',
      'manuscript/04-metrics.md', 'manuscript/05-serverless.md', 'manuscript/06-what-now.md', 'manuscript/90-glossary.md',
    ]);
    expect(b.bookList!.file).toBe('manuscript/Book.txt');
    expect(b.bookList!.matterFiles.map((m) => [m.key, m.matter])).toEqual([
      ['manuscript/frontmatter.txt', 'front'], ['manuscript/mainmatter.txt', 'main'], ['manuscript/backmatter.txt', 'back'],
    ]);
    expect(b.bookList!.chapters.map((c) => c.matter)).toEqual(['front', 'main', 'main', 'main', 'main', 'main', 'main', 'back']);
  });

  it('takes the sample from Sample.txt', async () => {
    const dir = book(`chapters: manuscript/Book.txt\n${MATRIX}leanpub:\n  sample: [manuscript/06-what-now.md]\n`);
    const b = await readBook({ cwd: dir });
    expect(b.config.leanpub.sample).toEqual(['manuscript/00-preface.md', 'manuscript/01-setup.md', 'manuscript/02-first-app.md']);
  });

  it('a chapter opening with {mainmatter} switches the matter itself', async () => {
    const dir = book(`chapters: manuscript/Book.txt\n${MATRIX}`);
    writeFileSync(path.join(dir, 'manuscript', 'Book.txt'), 'frontmatter.txt\n00-preface.md\n01-setup.md\n');
    writeFileSync(path.join(dir, 'manuscript', '01-setup.md'), '{mainmatter}\n\n# Creating A Cluster\n');
    writeFileSync(path.join(dir, 'manuscript', 'Sample.txt'), '00-preface.md\n');
    const b = await readBook({ cwd: dir });
    expect(b.bookList!.chapters.map((c) => [c.key, c.matter])).toEqual([['manuscript/00-preface.md', 'front'], ['manuscript/01-setup.md', 'main']]);
  });

  it('reads only the head of a long chapter for its matter, and a whole file whose head is a directive', async () => {
    const dir = book(`chapters: manuscript/Book.txt\n${MATRIX}`);
    const long = `# Creating A Cluster\n\n${'A paragraph of prose that goes on. '.repeat(400)}\n`;
    writeFileSync(path.join(dir, 'manuscript', 'Book.txt'), 'frontmatter.txt\n00-preface.md\nmain.txt\n01-setup.md\n02-more.md\nback.txt\n03-end.md\n');
    // A directive followed by more than the head of blank lines is still a matter file; one followed by text is not.
    writeFileSync(path.join(dir, 'manuscript', 'main.txt'), `{mainmatter}${' \n'.repeat(5000)}`);
    writeFileSync(path.join(dir, 'manuscript', '01-setup.md'), `{backmatter}\n\n${long}`);
    writeFileSync(path.join(dir, 'manuscript', '02-more.md'), long);
    writeFileSync(path.join(dir, 'manuscript', 'back.txt'), `{frontmatter}\n${' '.repeat(5000)}Not only a directive.\n`);
    writeFileSync(path.join(dir, 'manuscript', '03-end.md'), long);
    writeFileSync(path.join(dir, 'manuscript', 'Sample.txt'), '00-preface.md\n');
    expect(long.length).toBeGreaterThan(8192);
    const b = await readBook({ cwd: dir });
    expect(b.bookList!.matterFiles.map((m) => [m.key, m.matter])).toEqual([['manuscript/frontmatter.txt', 'front'], ['manuscript/main.txt', 'main']]);
    expect(b.bookList!.chapters.map((c) => [c.key, c.matter])).toEqual([
      ['manuscript/00-preface.md', 'front'],
      ['manuscript/01-setup.md', 'back'],
      ['manuscript/02-more.md', 'back'],
      ['manuscript/back.txt', 'front'],
      ['manuscript/03-end.md', 'front'],
    ]);
  });

  it('exits 2 naming Book.txt:LINE for a file that does not exist, a directive in the list, and Sample.txt naming no chapter', async () => {
    const missing = book(`chapters: manuscript/Book.txt\n${MATRIX}`);
    writeFileSync(path.join(missing, 'manuscript', 'Book.txt'), '# ok\n01-setup.md\n07-gone.md\n');
    await expect(readBook({ cwd: missing })).rejects.toThrow(BookConfigError);
    await expect(readBook({ cwd: missing })).rejects.toThrow('manuscript/Book.txt:3: line: 07-gone.md: no such file in manuscript: fix the name, or delete the line if the chapter is gone');
    const directive = book(`chapters: manuscript/Book.txt\n${MATRIX}`);
    writeFileSync(path.join(directive, 'manuscript', 'Book.txt'), '{frontmatter}\n01-setup.md\n');
    await expect(readBook({ cwd: directive })).rejects.toThrow(/manuscript\/Book\.txt:1: .*write it into frontmatter\.txt/);
    const sample = book(`chapters: manuscript/Book.txt\n${MATRIX}`);
    writeFileSync(path.join(sample, 'manuscript', 'Sample.txt'), '01-setup.md\n11-draft.md\n');
    await expect(readBook({ cwd: sample })).rejects.toThrow('manuscript/Sample.txt:2: line: 11-draft.md is not in manuscript/Book.txt');
  });

  it('exits 2 when bookrun.yaml names a list that does not exist', async () => {
    const dir = book(`chapters: manuscript/Chapters.txt\n${MATRIX}`);
    await expect(readBook({ cwd: dir })).rejects.toThrow('bookrun.yaml: chapters: manuscript/Chapters.txt does not exist');
  });
});

describe('readBook with chapters listed in bookrun.yaml beside a manuscript/Book.txt', () => {
  it('orders them as Book.txt does, drafts it does not list after them, and keeps Book.txt for the truth', async () => {
    const dir = book(`chapters:\n  - manuscript/11-draft.md\n  - manuscript/03-canary.md\n  - manuscript/01-setup.md\n${MATRIX}`);
    const b = await readBook({ cwd: dir });
    expect(b.config.chapters).toEqual(['manuscript/01-setup.md', 'manuscript/03-canary.md', 'manuscript/11-draft.md']);
    expect(b.bookList!.chapters).toHaveLength(8);
  });
});

describe('findUnlistedChapters', () => {
  it('finds the chapter files beside the book\'s that it does not list, never its README or matter files', async () => {
    const dir = book(`chapters: manuscript/Book.txt\n${MATRIX}`);
    writeFileSync(path.join(dir, 'manuscript', 'README.md'), '# About this folder\n');
    expect(await findUnlistedChapters(await readBook({ cwd: dir }))).toEqual(['manuscript/11-draft.md']);
  });
});
