import path from 'node:path';
import type { Config, PluginConfig, PluginModule } from '@docusaurus/types';
import { themes } from 'prism-react-renderer';
import { listVariants } from '../core/book-config.ts';
import type { Chapter } from '../core/model.ts';
import bookStatusPlugin from '../status/docusaurus-plugin.ts';
import bookrunSitePlugin from './docusaurus-plugin.ts';
import bookrunOnlinePlugin from './online-plugin.ts';
import { packageFile } from './package-paths.ts';
import type { SiteBook } from './read-site-book.ts';
import remarkBookrun from './remark-bookrun.ts';
import remarkDiagrams from '../diagrams/remark-diagrams.ts';
import type { DiagramCache } from '../diagrams/open-diagram-cache.ts';
import { toDocsLayout } from './to-docs-layout.ts';
import { toPartSidebar, type SidebarItem } from './to-part-sidebar.ts';

/** How a site is built: what {@link toSiteConfig} needs besides the book. */
export interface SiteOptions {
  /** Dev site: author notes, the chapter status box, the "Book status" page, unlisted-chapter warnings. */
  dev: boolean;
  /** False builds without the bookrun remark plugin (the bench's baseline). */
  plugin: boolean;
  /** The terminal server's WebSocket URL when it is not the page's origin (`bookrun dev`). */
  terminalUrl: string | null;
  /** Parses a chapter with the core parser (the one every command uses). */
  parse: (text: string, key: string) => Promise<Chapter>;
  /** Static folders: the package's first, then the book's own `static/` when it has one. */
  staticDirectories: string[];
  /** Folders the book's own pages live in (`src/pages` of the book), when it has them. */
  pagesDir: string | null;
  /** The diagram cache (`.bookrun/diagrams/`, through the write guard): mermaid blocks are drawn at build time from it. */
  diagramCache: () => Promise<DiagramCache>;
  /** More plugins, themes and head tags later steps of the build add (online plans, diagrams). */
  extend?: (config: Config) => Config;
}

/**
 * The Docusaurus config of a book's site. The site folder is the book's root, so everything Docusaurus would
 * look for there (`docusaurus.config`, `sidebars`, `src/theme`, `src/css`) comes from the bookrun package
 * instead, and the author adds no Docusaurus file (they may add `src/theme` overrides or `static/` files).
 * Chapters are pages where they are (`manuscript/01-intro.md` → `/intro`), in book order, grouped by part.
 */
export function toSiteConfig(site: SiteBook, options: SiteOptions): Config {
  const { book } = site;
  const keys = site.chapters.map((c) => c.key);
  const layout = toDocsLayout(keys);
  const byKey = new Map(site.chapters.map((c) => [c.key, c]));
  const keyOf = (file: string) => path.relative(book.root, file).split(path.sep).join('/');
  const variants = listVariants(book.config).map((v) => v.name);
  // Leanpub's ids are unique across the book: `#id` in one chapter may point into another.
  const idRoute = new Map<string, string>();
  for (const c of site.chapters) for (const id of c.ids) if (!idRoute.has(id)) idRoute.set(id, c.path);
  const parse = (text: string, key: string): Promise<Chapter> => {
    const known = site.parsed.get(key);
    return known && known.text === text ? Promise.resolve(known.chapter) : options.parse(text, key);
  };
  const remark = options.plugin
    ? [
        [remarkBookrun, { config: book.config, root: book.root, dev: options.dev, parse, crosslink: (_key: string, id: string) => (idRoute.has(id) ? `${idRoute.get(id)}#${id}` : null) }],
        // Diagrams drawn at build time into SVG images with their captions; no mermaid JavaScript ships.
        [remarkDiagrams, { root: book.root, chapters: keys, parse, cache: options.diagramCache }],
      ]
    : [];
  const config: Config = {
    title: book.config.title,
    tagline: 'Read it online, or run it against your own cluster',
    url: 'http://localhost',
    baseUrl: '/',
    favicon: 'img/favicon.svg',
    onBrokenLinks: 'warn',
    onBrokenAnchors: 'warn',
    future: { v4: true, faster: true },
    staticDirectories: options.staticDirectories,
    markdown: {
      format: 'md',
      hooks: { onBrokenMarkdownLinks: 'warn', onBrokenMarkdownImages: 'warn' },
      // Leanpub chapters have no front matter: give the docs plugin their title, book order and route.
      parseFrontMatter: async (params) => {
        const result = await params.defaultParseFrontMatter(params);
        const key = keyOf(params.filePath);
        const chapter = byKey.get(key);
        if (chapter) {
          const parsed = await parse(params.fileContent, key);
          result.frontMatter.title ??= parsed.title || chapter.title;
          result.frontMatter.sidebar_label ??= parsed.title || chapter.title;
          result.frontMatter.sidebar_position ??= keys.indexOf(key) + 1;
          // Docusaurus would take the first line of the file (the `## TODO` list) as the description.
          result.frontMatter.description ??= parsed.title || chapter.title;
          result.frontMatter.slug ??= chapter.path;
        }
        return result;
      },
    },
    customFields: {
      bookrun: {
        variants,
        defaultVariant: book.config.defaultVariant,
        dev: options.dev,
        chapters: site.chapters.map((c) => ({ key: c.key, title: c.title, path: c.path, missing: c.missing, part: c.part, matter: c.matter })),
        unlisted: options.dev ? site.unlisted : [],
        bookList: book.bookList?.file ?? book.config.file,
        terminalUrl: options.dev ? options.terminalUrl : null,
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
            // Ids keep the `NN-` prefix: `01-setup.md` and `11-setup.md` are two chapters, not one.
            numberPrefixParser: false,
            sidebarItemsGenerator: async ({ defaultSidebarItemsGenerator, ...args }: { defaultSidebarItemsGenerator: (a: unknown) => Promise<SidebarItem[]> } & Record<string, unknown>) => {
              const items = await defaultSidebarItemsGenerator(args);
              const docs = args.docs as Array<{ id: string; source: string }>;
              const chapterOf = (id: string) => {
                const doc = docs.find((d) => d.id === id);
                return doc ? byKey.get(doc.source.replace(/^@site\//, '')) : undefined;
              };
              return toPartSidebar(items, (id) => chapterOf(id)?.part ?? null, (id) => chapterOf(id)?.matter === 'back');
            },
            beforeDefaultRemarkPlugins: remark,
          },
          blog: false,
          pages: options.pagesDir ? { path: options.pagesDir } : false,
          theme: { customCss: packageFile('site/client/custom.css') },
        },
      ],
    ],
    plugins: [
      [bookrunSitePlugin as unknown as PluginModule, { variants, defaultVariant: book.config.defaultVariant, home: !options.pagesDir }] as PluginConfig,
      // The dev-only "Book status" page (/book-status); adds nothing to a production build.
      [bookStatusPlugin as unknown as PluginModule, { config: book.configFile }] as PluginConfig,
      // Published plans (for `bookrun connect`) and "Verified on …" from run reports.
      [bookrunOnlinePlugin as unknown as PluginModule, { config: book.configFile }] as PluginConfig,
    ],
    themeConfig: {
      navbar: {
        title: book.config.title,
        // The status page exists only in the dev site.
        items: options.dev ? [{ to: '/book-status', label: 'Book status', position: 'right' }] : [],
      },
      colorMode: { respectPrefersColorScheme: true },
      prism: { theme: themes.github, darkTheme: themes.dracula, additionalLanguages: ['bash'] },
      docs: { sidebar: { hideable: true } },
    },
  };
  return options.extend ? options.extend(config) : config;
}
