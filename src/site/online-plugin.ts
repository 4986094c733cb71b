import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { PUBLISHED_PLANS_DIR, PUBLISHED_PLANS_META } from '../core/published-plan.ts';
import { toVerification, type VariantVerification } from '../core/to-verification.ts';
import { readBook } from '../book/read-book.ts';
import { readReports } from '../status/read-reports.ts';
import { readOnlineChapters, type OnlineChapter } from './read-online-chapters.ts';
import { writePublishedGists } from './write-published-gists.ts';
import { writePublishedPlans } from './write-published-plans.ts';
import { chapterGistName } from '../core/gist-links.ts';

/** Options of {@link bookrunOnlinePlugin}. */
export interface BookrunOnlineOptions {
  /** The book config; default bookrun.yaml found from the site folder upwards. */
  config?: string;
  /**
   * Folders of run reports ("Verified on …"): the reports folder `bookrun run` saves to, or downloaded CI
   * artifacts. Default `$BOOKRUN_REPORTS` (folders separated by `path.delimiter`), else the book's reports folder.
   */
  reports?: string[];
}

/** What the pages read (`usePluginData('bookrun-online')`). */
export interface OnlineData {
  /** Page source (`@site/docs/x.md`) → chapter key. */
  sources: Record<string, string>;
  /** Chapter key → variant → its newest run. */
  verification: Record<string, Record<string, VariantVerification>>;
  /** Gist files the build publishes (`bookrun/gists/NAME.sh`), for gist links the author left without a URL. */
  gists: string[];
}

interface Content {
  chapters: OnlineChapter[];
  data: OnlineData;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The build-time half of reading the book online and running it locally:
 * - every page names the book's published plans (`<meta name="bookrun-plans">`), and `docusaurus build` writes
 *   them (`bookrun/plans/`), so `bookrun connect BOOK_URL` runs only steps the book holds;
 * - run reports give each chapter its "Verified on <variant>, <date>" line and each block with expected output
 *   what that run printed (see docs/reference/site.md).
 */
export default async function bookrunOnlinePlugin(context: LoadContext, options: BookrunOnlineOptions = {}): Promise<Plugin<Content>> {
  const book = await readBook({ cwd: context.siteDir, config: options.config });
  const envReports = process.env.BOOKRUN_REPORTS?.split(path.delimiter).filter(Boolean);
  const reportDirs = (options.reports ?? envReports ?? [book.config.reportsDir]).map((d) => path.resolve(envReports && !options.reports ? process.cwd() : book.root, d));
  return {
    name: 'bookrun-online',
    getClientModules: () => [path.join(here, 'client/online.css')],
    async loadContent() {
      const chapters = await readOnlineChapters(book, context.siteDir);
      const reports = (await Promise.all(reportDirs.map((dir) => readReports(dir, { cwd: book.root })))).flat();
      const verification = toVerification(
        reports,
        chapters.map((c) => ({ key: c.key, sha256: c.sha256, expectSteps: c.plans[0]?.steps.filter((s) => s.expect).map((s) => s.id) ?? [] })),
      );
      return { chapters, data: { sources: Object.fromEntries(chapters.map((c) => [c.source, c.key])), verification, gists: chapters.map((c) => chapterGistName(c.key)) } };
    },
    async contentLoaded({ content, actions }) {
      actions.setGlobalData(content.data);
    },
    injectHtmlTags: () => ({
      headTags: [{ tagName: 'meta', attributes: { name: PUBLISHED_PLANS_META, content: `${context.baseUrl}${PUBLISHED_PLANS_DIR}/index.json` } }],
    }),
    async postBuild({ outDir, content }) {
      await writePublishedPlans(outDir, book, content.chapters);
      await writePublishedGists(outDir, book, content.chapters);
    },
    getPathsToWatch: () => [...book.chapterPaths, ...reportDirs.map((d) => path.join(d, '**/*.json'))],
  };
}
