import path from 'node:path';
import { readBook } from './read-book.ts';
import { readBookChapter, type OpenedChapter } from './read-book-chapter.ts';

/** Options of {@link openChapter}. */
export interface OpenChapterOptions {
  /** The chapter file, as the user gave it (relative to `cwd`). */
  file: string;
  /** `--config FILE`, when given. */
  config?: string;
  /** Default: the current folder. */
  cwd?: string;
}

/**
 * The one way a command opens a chapter: finds its book config (`--config` when given, else upwards from the
 * chapter's own folder, then upwards from the current folder), then reads it once, checks it is text and
 * parses it with that book's matrix. Every error is an `InputError` (exit 2) naming the file.
 */
export async function openChapter(options: OpenChapterOptions): Promise<OpenedChapter> {
  const book = await readBook({ config: options.config, near: options.file, cwd: options.cwd });
  return readBookChapter(book, path.resolve(options.cwd ?? process.cwd(), options.file), options.file);
}
