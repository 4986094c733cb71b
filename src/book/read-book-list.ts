import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BookConfigError } from '../core/book-config.ts';
import { parseBookList, toLeadingMatterDirective, toMatterDirective } from '../core/parse-book-list.ts';

/** Which part of a Leanpub book a file belongs to. */
export type Matter = 'front' | 'main' | 'back';

/** A chapter file a Leanpub list names: its key (relative to the book root, forward slashes), line and matter. */
export interface BookListChapter {
  key: string;
  line: number;
  matter: Matter;
}

/**
 * A book's `Book.txt` (and the `Sample.txt` beside it) as Leanpub reads them: the truth about which files
 * are in the book, in which order and matter, and which make the free sample.
 */
export interface BookList {
  /** Key of the list (`manuscript/Book.txt`). */
  file: string;
  /** The chapters, in the list's order; matter files are not among them. */
  chapters: BookListChapter[];
  /** Files that hold only a matter directive (`frontmatter.txt` holding `{frontmatter}`), in the list's order. */
  matterFiles: BookListChapter[];
  /** The `Sample.txt` beside it: its key and the chapter keys it names; null when there is none. */
  sample: { file: string; chapters: string[] } | null;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw error;
  }
}

/** How much of a listed file tells its matter: a directive file is a directive, a chapter's is on its first line. */
const HEAD_BYTES = 4096;

/**
 * The matter a listed file sets: the whole of it a directive (a matter file), or one on its first line (a
 * chapter); `undefined` when there is no such file. Reads the file's head only (a chapter is read once, later,
 * by whoever needs its text); the whole file only when the head cannot tell.
 */
async function readMatter(file: string): Promise<{ whole: Matter | null; leading: Matter | null } | undefined> {
  const head = Buffer.alloc(HEAD_BYTES);
  let length: number;
  try {
    const fd = openSync(file, 'r');
    try {
      length = readSync(fd, head, 0, HEAD_BYTES, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw error;
  }
  let text = head.toString('utf8', 0, length);
  // The head settles it unless more follows a head that is a directive, or a first line longer than the head.
  if (length === HEAD_BYTES && (toMatterDirective(text) || !/\n/.test(text))) text = (await readText(file)) ?? '';
  return { whole: toMatterDirective(text), leading: toLeadingMatterDirective(text) };
}

function keyOf(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/**
 * Reads the Leanpub list `file` (absolute) of the book at `root`: every file it names must exist; a file
 * that holds only `{frontmatter}`, `{mainmatter}` or `{backmatter}` switches the matter of the files after it
 * (as does such a directive on a chapter's first line). Returns null when `file` does not exist and
 * `required` is false. Problems are {@link BookConfigError}s naming `FILE:LINE` (exit 2).
 */
export async function readBookList(root: string, file: string, options: { required: boolean; shown: string }): Promise<BookList | null> {
  const text = await readText(file);
  const listKey = keyOf(root, file);
  if (text === null) {
    if (!options.required) return null;
    throw new BookConfigError(options.shown, 'chapters', `${listKey} does not exist: write the list of chapter files there (one a line), or list the chapters in ${path.basename(options.shown)}`);
  }
  const dir = path.dirname(file);
  const parsed = parseBookList(text);
  const first = parsed.problems[0];
  if (first) throw new BookConfigError(`${listKey}:${first.line}`, 'line', first.message);
  const chapters: BookListChapter[] = [];
  const matterFiles: BookListChapter[] = [];
  // Without a directive every file is main matter; `{frontmatter}` and `{backmatter}` switch until the next.
  let matter: Matter = 'main';
  const matters = await Promise.all(parsed.entries.map((entry) => readMatter(path.join(dir, entry.file))));
  parsed.entries.forEach((entry, i) => {
    const found = matters[i];
    const key = keyOf(root, path.join(dir, entry.file));
    if (found === undefined) {
      throw new BookConfigError(`${listKey}:${entry.line}`, 'line', `${entry.file}: no such file in ${keyOf(root, dir) || '.'}: fix the name, or delete the line if the chapter is gone`);
    }
    const { whole, leading } = found;
    if (whole) {
      matter = whole;
      matterFiles.push({ key, line: entry.line, matter: whole });
      return;
    }
    if (leading) matter = leading;
    chapters.push({ key, line: entry.line, matter });
  });
  const sampleFile = path.join(dir, 'Sample.txt');
  const sampleText = await readText(sampleFile);
  let sample: BookList['sample'] = null;
  if (sampleText !== null) {
    const sampleList = parseBookList(sampleText);
    const problem = sampleList.problems[0];
    const sampleKey = keyOf(root, sampleFile);
    if (problem) throw new BookConfigError(`${sampleKey}:${problem.line}`, 'line', problem.message);
    const keys = new Set(chapters.map((c) => c.key));
    const named: string[] = [];
    for (const entry of sampleList.entries) {
      const key = keyOf(root, path.join(dir, entry.file));
      // Matter files may stand in the sample too; a chapter must be one of the book's.
      if (matterFiles.some((m) => m.key === key)) continue;
      if (!keys.has(key)) throw new BookConfigError(`${sampleKey}:${entry.line}`, 'line', `${entry.file} is not in ${listKey}: the sample is made of the book's chapters; add it to ${path.basename(listKey)} or delete the line`);
      named.push(key);
    }
    sample = { file: sampleKey, chapters: named };
  }
  return { file: listKey, chapters, matterFiles, sample };
}
