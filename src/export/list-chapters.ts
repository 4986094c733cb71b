import { existsSync } from 'node:fs';
import path from 'node:path';
import { ChapterNotFoundError, chapterKey, type Book } from '../book/read-book.ts';

/** A chapter a command is to read: its absolute path and how messages name it. */
export interface ListedChapter {
  file: string;
  shown: string;
}

/**
 * The chapters named on the command line (relative to `cwd`), or every chapter of the book when none is
 * named. Named chapters that are in the book come in book order; others follow in the order given. Throws
 * {@link ChapterNotFoundError} naming the first missing file.
 */
export function listChapters(book: Book, named: string[], cwd = process.cwd()): ListedChapter[] {
  const files = named.length > 0 ? named.map((f) => path.resolve(cwd, f)) : book.chapterPaths;
  for (const [i, file] of files.entries()) {
    if (!existsSync(file)) throw new ChapterNotFoundError(named[i] ?? path.relative(cwd, file));
  }
  const order = (file: string) => {
    const at = book.chapterPaths.indexOf(file);
    return at < 0 ? book.chapterPaths.length : at;
  };
  const unique = [...new Set(files)];
  return unique
    .map((file, given) => ({ file, given }))
    .sort((a, b) => order(a.file) - order(b.file) || a.given - b.given)
    .map(({ file }) => {
      const key = chapterKey(book, file);
      return { file, shown: key.startsWith('..') ? path.relative(cwd, file) : key };
    });
}
