import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Chapter } from '../core/model.ts';
import { parseChapter } from '../core/parse-chapter.ts';
import { checkMissingImages } from '../core/check-missing-images.ts';
import { toImagePath } from '../core/to-image-path.ts';
import { ChapterNotFoundError } from './chapter-errors.ts';
import { decodeChapterText } from './decode-chapter-text.ts';
import { chapterKey, type Book } from './read-book.ts';
import { shSyntaxParser } from './sh-syntax-parser.ts';

/** A chapter as every command needs it: read once, checked to be text, parsed with its book's matrix. */
export interface OpenedChapter {
  book: Book;
  chapter: Chapter;
  /** Absolute path. */
  file: string;
  /** Path relative to the book root, forward slashes: as in bookrun.yaml and in run reports. */
  key: string;
  /** How messages name it (the path as the user gave it, or its key). */
  shown: string;
  /** Whether bookrun.yaml lists it as a chapter. */
  inBook: boolean;
  /** The file's text, exactly. */
  text: string;
  /** sha256 of the text: what run reports record and `bookrun status` compares. */
  sha256: string;
}

/**
 * Reads one chapter of `book` (or a file given beside it): the bytes once, checked to be UTF-8 text
 * without NUL bytes, then parsed. Throws {@link ChapterNotFoundError} or `ChapterNotTextError` (exit 2).
 */
export async function readBookChapter(book: Book, file: string, shown?: string): Promise<OpenedChapter> {
  const absolute = path.resolve(file);
  const key = chapterKey(book, absolute);
  const name = shown ?? (key.startsWith('..') ? path.relative(process.cwd(), absolute) || absolute : key);
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ChapterNotFoundError(name, code === 'EISDIR' ? 'is a folder, not a chapter file' : code === 'EACCES' ? 'cannot be read (permission denied)' : 'no such chapter file');
  }
  const text = decodeChapterText(bytes, name);
  const chapter = await parseChapter(text, { file: name, config: book.config, shell: shSyntaxParser });
  // Images are looked for where the manuscript and the blog copy them from (a chapter outside the book: beside it).
  const missing = checkMissingImages(chapter, (ref) => {
    const inBook = key.startsWith('..') ? null : toImagePath(key, ref);
    return existsSync(inBook === null ? path.resolve(path.dirname(absolute), ref) : path.join(book.root, inBook));
  });
  if (missing.length > 0) {
    chapter.diagnostics.push(...missing);
    chapter.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  }
  return {
    book,
    chapter,
    file: absolute,
    key,
    shown: name,
    inBook: book.chapterPaths.includes(absolute),
    text,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
