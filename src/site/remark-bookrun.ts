import path from 'node:path';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { BookConfig } from '../core/book-config.ts';
import { listVariants } from '../core/book-config.ts';
import type { Chapter } from '../core/model.ts';
import { planChapter } from '../core/plan-chapter.ts';
import { findGistLinks } from '../core/gist-links.ts';
import { transformChapterTree } from './transform-chapter-tree.ts';

/** Options of {@link remarkBookrun}. */
export interface RemarkBookrunOptions {
  config: BookConfig;
  /** Absolute folder of bookrun.yaml: chapter keys are relative to it. */
  root: string;
  /** Dev build (`npm start`): author notes and the chapter status box are shown. */
  dev: boolean;
  /** Parses a chapter with the core parser (the same one the CLI and the exporters use). */
  parse: (text: string, key: string) => Promise<Chapter>;
  /** The page a crosslink `#id` of chapter `key` goes to when another chapter defines `id` (`/intro#id`), else null. */
  crosslink?: (key: string, id: string) => string | null;
}

/**
 * The bookrun remark plugin for Docusaurus: renders the book's chapters (the files listed in bookrun.yaml)
 * from the core parser's model. Other Markdown files pass through untouched.
 */
export default function remarkBookrun(options: RemarkBookrunOptions) {
  const chapters = new Set(options.config.chapters.map((c) => path.posix.normalize(c)));
  const variants = listVariants(options.config);
  const markdown = unified().use(remarkParse).use(remarkGfm);
  return async (tree: Root, file: VFile): Promise<void> => {
    if (!file.path) return;
    const key = path.relative(options.root, file.path).split(path.sep).join('/');
    if (!chapters.has(key)) return;
    const chapter = await options.parse(String(file.value), key);
    const gistLinks = findGistLinks(chapter, options.config);
    const plans = variants.map((v) => planChapter(chapter, v, options.config));
    for (const d of chapter.diagnostics) {
      if (d.severity === 'error') file.message(`${d.message} [${d.rule}]`, { place: { line: d.line, column: d.column }, ruleId: d.rule, source: 'bookrun' });
    }
    transformChapterTree(tree, chapter, {
      chapter: key,
      plans,
      dev: options.dev,
      parseMarkdown: (text) => markdown.runSync(markdown.parse(text)) as Root,
      // Gist links (`[site-tour.sh](TODO:)`) get their published URL from the gists manifest.
      gistUrl: (link) => gistLinks.find((g) => g.resolved && g.url === link.url && g.text === link.text)?.resolved ?? null,
      crosslink: options.crosslink ? (id) => (chapter.ids.includes(id) ? null : options.crosslink!(key, id)) : undefined,
    });
  };
}
