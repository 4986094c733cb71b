/**
 * A published book as the site build writes it, without building a site: a page naming the plans' index (minified,
 * as Docusaurus writes pages), the index, and each chapter's plan made by the real planner (toPublishedPlan). For
 * tests of `bookrun connect` and its server; `tamper` edits a plan after it is made (an attack, a damaged file).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readBook } from '../book/read-book.ts';
import { readBookChapter } from '../book/read-book-chapter.ts';
import { listVariants } from '../core/book-config.ts';
import { planChapter } from '../core/plan-chapter.ts';
import { toPublishedPlan } from '../core/to-published-plan.ts';

export interface PublishOptions {
  tamper?: (plan: Record<string, unknown>) => void;
  /** The page's head (default: the meta naming `/bookrun/plans/index.json`). */
  meta?: string;
}

export async function publishFixturePlans(bookDir: string, outDir: string, options: PublishOptions = {}): Promise<void> {
  const book = await readBook({ cwd: bookDir });
  const chapters: Array<{ chapter: string; plan: string }> = [];
  for (const key of book.config.chapters) {
    const { chapter } = await readBookChapter(book, path.join(book.root, key));
    const plan = toPublishedPlan(listVariants(book.config).map((v) => planChapter(chapter, v, book.config))) as unknown as Record<string, unknown>;
    options.tamper?.(plan);
    const file = path.join(outDir, 'bookrun', 'plans', `${key}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(plan));
    chapters.push({ chapter: key, plan: `${key}.json` });
  }
  writeFileSync(path.join(outDir, 'index.html'), `<!doctype html><html><head>${options.meta ?? '<meta name=bookrun-plans content=/bookrun/plans/index.json>'}</head><body>${book.config.title}</body></html>`);
  writeFileSync(
    path.join(outDir, 'bookrun', 'plans', 'index.json'),
    JSON.stringify({ version: 1, title: book.config.title, variants: listVariants(book.config).map((v) => v.name), secrets: Object.keys(book.config.ci.secrets), chapters }),
  );
}
