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
  const contents = await Promise.all(parsed.entries.map((entry) => readText(path.join(dir, entry.file))));
  parsed.entries.forEach((entry, i) => {
    const content = contents[i];
    const key = keyOf(root, path.join(dir, entry.file));
    if (content === null || content === undefined) {
      throw new BookConfigError(`${listKey}:${entry.line}`, 'line', `${entry.file}: no such file in ${keyOf(root, dir) || '.'}: fix the name, or delete the line if the chapter is gone`);
    }
    const whole = toMatterDirective(content);
    if (whole) {
      matter = whole;
      matterFiles.push({ key, line: entry.line, matter: whole });
      return;
    }
    const leading = toLeadingMatterDirective(content);
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
