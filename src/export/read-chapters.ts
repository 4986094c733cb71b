import { existsSync } from 'node:fs';
import path from 'node:path';
import { ChapterNotFoundError, chapterKey, type Book } from '../book/read-book.ts';
import { readBookChapter, type OpenedChapter } from '../book/read-book-chapter.ts';

/** A chapter read for publishing: the one shape every command gets (see `readBookChapter`). */
export type ReadChapter = OpenedChapter;

/**
 * Reads the chapters named on the command line (relative to `cwd`), or every chapter of the book when none
 * is named. Named chapters that are in the book come in book order; others follow in the order given.
 * Each is read the one way (`readBookChapter`: once, checked to be text, parsed). Throws
 * {@link ChapterNotFoundError} naming the first missing file.
 */
export async function readChapters(book: Book, named: string[], cwd = process.cwd()): Promise<ReadChapter[]> {
  const files = named.length > 0 ? named.map((f) => path.resolve(cwd, f)) : book.chapterPaths;
  for (const [i, file] of files.entries()) {
    if (!existsSync(file)) throw new ChapterNotFoundError(named[i] ?? path.relative(cwd, file));
  }
  const order = (file: string) => {
    const at = book.chapterPaths.indexOf(file);
    return at < 0 ? book.chapterPaths.length : at;
  };
  const unique = [...new Set(files)];
  const sorted = unique
    .map((file, given) => ({ file, given }))
    .sort((a, b) => order(a.file) - order(b.file) || a.given - b.given)
    .map((x) => x.file);
  return Promise.all(
    sorted.map((file) => {
      const key = chapterKey(book, file);
      return readBookChapter(book, file, key.startsWith('..') ? path.relative(cwd, file) : key);
    }),
  );
}
