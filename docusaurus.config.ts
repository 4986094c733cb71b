import path from 'node:path';
import type { Config, PluginModule } from '@docusaurus/types';

/**
 * The book site. Chapters are the files listed in bookrun.yaml (or in the book config named by
 * BOOKRUN_CONFIG, which tests and the bench use), rendered as CommonMark through the bookrun remark
 * plugin, which reuses the core parser.
 *
 * Environment:
 * - BOOKRUN_CONFIG: another book config (default: bookrun.yaml found from the current folder up).
 * - BOOKRUN_SITE_MODE=dev|prod: show author notes and the status box (default: dev under `docusaurus start`).
 * - BOOKRUN_SITE_PLUGIN=off: build without the bookrun remark plugin (for the bench's baseline).
 * - BOOKRUN_TERMINAL_URL: WebSocket URL of the terminal server when it is not the page's origin (`bookrun dev`).
 */
export default async function createConfig(): Promise<Config> {
  // src is ESM and the remark ecosystem is ESM-only: import at run time.
  const { readBook } = await import('./src/book/read-book.ts');
  const { parseChapter } = await import('./src/core/parse-chapter.ts');
  const { shSyntaxParser } = await import('./src/book/sh-syntax-parser.ts');
  const { listVariants } = await import('./src/core/book-config.ts');
  const { default: remarkBookrun } = await import('./src/site/remark-bookrun.ts');
  const { default: bookrunSitePlugin } = await import('./src/site/docusaurus-plugin.ts');
  const { toDocsLayout } = await import('./src/site/to-docs-layout.ts');
  const { default: bookStatusPlugin } = await import('./src/status/docusaurus-plugin.ts');
  // Diagrams (issue 14): drawn at build time into inline SVG, from the exports' renderer and cache.
  const { default: remarkDiagrams } = await import('./src/diagrams/remark-diagrams.ts');
  const { openDiagramCache } = await import('./src/diagrams/open-diagram-cache.ts');
  const { createWriteGuard } = await import('./src/book/create-write-guard.ts');
  const { themes } = await import('prism-react-renderer');

  const book = await readBook({ cwd: process.cwd(), config: process.env.BOOKRUN_CONFIG || undefined });
  const mode = process.env.BOOKRUN_SITE_MODE;
  const dev = mode ? mode === 'dev' : process.env.NODE_ENV === 'development';
  const withPlugin = process.env.BOOKRUN_SITE_PLUGIN !== 'off';
  const layout = toDocsLayout(book.config.chapters);
  const chapters = new Map<string, Promise<import('./src/core/model.ts').Chapter>>();
  const parse = (text: string, key: string) => {
    const cacheKey = `${key}\0${text}`;
    let chapter = chapters.get(cacheKey);
    if (!chapter) {
      chapter = parseChapter(text, { file: key, config: book.config, shell: shSyntaxParser });
      chapters.set(cacheKey, chapter);
    }
    return chapter;
  };
  const keyOf = (file: string) => path.relative(book.root, file).split(path.sep).join('/');
  const variants = listVariants(book.config).map((v) => v.name);
  const { existsSync } = await import('node:fs');
  const { readBookChapter } = await import('./src/book/read-book-chapter.ts');
  // Every chapter's route is its file name (`docs/local-canary.md` → `/local-canary`), whatever Docusaurus
  // would make of number prefixes, so the home page and links can name it.
  const routeOf = (key: string) => `/${path.posix.basename(key).replace(/\.[^.]+$/, '')}`;
  const chapterList = await Promise.all(
    book.config.chapters.map(async (key) => {
      const file = path.join(book.root, key);
      if (!existsSync(file)) return { key, title: key, path: routeOf(key), missing: true };
      // Read the one way every command reads a chapter (checked to be text); the remark plugin reuses the parse.
      const opened = await readBookChapter(book, file, key);
      chapters.set(`${key}\0${opened.text}`, Promise.resolve(opened.chapter));
      return { key, title: opened.chapter.title, path: routeOf(key), missing: false };
    }),
  );

  return {
    title: book.config.title,
    tagline: 'Read it online, or run it against your own cluster',
    url: 'http://localhost',
    baseUrl: '/',
    favicon: 'img/favicon.svg',
    onBrokenLinks: 'warn',
    onBrokenAnchors: 'warn',
    future: { v4: true, faster: true },
    markdown: {
      format: 'md',
      hooks: { onBrokenMarkdownLinks: 'warn' },
      // Leanpub chapters have no front matter: give the docs plugin their title and book order.
      parseFrontMatter: async (params) => {
        const result = await params.defaultParseFrontMatter(params);
        const key = keyOf(params.filePath);
        const index = book.config.chapters.indexOf(key);
        if (index >= 0) {
          const chapter = await parse(params.fileContent, key);
          result.frontMatter.title ??= chapter.title;
          result.frontMatter.sidebar_position ??= index + 1;
          // Docusaurus would take the first line of the file (the `## TODO` list) as the description.
          result.frontMatter.description ??= chapter.title;
          result.frontMatter.slug ??= routeOf(key);
        }
        return result;
      },
    },
    customFields: {
      bookrun: {
        variants,
        defaultVariant: book.config.defaultVariant,
        dev,
        chapters: chapterList,
        terminalUrl: dev ? process.env.BOOKRUN_TERMINAL_URL || null : null,
      },
    },
    presets: [
      [
        'classic',
        {
          docs: {
            path: path.join(book.root, layout.dir),
            include: layout.include,
            routeBasePath: '/',
            sidebarPath: path.join(process.cwd(), 'sidebars.ts'),
            beforeDefaultRemarkPlugins: withPlugin
              ? [
                  [remarkBookrun, { config: book.config, root: book.root, dev, parse }],
                  [remarkDiagrams, { root: book.root, chapters: book.config.chapters, parse, cache: () => openDiagramCache(book.root, createWriteGuard(book)) }],
                ]
              : [],
          },
          blog: false,
          pages: {},
          theme: { customCss: path.join(process.cwd(), 'src/css/custom.css') },
        },
      ],
    ],
    plugins: [
      [bookrunSitePlugin as unknown as PluginModule, { variants, defaultVariant: book.config.defaultVariant }],
      // The dev-only "Book status" page (/book-status); adds nothing to a production build.
      [bookStatusPlugin as unknown as PluginModule, { config: process.env.BOOKRUN_CONFIG || undefined }],
    ],
    themeConfig: {
      navbar: {
        title: book.config.title,
        // The status page exists only in the dev site.
        items: dev ? [{ to: '/book-status', label: 'Book status', position: 'right' }] : [],
      },
      colorMode: { respectPrefersColorScheme: true },
      prism: { theme: themes.github, darkTheme: themes.dracula, additionalLanguages: ['bash'] },
      docs: { sidebar: { hideable: true } },
    },
  };
}
