import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Chapter } from '../core/model.ts';
import { checkMissingImages } from '../core/check-missing-images.ts';
import { toImagePath } from '../core/to-image-path.ts';
import { ChapterNotFoundError } from './chapter-errors.ts';
import { decodeChapterText } from './decode-chapter-text.ts';
import { loadParseChapter } from './load-parse-chapter.ts';
import { chapterKey, type Book } from './read-book.ts';

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
  /**
   * The files other than the chapter its diagnostics depend on (the images it shows, absolute paths), and
   * whether each was there: what a view made of the chapter is good for only while they stay so.
   */
  looked: Record<string, boolean>;
}

/**
 * Reads one chapter of `book` (or a file given beside it): the bytes once (or `bytes`, when the caller read
 * them already), checked to be UTF-8 text without NUL bytes, then parsed. Throws {@link ChapterNotFoundError}
 * or `ChapterNotTextError` (exit 2).
 */
export async function readBookChapter(book: Book, file: string, shown?: string, read?: Buffer): Promise<OpenedChapter> {
  const absolute = path.resolve(file);
  const key = chapterKey(book, absolute);
  const name = shown ?? (key.startsWith('..') ? path.relative(process.cwd(), absolute) || absolute : key);
  let bytes: Buffer;
  try {
    bytes = read ?? (await readFile(absolute));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ChapterNotFoundError(name, code === 'EISDIR' ? 'is a folder, not a chapter file' : code === 'EACCES' ? 'cannot be read (permission denied)' : 'no such chapter file');
  }
  // A chapter parsed before, from these very bytes, settings and parser, comes from the cache; its bytes were
  // checked to be text when it was parsed.
  let text: string | null = null;
  const cached = (await book.chapterCache?.get(key, bytes, () => (text = bytes.toString('utf8')))) ?? null;
  let chapter: Chapter;
  if (cached) {
    chapter = { ...cached, file: name };
    text ??= bytes.toString('utf8');
  } else {
    text = decodeChapterText(bytes, name);
    // The parser (remark) is loaded only when a chapter is not in the cache, the shell parser's WASM only when
    // a script was not parsed before (the sections kept answer for the others).
    const loadShell = async () => (await import('./sh-syntax-parser.ts')).shSyntaxParser;
    const [parseChapter, sections] = await Promise.all([loadParseChapter(), book.chapterCache?.sections(key)]);
    const shell = sections ? sections.shell(loadShell) : await loadShell();
    chapter = await parseChapter(text, { file: name, config: book.config, shell, markdownCache: sections });
    book.chapterCache?.put(key, bytes, chapter, sections);
  }
  // Images are looked for where the manuscript and the blog copy them from (a chapter outside the book: beside it).
  const looked: Record<string, boolean> = {};
  const missing = checkMissingImages(chapter, (ref) => {
    const inBook = key.startsWith('..') ? null : toImagePath(key, ref);
    const image = inBook === null ? path.resolve(path.dirname(absolute), ref) : path.join(book.root, inBook);
    return (looked[image] = existsSync(image));
  });
  // A new list, never the parsed one: that one may be the cache's (what is cached depends on the text alone).
  if (missing.length > 0) chapter = { ...chapter, diagnostics: [...chapter.diagnostics, ...missing].sort((a, b) => a.line - b.line || a.column - b.column) };
  return {
    book,
    chapter,
    file: absolute,
    key,
    shown: name,
    inBook: book.chapterPaths.includes(absolute),
    text,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    looked,
  };
}
