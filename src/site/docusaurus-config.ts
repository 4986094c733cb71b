import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '@docusaurus/types';
import { readBook } from '../book/read-book.ts';
import { shSyntaxParser } from '../book/sh-syntax-parser.ts';
import { parseChapter } from '../core/parse-chapter.ts';
import { PACKAGE_STATIC_DIR } from './package-paths.ts';
import { readSiteBook } from './read-site-book.ts';
import { toSiteConfig } from './to-site-config.ts';
import { createWriteGuard } from '../book/create-write-guard.ts';
import { openDiagramCache } from '../diagrams/open-diagram-cache.ts';

/**
 * The Docusaurus config the bookrun package ships (`bookrun build` / `bookrun dev` pass it with `--config`,
 * the site folder being the book's root). The book is the one `BOOKRUN_CONFIG` names, else the bookrun.yaml
 * found from the current folder up.
 *
 * Environment:
 * - BOOKRUN_CONFIG: the book config (bookrun.yaml).
 * - BOOKRUN_SITE_MODE=dev|prod: show author notes and the status box (default: dev under `docusaurus start`).
 * - BOOKRUN_SITE_PLUGIN=off: build without the bookrun remark plugin (for the bench's baseline).
 * - BOOKRUN_TERMINAL_URL: WebSocket URL of the terminal server when it is not the page's origin (`bookrun dev`).
 */
export default async function createConfig(): Promise<Config> {
  const book = await readBook({ cwd: process.cwd(), config: process.env.BOOKRUN_CONFIG || undefined });
  const mode = process.env.BOOKRUN_SITE_MODE;
  const dev = mode ? mode === 'dev' : process.env.NODE_ENV === 'development';
  const site = await readSiteBook(book);
  if (dev) {
    const list = book.bookList?.file ?? book.config.file;
    for (const key of site.unlisted) console.warn(`[bookrun] ${key}: not in ${list}, so not in the site: add it to ${path.basename(list)} to make it a chapter`);
  }
  const own = (name: string) => (existsSync(path.join(book.root, name)) ? path.join(book.root, name) : null);
  const bookStatic = own('static');
  return toSiteConfig(site, {
    dev,
    plugin: process.env.BOOKRUN_SITE_PLUGIN !== 'off',
    terminalUrl: process.env.BOOKRUN_TERMINAL_URL || null,
    parse: (text, key) => parseChapter(text, { file: key, config: book.config, shell: shSyntaxParser }),
    staticDirectories: [PACKAGE_STATIC_DIR, ...(bookStatic && bookStatic !== PACKAGE_STATIC_DIR ? [bookStatic] : [])],
    pagesDir: own(path.join('src', 'pages')),
    diagramCache: () => openDiagramCache(book.root, createWriteGuard(book)),
  });
}
