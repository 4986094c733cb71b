import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PUBLISHED_PLAN_VERSION, PUBLISHED_PLANS_DIR, type PublishedIndex } from '../core/published-plan.ts';
import { toPublishedPlan } from '../core/to-published-plan.ts';
import type { Book } from '../book/read-book.ts';
import type { OnlineChapter } from './read-online-chapters.ts';

async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
}

/** Where a chapter's plan goes inside the plans folder: its key, `.json` added (`docs/local-canary.md.json`). */
export function publishedPlanFile(key: string): string {
  return `${key.split('/').map(encodeURIComponent).join('/')}.json`;
}

/**
 * Writes the book's published plans into a built site (`outDir`/bookrun/plans/): `index.json` and one file per
 * chapter ({@link toPublishedPlan}), which `bookrun connect BOOK_URL` fetches so a reader's terminal runs only
 * the steps the book holds. Returns the files written, relative to `outDir`.
 */
export async function writePublishedPlans(outDir: string, book: Book, chapters: readonly OnlineChapter[]): Promise<string[]> {
  const dir = path.join(outDir, ...PUBLISHED_PLANS_DIR.split('/'));
  const index: PublishedIndex = {
    version: PUBLISHED_PLAN_VERSION,
    title: book.config.title,
    variants: chapters[0]?.plans.map((p) => p.variant.name) ?? [],
    secrets: Object.keys(book.config.ci.secrets),
    chapters: chapters.map((c) => ({ chapter: c.key, plan: publishedPlanFile(c.key) })),
  };
  const written: string[] = [];
  for (const chapter of chapters) {
    // A key leaving the book's folder (`../x.md`) would leave the plans folder too.
    if (chapter.key.split('/').some((part) => part === '..' || part === '')) throw new Error(`${chapter.key}: a chapter outside the book's folder cannot be published`);
    const file = path.join(dir, ...chapter.key.split('/')) + '.json';
    await writeAtomic(file, `${JSON.stringify(toPublishedPlan(chapter.plans))}\n`);
    written.push(path.relative(outDir, file));
  }
  await writeAtomic(path.join(dir, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
  written.push(path.relative(outDir, path.join(dir, 'index.json')));
  return written;
}
