import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chapterGistName } from '../core/gist-links.ts';
import type { Book } from '../book/read-book.ts';
import { toGist } from '../export/to-gist.ts';
import type { OnlineChapter } from './read-online-chapters.ts';

/** Folder of the published gists inside the build. */
export const PUBLISHED_GISTS_DIR = 'bookrun/gists';

/**
 * Writes each chapter's commands as its gist script (`toGist`, the same text `bookrun gists` writes) into the
 * built site (`outDir`/bookrun/gists/NAME.sh): a gist link the author left without a URL (`[x.sh](TODO:)`) points
 * there instead of to `TODO:`. Returns the files written, relative to `outDir`.
 */
export async function writePublishedGists(outDir: string, book: Book, chapters: readonly OnlineChapter[]): Promise<string[]> {
  const dir = path.join(outDir, ...PUBLISHED_GISTS_DIR.split('/'));
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const chapter of chapters) {
    const file = path.join(dir, chapterGistName(chapter.key));
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, toGist(chapter.chapter, book.config));
    await rename(temp, file);
    written.push(path.relative(outDir, file));
  }
  return written;
}
