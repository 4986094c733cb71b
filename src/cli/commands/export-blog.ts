import path from 'node:path';
import { createWriteGuard } from '../../book/create-write-guard.ts';
import { readBook } from '../../book/read-book.ts';
import { resolveVariant } from '../../core/book-config.ts';
import { planChapter } from '../../core/plan-chapter.ts';
import { loadMermaidParser } from '../../diagrams/load-mermaid-parser.ts';
import { openDiagramCache } from '../../diagrams/open-diagram-cache.ts';
import { toRenderSummary } from '../../diagrams/to-render-summary.ts';
import type { BlogFinding } from '../../export/blog-post.ts';
import { readChapters } from '../../export/read-chapters.ts';
import { toBlogPost } from '../../export/to-blog-post.ts';
import { writeBlogPost } from '../../export/write-blog-post.ts';
import { checkDiagramSyntax } from '../../lint/check-diagram-syntax.ts';
import { FailedError, UsageError } from '../errors.ts';
import { parseFlags } from '../parse-flags.ts';

export const BLOG_USAGE = 'usage: bookrun export blog FILE [--variant NAME] [--format html|wordpress] [--out DIR] [--image-base URL] [--draft] [--config FILE]';

/** Where posts go without `--out`: beside the manuscript, outside the sources and the site's `build/`. */
export const DEFAULT_BLOG_OUT = path.join('publish', 'blog');

/**
 * `bookrun export blog FILE`: one chapter as a blog post in `publish/blog/` beside bookrun.yaml (or `--out DIR`):
 * `html` (default) writes a clean fragment and a standalone preview page, `wordpress` block-editor markup; the
 * images and the drawn diagrams go beside it in `<chapter>/`, referenced relatively or from `--image-base URL`.
 * `--variant` keeps that variant's commands only. Refuses (exit 1, each finding as `FILE:LINE`) while the chapter
 * has author notes, draft figures, gist links without a URL, missing images or diagrams that do not parse,
 * unless `--draft`. Records the export (with the chapter's sha256) under `.bookrun/blog/` for `bookrun status`.
 */
export default async function exportBlog(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      variant: { type: 'string' },
      format: { type: 'string', default: 'html' },
      out: { type: 'string' },
      'image-base': { type: 'string' },
      draft: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    BLOG_USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`expected one chapter file${positionals.length > 1 ? ` (got ${positionals.length}): a post is one chapter` : ''}\n${BLOG_USAGE}`);
  if (values.format !== 'html' && values.format !== 'wordpress') throw new UsageError(`--format must be html or wordpress, got "${values.format}"`);
  const format = values.format;
  const imageBase = values['image-base'];
  if (imageBase !== undefined && !/^https?:\/\/\S+$/.test(imageBase)) {
    throw new UsageError(`--image-base must be an http(s) URL where the post's images will be (such as https://example.com/wp-content/uploads/2026/12/), got "${imageBase}"`);
  }
  const book = await readBook({ config: values.config, near: positionals[0] });
  const [item] = await readChapters(book, positionals);
  const chapter = item!.chapter;
  let plan = null;
  if (values.variant !== undefined) {
    const lookup = resolveVariant(book.config, values.variant);
    if (!lookup.ok) throw new UsageError(lookup.message);
    plan = planChapter(chapter, lookup.variant, book.config);
  }

  // The output folder is checked before anything is drawn: a refusal costs nothing.
  const outDir = values.out ? path.resolve(values.out) : path.join(book.root, DEFAULT_BLOG_OUT);
  const guard = createWriteGuard(book, { extraChapters: [item!.file] });
  const out = await guard.openFolder(outDir, { flag: '--out' });

  const post = toBlogPost(chapter, { key: item!.key, config: book.config, plan, imageBase: imageBase ?? book.config.blog.imageBase });
  const findings: BlogFinding[] = [...post.findings];
  if (chapter.figures.some((f) => f.kind === 'diagram')) {
    for (const d of await checkDiagramSyntax(chapter, await loadMermaidParser())) findings.push({ line: d.line, rule: d.rule, message: d.message });
  }
  const show = (list: BlogFinding[]) => {
    for (const f of [...list].sort((a, b) => a.line - b.line)) console.error(`${item!.shown}:${f.line} ${f.message} [${f.rule}]`);
  };
  if (findings.length > 0 && !values.draft) {
    show(findings);
    throw new FailedError(`export refused: ${findings.length} ${findings.length === 1 ? 'finding keeps' : 'findings keep'} the chapter from being published as a post; fix them, or pass --draft to export anyway`);
  }
  const written = await writeBlogPost(post, {
    root: book.root,
    guard,
    out,
    format,
    diagrams: await openDiagramCache(book.root, guard),
    chapter: { key: item!.key, sha256: item!.sha256 },
    draft: values.draft,
  });
  // An image the parser found missing is missing for the writer too: say it once.
  const seen = new Set(findings.map((f) => `${f.line}:${f.rule}`));
  const left = [...findings, ...written.findings.filter((f) => !seen.has(`${f.line}:${f.rule}`))];
  if (!written.written) {
    show(written.findings);
    throw new FailedError(`export refused: ${written.findings.length} ${written.findings.length === 1 ? 'finding keeps' : 'findings keep'} the chapter from being published as a post; fix them, or pass --draft to export anyway`);
  }
  if (left.length > 0) {
    show(left);
    console.error(`draft: ${left.length} ${left.length === 1 ? 'finding' : 'findings'} left (listed above)`);
  }
  const rel = path.relative(process.cwd(), outDir) || '.';
  const pages = written.files.filter((f) => !f.includes('/'));
  const assets = written.files.length - pages.length;
  const drawn = written.diagrams ? `; ${toRenderSummary(written.diagrams)}` : '';
  console.log(`wrote ${pages.map((p) => path.join(rel, p)).join(' and ')} (${format}${post.variant ? `, variant ${post.variant}` : ', every variant'}), ${assets} ${assets === 1 ? 'file' : 'files'} in ${path.join(rel, post.slug)}/${drawn}`);
  console.log(`title: ${post.title}`);
  if (post.excerpt) console.log(`excerpt: ${post.excerpt}`);
  return 0;
}
