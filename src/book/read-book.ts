import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BookConfigError, parseBookConfig, type BookConfig } from '../core/book-config.ts';
import type { Chapter } from '../core/model.ts';
import { createChapterCache, type ChapterCache } from './chapter-cache.ts';
import { keepBookConfig, readCachedBookConfig } from './config-cache.ts';
import { readBookList, type BookList } from './read-book-list.ts';

export { ChapterNotFoundError, ChapterNotTextError } from './chapter-errors.ts';

/** The book config's file name, looked up from the current directory upwards. */
export const CONFIG_NAME = 'bookrun.yaml';

/** A loaded book: its config and the folder chapter paths are relative to. */
export interface Book {
  config: BookConfig;
  /** Absolute folder of the config file. */
  root: string;
  /** Absolute path of the config file. */
  configFile: string;
  /** Absolute paths of the chapters, in book order. */
  chapterPaths: string[];
  /**
   * The book's Leanpub `Book.txt` (the one `chapters:` names, else `manuscript/Book.txt` when it exists) with
   * its `Sample.txt`: the truth about order, matter, "Add to Book.txt" and the sample. Null without one.
   */
  bookList: BookList | null;
  /** Parsed chapters kept under `.bookrun/cache/` between commands (absent or null: every chapter is parsed). */
  chapterCache?: ChapterCache | null;
}

/** Where a book in Leanpub's layout keeps its list of chapters. */
export const LEANPUB_BOOK_LIST = 'manuscript/Book.txt';

/**
 * The chapters in the order Book.txt gives them: those it lists first, in its order, then those it does not
 * (drafts the author works on with bookrun), in the config's order.
 */
function inBookOrder(chapters: string[], list: BookList): string[] {
  const at = new Map(list.chapters.map((c, i) => [c.key, i]));
  return chapters
    .map((key, i) => ({ key, i, listed: at.get(path.posix.normalize(key)) }))
    .sort((a, b) => (a.listed ?? Infinity) - (b.listed ?? Infinity) || a.i - b.i)
    .map((x) => x.key);
}

/** Finds `bookrun.yaml` from `from` upwards; null when there is none. */
export function findBookConfig(from: string): string | null {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, CONFIG_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Reads the book config, found by the one rule every command uses: `config` (from `--config`), else the
 * one found upwards from the folder of the chapter `near` (when given), else the one found from `cwd`
 * upwards. Throws {@link BookConfigError} (exit 2) when none is found or it is invalid (`FILE:LINE`).
 */
export async function readBook(options: { cwd?: string; config?: string; near?: string } = {}): Promise<Book> {
  const cwd = options.cwd ?? process.cwd();
  // A chapter inside a book uses that book's config; a chapter elsewhere uses the one found from the cwd.
  const file = options.config
    ? path.resolve(cwd, options.config)
    : ((options.near ? findBookConfig(path.dirname(path.resolve(cwd, options.near))) : null) ?? findBookConfig(cwd));
  if (!file) {
    throw new BookConfigError(path.join(cwd, CONFIG_NAME), '(file)', `no ${CONFIG_NAME} here or in any parent folder: create one or pass --config FILE`);
  }
  const rel = path.relative(cwd, file) || CONFIG_NAME;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new BookConfigError(rel, '(file)', 'cannot read the book config: check the path given to --config');
  }
  const root = path.dirname(file);
  const { config, parsed } = await readConfigText(text, rel);
  const listFile = path.resolve(root, config.chaptersFile ?? LEANPUB_BOOK_LIST);
  const bookList = await readBookList(root, listFile, { required: config.chaptersFile !== null, shown: rel });
  if (bookList) {
    config.chapters = config.chaptersFile !== null ? bookList.chapters.map((c) => c.key) : inBookOrder(config.chapters, bookList);
    if (bookList.sample) config.leanpub.sample = bookList.sample.chapters;
  }
  const book: Book = { config, root, configFile: file, chapterPaths: config.chapters.map((c) => path.resolve(root, c)), bookList };
  book.chapterCache = createChapterCache(book);
  if (parsed !== undefined) keepBookConfig(text, parsed);
  return book;
}

/**
 * The book config in `text`: from the cache when this build already found exactly this text valid (no YAML
 * parser loaded), else parsed and validated, with `FILE:LINE` on an error; `parsed` is the data to cache then.
 */
async function readConfigText(text: string, rel: string): Promise<{ config: BookConfig; parsed?: unknown }> {
  const cached = readCachedBookConfig(text);
  if (cached !== undefined) {
    try {
      return { config: parseBookConfig(cached, rel) };
    } catch {
      // not what this build makes of the text after all: parsed again, for the error's line
    }
  }
  const { parseYamlText } = await import('./read-yaml-file.ts');
  const yaml = parseYamlText(text);
  if (!yaml.ok) {
    const { line, message } = yaml.kind === 'invalid' ? yaml : { line: null, message: 'invalid YAML' };
    throw new BookConfigError(line ? `${rel}:${line}` : rel, '(yaml)', message);
  }
  return { config: parseBookConfig(yaml.data, rel, { lineOf: yaml.lineOf }), parsed: yaml.data };
}

/**
 * Reads and parses one chapter with the book's matrix; `displayPath` is how messages name it. Kept for
 * callers that need only the parsed chapter: it is {@link readBookChapter}, the one way to read one.
 */
export async function readChapter(book: Book, file: string, displayPath = file): Promise<Chapter> {
  const { readBookChapter } = await import('./read-book-chapter.ts');
  return (await readBookChapter(book, file, displayPath)).chapter;
}

/** The chapter path relative to the book root, with forward slashes (as in bookrun.yaml). */
export function chapterKey(book: Book, file: string): string {
  return path.relative(book.root, path.resolve(file)).split(path.sep).join('/');
}
