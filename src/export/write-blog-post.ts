import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { WriteGuard } from '../book/create-write-guard.ts';
import type { OutputFolder } from '../book/open-output-folder.ts';
import type { DiagramCache } from '../diagrams/open-diagram-cache.ts';
import { renderDiagrams, type RenderDiagramsOptions, type RenderStats } from '../diagrams/render-diagrams.ts';
import type { BlogFinding, BlogPost } from './blog-post.ts';
import { BLOG_RECORD_DIR, toBlogRecordName, type BlogRecord } from './blog-record.ts';
import { toBlogHtml } from './to-blog-html.ts';
import { toBlogPreview } from './to-blog-preview.ts';
import { toBlogWordpress } from './to-blog-wordpress.ts';

/** Options of {@link writeBlogPost}. */
export interface WriteBlogPostOptions {
  /** The book root: images are copied from there, the record goes under its `.bookrun/`. */
  root: string;
  guard: WriteGuard;
  /** The output folder, opened through the guard. */
  out: OutputFolder;
  format: 'html' | 'wordpress';
  diagrams: DiagramCache;
  /** The chapter as in bookrun.yaml and the sha256 of its text, for the record. */
  chapter: { key: string; sha256: string };
  /** Write even when a diagram cannot be drawn or an image is missing (they are returned as findings). */
  draft: boolean;
  spawn?: RenderDiagramsOptions['spawn'];
}

/** What {@link writeBlogPost} did. */
export interface WrittenBlogPost {
  /** False when it refused: something was missing and it was no draft (nothing was written). */
  written: boolean;
  /** The files written, relative to the output folder. */
  files: string[];
  /** Images that do not exist and diagrams that cannot be drawn. */
  findings: BlogFinding[];
  diagrams: RenderStats | null;
}

/**
 * Writes a post into its output folder: the HTML fragment and a preview page (`html`), or the block-editor
 * markup (`wordpress`), and beside them, in `<slug>/`, the images it shows (copied from the book) and its
 * diagrams (drawn as PNGs through the diagram cache). Every target is checked to be bookrun's before the first
 * is written; then the export is recorded under `.bookrun/blog/` with the chapter's sha256 (what `bookrun
 * status` proves "Publish on <blog>" with).
 */
export async function writeBlogPost(post: BlogPost, options: WriteBlogPostOptions): Promise<WrittenBlogPost> {
  const findings: BlogFinding[] = [];
  const assets: Array<{ file: string; data: Uint8Array }> = [];
  for (const asset of post.assets) {
    if (asset.kind !== 'image') continue;
    const from = path.join(options.root, asset.from);
    if (!existsSync(from)) {
      findings.push({ line: asset.line, rule: 'image-missing', message: `image ${asset.from} does not exist: add it or fix the path` });
      continue;
    }
    assets.push({ file: `${post.slug}/${asset.name}`, data: await readFile(from) });
  }
  const diagrams = post.assets.filter((a) => a.kind === 'diagram');
  let stats: RenderStats | null = null;
  if (diagrams.length > 0) {
    const drawn = await renderDiagrams(diagrams.map((d) => d.code), { cache: options.diagrams, png: true, spawn: options.spawn });
    stats = drawn.stats;
    for (const diagram of diagrams) {
      const image = drawn.images.get(diagram.code)!;
      if (image.kind === 'ok' && image.png) assets.push({ file: `${post.slug}/${diagram.name}`, data: image.png });
      else findings.push({ line: diagram.line, rule: 'diagram-render', message: `the diagram cannot be drawn: ${image.kind === 'error' ? image.message : 'no PNG'}` });
    }
  }
  if (findings.length > 0 && !options.draft) return { written: false, files: [], findings, diagrams: stats };

  const pages =
    options.format === 'html'
      ? [
          { file: `${post.slug}.html`, data: toBlogHtml(post) },
          { file: `${post.slug}.preview.html`, data: toBlogPreview(post, { format: 'html' }) },
        ]
      : [{ file: `${post.slug}.wordpress.html`, data: toBlogWordpress(post) }];
  const files = [...pages, ...assets];
  await options.out.check(files);
  for (const { file, data } of files) await options.out.write(file, data);

  const record: BlogRecord = {
    version: 1,
    chapter: options.chapter.key,
    sha256: options.chapter.sha256,
    format: options.format,
    variant: post.variant,
    draft: options.draft && (findings.length > 0 || post.findings.length > 0),
    findings: findings.length + post.findings.length,
    out: (path.relative(options.root, options.out.dir) || '.').split(path.sep).join('/'),
    files: files.map((f) => f.file),
    writtenAt: new Date().toISOString(),
  };
  const records = await options.guard.openFolder(path.join(options.root, BLOG_RECORD_DIR), { flag: "the chapters out of .bookrun/ (bookrun's own folder), or", private: true });
  await records.write(toBlogRecordName(options.chapter.key), `${JSON.stringify(record, null, 2)}\n`);
  return { written: true, files: files.map((f) => f.file), findings, diagrams: stats };
}
