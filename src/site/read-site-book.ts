import { existsSync } from 'node:fs';
import path from 'node:path';
import { flushChapterCaches } from '../book/chapter-cache.ts';
import { findUnlistedChapters } from '../book/find-unlisted-chapters.ts';
import { readBookChapter } from '../book/read-book-chapter.ts';
import type { Book } from '../book/read-book.ts';
import type { Matter } from '../book/read-book-list.ts';
import type { Chapter } from '../core/model.ts';
import { toParts } from '../core/to-parts.ts';
import { toChapterRoutes } from './to-chapter-routes.ts';

/** A chapter as the site shows it. */
export interface SiteChapter {
  /** As in the book config (relative to the book root). */
  key: string;
  title: string;
  /** Its page (`/canary-deployments`): the file name without `NN-` and extension. */
  path: string;
  /** Listed, but the file does not exist. */
  missing: boolean;
  matter: Matter;
  /** The title of the part this chapter opens (its `-# Part` heading), or null. */
  part: string | null;
  /** The crosslink ids it defines. */
  ids: string[];
}

/** Everything the site needs to know of its book, read once (each chapter the one way every command reads it). */
export interface SiteBook {
  book: Book;
  chapters: SiteChapter[];
  /** Chapter files beside the book's that it does not list: the dev site warns about each. */
  unlisted: string[];
  /** The parses already made, by chapter key: the remark plugin reuses them when the text is the same. */
  parsed: Map<string, { text: string; chapter: Chapter }>;
}

/**
 * Reads the book's chapters for its site: every chapter of the book (front, main and back matter, in
 * Book.txt's order), its title, route, part, ids, and the chapter files it does not list.
 */
export async function readSiteBook(book: Book): Promise<SiteBook> {
  const keys = [...new Set([...book.config.leanpub.frontmatter, ...book.config.chapters, ...book.config.leanpub.backmatter])];
  const routes = toChapterRoutes(keys);
  const matterOf = new Map(book.bookList?.chapters.map((c) => [c.key, c.matter]) ?? []);
  for (const key of book.config.leanpub.frontmatter) matterOf.set(key, 'front');
  for (const key of book.config.leanpub.backmatter) matterOf.set(key, 'back');
  const parsed = new Map<string, { text: string; chapter: Chapter }>();
  const chapters = await Promise.all(
    keys.map(async (key): Promise<SiteChapter> => {
      const file = path.join(book.root, key);
      const base = { key, path: routes.get(key)!, matter: matterOf.get(key) ?? 'main' };
      if (!existsSync(file)) return { ...base, title: key, missing: true, part: null, ids: [] };
      const opened = await readBookChapter(book, file, key);
      parsed.set(key, { text: opened.text, chapter: opened.chapter });
      return { ...base, title: opened.chapter.title || key, missing: false, part: toParts(opened.chapter)[0]?.title ?? null, ids: opened.chapter.ids };
    }),
  );
  // The site's process is no CLI command: it keeps what it parsed itself (the parses, the config's data).
  await flushChapterCaches();
  return { book, chapters, unlisted: await findUnlistedChapters(book), parsed };
}
