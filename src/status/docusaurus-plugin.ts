import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { readBook } from '../book/read-book.ts';
import { packageFile } from '../site/package-paths.ts';
import type { BookStatus } from '../core/status-model.ts';
import { readStatus } from './read-status.ts';

/** Options of {@link bookStatusPlugin}. */
export interface BookStatusPluginOptions {
  /** The book config (`--config`); default bookrun.yaml found from the site folder upwards. */
  config?: string;
  /** The reports folder; default the book's `reportsDir`. */
  reports?: string;
  /** The page's route (default `/book-status`). */
  routePath?: string;
}


/** Whether the page is added: only in the dev site (`npm start`), never in a production build. */
export function isDevBuild(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production';
}

/**
 * The dev-only "Book status" page: the same status as `bookrun status`, at `/book-status`, recomputed when a
 * chapter, a gist or a report changes. In a production build (`NODE_ENV=production`) it adds nothing.
 *
 * In docusaurus.config.ts: `plugins: [[bookStatusPlugin, { config: process.env.BOOKRUN_CONFIG || undefined }]]`.
 */
export default async function bookStatusPlugin(context: LoadContext, options: BookStatusPluginOptions = {}): Promise<Plugin<BookStatus | null>> {
  const dev = isDevBuild();
  const book = dev ? await readBook({ cwd: context.siteDir, config: options.config }) : null;
  const routePath = options.routePath ?? '/book-status';
  return {
    name: 'bookrun-book-status',
    async loadContent() {
      if (!dev) return null;
      return readStatus({ cwd: context.siteDir, config: options.config, reports: options.reports });
    },
    async contentLoaded({ content, actions }) {
      if (!content) return;
      const data = await actions.createData('book-status.json', JSON.stringify(content));
      actions.addRoute({
        path: `${context.baseUrl.replace(/\/$/, '')}${routePath}`,
        component: packageFile('status/book-status-page.tsx'),
        modules: { status: data },
        exact: true,
      });
    },
    getPathsToWatch() {
      if (!book) return [];
      const reports = options.reports ? path.resolve(context.siteDir, options.reports) : path.resolve(book.root, book.config.reportsDir);
      return [book.configFile, ...book.chapterPaths, path.join(reports, '**/*.json'), path.join(book.root, book.config.gistsDir, '*.sh'), ...(book.bookList ? [path.join(book.root, book.bookList.file)] : [])];
    },
  };
}
