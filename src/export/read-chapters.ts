import type { Book } from '../book/read-book.ts';
import { readBookChapter, type OpenedChapter } from '../book/read-book-chapter.ts';
import { listChapters } from './list-chapters.ts';

/** A chapter read for publishing: the one shape every command gets (see `readBookChapter`). */
export type ReadChapter = OpenedChapter;

/**
 * Reads the chapters named on the command line (relative to `cwd`), or every chapter of the book when none
 * is named, in the order {@link listChapters} gives. Each is read the one way (`readBookChapter`: once,
 * checked to be text, parsed). Throws `ChapterNotFoundError` naming the first missing file.
 */
export async function readChapters(book: Book, named: string[], cwd = process.cwd()): Promise<ReadChapter[]> {
  return Promise.all(listChapters(book, named, cwd).map(({ file, shown }) => readBookChapter(book, file, shown)));
}
