import path from 'node:path';
import { listVariants } from '../core/book-config.ts';
import type { Chapter, Plan } from '../core/model.ts';
import { planChapter } from '../core/plan-chapter.ts';
import type { Book } from '../book/read-book.ts';
import { readBookChapter } from '../book/read-book-chapter.ts';

/** A chapter of the book as the online plugin needs it: its key, text digest, page source and plans. */
export interface OnlineChapter {
  key: string;
  /** sha256 of the text: run reports of this text verify it. */
  sha256: string;
  /** The page's source as Docusaurus names it (`@site/docs/local-canary.md`), to find the chapter from a page. */
  source: string;
  /** The chapter planned for every variant of the book, in matrix order. */
  plans: Plan[];
  chapter: Chapter;
}

/**
 * Opens every chapter of the book (the one way: readBookChapter) and plans it for every variant, as the pages
 * are rendered from. Chapters listed but missing are left out (the site build reports them).
 */
export async function readOnlineChapters(book: Book, siteDir: string): Promise<OnlineChapter[]> {
  const variants = listVariants(book.config);
  const chapters: OnlineChapter[] = [];
  for (const file of book.chapterPaths) {
    let opened;
    try {
      opened = await readBookChapter(book, file);
    } catch {
      continue;
    }
    chapters.push({
      key: opened.key,
      sha256: opened.sha256,
      source: `@site/${path.relative(siteDir, file).split(path.sep).join('/')}`,
      plans: variants.map((v) => planChapter(opened.chapter, v, book.config)),
      chapter: opened.chapter,
    });
  }
  return chapters;
}
