import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readBookChapter, type OpenedChapter } from './read-book-chapter.ts';
import { chapterKey, type Book } from './read-book.ts';

/**
 * What a command makes of one chapter (`make`: a pure function of the chapter read, and of what `name`
 * says: `bookrun plan` prints a chapter's plans), served from the chapter cache when the chapter's bytes,
 * the book settings, bookrun's build and `name` are those it was made from; otherwise the chapter is read
 * the one way (`readBookChapter`, from the cache of parses or parsed) and the view kept. A view is kept with
 * the files beside the chapter its reading looked at (`looked`: its images, which its diagnostics name when
 * missing) and serves only while each is there or missing as it was. Re-planning a book after one chapter
 * changed then reads and plans that chapter alone.
 */
export async function readChapterView(book: Book, file: string, shown: string, name: string, make: (opened: OpenedChapter) => string): Promise<string> {
  const absolute = path.resolve(file);
  const cache = book.chapterCache;
  if (!cache) return make(await readBookChapter(book, absolute, shown));
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch {
    // readBookChapter says what is wrong with the file, the one way.
    return make(await readBookChapter(book, absolute, shown));
  }
  const key = chapterKey(book, absolute);
  const kept = await cache.getView(key, bytes, name);
  if (kept !== null) {
    // The first line: the files looked at, and whether each was there; the view follows.
    const end = kept.indexOf('\n');
    try {
      const looked = JSON.parse(kept.slice(0, end)) as Record<string, boolean>;
      if (end >= 0 && Object.entries(looked).every(([f, there]) => existsSync(f) === there)) return kept.slice(end + 1);
    } catch {
      // not a view this bookrun wrote: made again
    }
  }
  const opened = await readBookChapter(book, absolute, shown, bytes);
  const view = make(opened);
  cache.putView(key, bytes, name, `${JSON.stringify(opened.looked)}\n${view}`);
  return view;
}
