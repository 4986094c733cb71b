import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Book } from './read-book.ts';

const CHAPTER_FILE = /\.(md|markdown)$/i;

/**
 * Chapter files that sit where the book's chapters are (their folders, and `manuscript/` of a book in
 * Leanpub's layout) but that the book does not list (in bookrun.yaml or Book.txt): drafts, or chapters the
 * author forgot. Keys relative to the book root, sorted. Only the folders themselves, not below them.
 */
export async function findUnlistedChapters(book: Book): Promise<string[]> {
  const listed = new Set([...book.chapterPaths, ...book.config.leanpub.frontmatter, ...book.config.leanpub.backmatter].map((f) => path.resolve(book.root, f)));
  for (const m of book.bookList?.matterFiles ?? []) listed.add(path.resolve(book.root, m.key));
  const folders = new Set(book.chapterPaths.map((f) => path.dirname(f)));
  if (book.bookList) folders.add(path.dirname(path.resolve(book.root, book.bookList.file)));
  const found: string[] = [];
  for (const folder of folders) {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(folder, name);
      // README.md beside the chapters is the repository's, not the book's.
      if (!CHAPTER_FILE.test(name) || /^readme\./i.test(name) || listed.has(file)) continue;
      found.push(path.relative(book.root, file).split(path.sep).join('/'));
    }
  }
  return found.sort();
}
