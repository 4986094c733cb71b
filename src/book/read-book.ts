import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../core/input-error.ts';
import { BookConfigError, parseBookConfig, type BookConfig } from '../core/book-config.ts';
import { parseChapter } from '../core/parse-chapter.ts';
import type { Chapter } from '../core/model.ts';
import { readYamlFile } from './read-yaml-file.ts';
import { shSyntaxParser } from './sh-syntax-parser.ts';

/** The book config's file name, looked up from the current directory upwards. */
export const CONFIG_NAME = 'bookrun.yaml';

/** A loaded book: its config and the folder chapter paths are relative to. */
export interface Book {
  config: BookConfig;
  /** Absolute folder of the config file. */
  root: string;
  /** Absolute paths of the chapters, in book order. */
  chapterPaths: string[];
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
 * Reads the book config: `config` (from `--config`), else the one found upwards from the chapter `near`
 * (when given), else the one found from `cwd` upwards.
 * Throws {@link BookConfigError} (exit 2) when none is found or it is invalid.
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
  const yaml = await readYamlFile(file);
  if (!yaml.ok && yaml.kind === 'unreadable') throw new BookConfigError(file, '(file)', 'cannot read the book config: check the path given to --config');
  if (!yaml.ok) throw new BookConfigError(yaml.line ? `${file}:${yaml.line}` : file, '(yaml)', yaml.message);
  const data = yaml.data;
  const rel = path.relative(cwd, file) || CONFIG_NAME;
  const config = parseBookConfig(data, rel);
  const root = path.dirname(file);
  return { config, root, chapterPaths: config.chapters.map((c) => path.resolve(root, c)) };
}

/** Thrown when a chapter file cannot be read: the CLI turns it into exit 2. */
export class ChapterNotFoundError extends InputError {
  constructor(readonly file: string) {
    super(`${file}: no such chapter file: check the path (book chapters: see bookrun.yaml)`);
  }
}

/** Reads and parses one chapter with the book's matrix; `displayPath` is how messages name it. */
export async function readChapter(book: Book, file: string, displayPath = file): Promise<Chapter> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ChapterNotFoundError(displayPath);
  }
  return parseChapter(text, { file: displayPath, config: book.config, shell: shSyntaxParser });
}

/** The chapter path relative to the book root, with forward slashes (as in bookrun.yaml). */
export function chapterKey(book: Book, file: string): string {
  return path.relative(book.root, path.resolve(file)).split(path.sep).join('/');
}
