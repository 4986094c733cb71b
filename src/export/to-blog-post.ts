import type { Definition, Heading as MdHeading, List, Nodes, PhrasingContent, Root, RootContent, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { BookConfig } from '../core/book-config.ts';
import { findGistLinks } from '../core/gist-links.ts';
import type { AsideKind, Block, Chapter, Figure, Plan } from '../core/model.ts';
import { conditionHolds } from '../core/parse-condition.ts';
import { parseMarkdownTree } from '../core/parse-markdown-tree.ts';
import { toHiddenLines } from '../core/to-hidden-lines.ts';
import { toImagePath } from '../core/to-image-path.ts';
import type { BlogAsset, BlogBlock, BlogPost, CalloutType } from './blog-post.ts';
import { escapeHtml } from './escape-html.ts';
import { toBlogCode } from './to-blog-code.ts';
import { toBlogFindings } from './to-blog-findings.ts';
import { toBlogInline, toInlineText, type InlineContext } from './to-blog-inline.ts';
import { toFigureCaption } from './to-figure-caption.ts';

/** Options of {@link toBlogPost}. */
export interface BlogPostOptions {
  /** The chapter's path relative to the book root (`docs/canary.md`): images are found from there. */
  key: string;
  config: Pick<BookConfig, 'gists' | 'unknownConditions'>;
  /** The chosen variant's plan: code blocks hold its commands only. Null: every command, conditions shown. */
  plan: Plan | null;
  /** Where the post's images will be (`https://example.com/wp-content/uploads/2026/12/`); null: beside the post (`<slug>/`). */
  imageBase: string | null;
}

const CALLOUTS: Record<Exclude<AsideKind, 'C'>, CalloutType> = {
  I: 'info',
  W: 'warning',
  T: 'tip',
  E: 'error',
  Q: 'question',
  D: 'discussion',
  X: 'exercise',
  A: 'aside',
  B: 'note',
  G: 'note',
};
const ATTRIBUTE_LINE = /^\s*\{[^{}]*\}\s*$/;
const MDX_IMPORT = /^import\s+.+\s+from\s+['"][^'"]+['"];?\s*$/;
const processor = unified().use(remarkParse).use(remarkGfm);

function lineOf(node: Nodes): number {
  return node.position?.start.line ?? 0;
}

/** The first words of the first paragraph, as plain text, cut at a word near 300 characters. */
function toExcerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= 300) return flat;
  const cut = flat.slice(0, 300);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 200)).replace(/[\s,;:.]+$/, '')}…`;
}

/** Text lines that are only a Leanpub attribute list (`{width=60%}` glued above an image) taken out of a paragraph. */
function withoutAttributeLines(children: PhrasingContent[]): PhrasingContent[] {
  return children
    .map((child) => (child.type === 'text' ? { ...child, value: child.value.split('\n').filter((l) => !ATTRIBUTE_LINE.test(l)).join('\n') } : child))
    .filter((child) => child.type !== 'text' || child.value.trim() !== '');
}

/**
 * A chapter as a blog post (pure): the title and an excerpt; headings (with their `{#id}`s); asides as
 * call-outs (titled by a heading inside them); code blocks with the chosen variant's commands (or every
 * condition shown); images and drawn diagrams as figures with their captions, copied beside the post (or at
 * `imageBase`); gist links filled from the manifest; author notes, the `## TODO` checklist, `# bookrun:`
 * annotations, attribute lines, front matter and HTML comments removed. What keeps the chapter from being
 * published (author notes, draft figures, gist links without a URL, missing images) is listed as findings;
 * unchecked checklist items are not (the checklist is the author's).
 */
export function toBlogPost(chapter: Chapter, options: BlogPostOptions): BlogPost {
  const slug = (options.key.split('/').pop() ?? options.key).replace(/\.(mdx?|markdown|txt)$/i, '');
  const hidden = toHiddenLines(chapter);
  const inBlock = new Set<number>();
  for (const b of chapter.blocks) for (let l = b.line; l <= b.endLine; l++) inBlock.add(l);
  // Hidden prose lines are blanked before the tree is made, so a note never reaches the post; code keeps its
  // lines (its text comes from the chapter's blocks) so fences stay fences.
  const frontMatter = parseMarkdownTree({ file: chapter.file, lines: chapter.lines, config: { dimensions: [], aliases: {}, unknownConditions: options.config.unknownConditions }, diagnostics: [] }, chapter.lines.join('\n')).frontMatter;
  const source = chapter.lines.map((text, i) => {
    const line = i + 1;
    if (line <= frontMatter) return '';
    if (inBlock.has(line)) return text;
    return hidden.has(line) || MDX_IMPORT.test(text) ? '' : text;
  });
  const tree = processor.runSync(processor.parse(source.join('\n'))) as Root;

  const gistLinks = findGistLinks(chapter, options.config);
  const definitions = new Map<string, Definition>();
  const collect = (node: Nodes) => {
    if (node.type === 'definition') definitions.set(node.identifier.toLowerCase(), node);
    if ('children' in node) for (const child of node.children) collect(child as Nodes);
  };
  collect(tree);

  const assets: BlogAsset[] = [];
  const names = new Map<string, string>();
  const base = options.imageBase === null ? null : options.imageBase.replace(/\/*$/, '/');
  const publish = (name: string) => (base === null ? `${slug}/${name}` : `${base}${name}`);
  const imageSrc = (ref: string, line: number): string => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return ref;
    const from = toImagePath(options.key, ref);
    if (from === null) return ref;
    let name = names.get(from);
    if (name === undefined) {
      const file = from.split('/').pop()!;
      const taken = new Set(names.values());
      name = taken.has(file) ? `${names.size + 1}-${file}` : file;
      names.set(from, name);
      assets.push({ kind: 'image', from, name, line });
    }
    return publish(name);
  };
  const inline = (line: number): InlineContext => ({
    definitions,
    linkUrl: (url, text) => gistLinks.find((g) => g.resolved && g.url === url && g.text === text)?.resolved ?? url,
    imageSrc: (ref) => imageSrc(ref, line),
  });

  const blocksByLine = new Map<number, Block>(chapter.blocks.map((b) => [b.line, b]));
  const figureAt = new Map<number, Figure>();
  const captionLines = new Set<number>();
  for (const figure of chapter.figures) {
    figureAt.set(figure.line, figure);
    if (figure.captionFrom?.kind === 'text') captionLines.add(figure.captionFrom.line);
  }
  const headingAt = new Map(chapter.headings.map((h) => [h.line, h]));
  const asides = [...chapter.asides].sort((a, b) => a.line - b.line);
  let excerpt: string | null = null;

  const figureBlock = (figure: Figure, src: string, line: number): BlogBlock => ({
    kind: 'figure',
    src,
    alt: toFigureCaption(figure),
    caption: escapeHtml(toFigureCaption(figure)),
    line,
  });

  const convert = (nodes: readonly RootContent[], top: boolean): BlogBlock[] => {
    const out: BlogBlock[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const line = lineOf(node);
      const aside = top ? asides.find((a) => line >= a.line && line <= a.endLine) : undefined;
      if (aside) {
        // Every node the aside's lines made is replaced by one call-out, made from the aside's own text.
        while (i + 1 < nodes.length && lineOf(nodes[i + 1]!) <= aside.endLine) i++;
        if (aside.condition && options.plan && !conditionHolds(aside.condition, options.plan.variant, options.config)) continue;
        const inner = (processor.runSync(processor.parse(aside.text)) as Root).children;
        if (aside.kind === 'C') {
          for (const block of convert(inner, false)) out.push(block.kind === 'paragraph' ? { ...block, align: 'center' } : block);
          continue;
        }
        let title: string | null = null;
        if (inner[0]?.type === 'heading') title = toBlogInline((inner.shift() as MdHeading).children, inline(aside.line));
        out.push({ kind: 'callout', type: CALLOUTS[aside.kind], title, blocks: convert(inner, false) });
        continue;
      }
      switch (node.type) {
        case 'heading': {
          if (top && line === chapter.titleLine) continue;
          const heading = top ? headingAt.get(line) : undefined;
          const children = [...node.children];
          const last = children[children.length - 1];
          if (last?.type === 'text') {
            const value = last.value.replace(/\s*\{#[A-Za-z][\w-]*\}\s*$/, '');
            if (value === '') children.pop();
            else children[children.length - 1] = { ...last, value };
          }
          out.push({ kind: 'heading', depth: node.depth, id: heading?.id ?? null, html: toBlogInline(children, inline(line)) });
          continue;
        }
        case 'paragraph': {
          if (top && captionLines.has(line)) continue;
          const children = withoutAttributeLines(node.children);
          if (children.length === 0) continue;
          const only = children.length === 1 ? children[0] : undefined;
          const figure = only && (only.type === 'image' || only.type === 'imageReference') ? figureAt.get(lineOf(only)) : undefined;
          if (top && figure?.kind === 'image' && figure.ref !== null) {
            out.push(figureBlock(figure, imageSrc(figure.ref, figure.line), figure.line));
            continue;
          }
          if (top && excerpt === null) excerpt = toExcerpt(toInlineText(children));
          out.push({ kind: 'paragraph', html: toBlogInline(children, inline(line)) });
          continue;
        }
        case 'code': {
          const block = top ? blocksByLine.get(line) : undefined;
          if (!block) {
            out.push({ kind: 'code', lang: node.lang ?? null, text: node.value, line });
            continue;
          }
          const figure = figureAt.get(block.line);
          if (figure?.kind === 'diagram') {
            const name = `${slug}-figure-${figure.index}.png`;
            assets.push({ kind: 'diagram', code: block.value, name, line: block.line });
            out.push(figureBlock(figure, publish(name), block.line));
            continue;
          }
          const text = toBlogCode(chapter, block, options.plan);
          if (text !== null) out.push({ kind: 'code', lang: block.shell ? (block.lang === 'console' || block.transcript ? 'console' : 'bash') : block.lang, text, line: block.line });
          continue;
        }
        case 'list': {
          const list = node as List;
          out.push({
            kind: 'list',
            ordered: Boolean(list.ordered),
            start: list.ordered ? (list.start ?? 1) : null,
            items: list.children.map((item) => convert(item.children as RootContent[], false)),
          });
          continue;
        }
        case 'blockquote':
          out.push({ kind: 'quote', blocks: convert(node.children, false) });
          continue;
        case 'table': {
          const [head, ...rows] = (node as Table).children;
          const cells = (row: Table['children'][number] | undefined) => (row?.children ?? []).map((cell) => toBlogInline(cell.children, inline(line)));
          out.push({ kind: 'table', head: cells(head), rows: rows.map(cells) });
          continue;
        }
        case 'thematicBreak':
          out.push({ kind: 'rule' });
          continue;
        case 'html':
          if (/^\s*<!--[\s\S]*-->\s*$/.test(node.value)) continue;
          out.push({ kind: 'html', html: node.value });
          continue;
        default:
          // Definitions are used by their references; footnote definitions and YAML have no place in a post.
          continue;
      }
    }
    return out;
  };

  const blocks = convert(tree.children, true);
  return {
    title: chapter.title,
    slug,
    excerpt: excerpt ?? '',
    variant: options.plan?.variant.name ?? null,
    blocks,
    assets,
    findings: toBlogFindings(chapter, gistLinks),
  };
}

