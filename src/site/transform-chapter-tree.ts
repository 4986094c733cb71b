import type { Blockquote, Code, Heading, Nodes, Paragraph, Parent, Root, RootContent, Text } from 'mdast';
import type { AsideKind, Chapter, Plan } from '../core/model.ts';
import { toBlockProps } from './to-block-props.ts';
import { toAnchor, toLeanpubParagraph } from './to-leanpub-paragraph.ts';

/** Options of {@link transformChapterTree}. */
export interface TransformOptions {
  /** Chapter key (relative to the book root, as in bookrun.yaml). */
  chapter: string;
  /** The chapter's plan for every variant of the book. */
  plans: Plan[];
  /** Dev (`npm start`): show author notes and the `## TODO` checklist as the chapter's status box. */
  dev: boolean;
  /** Parses Markdown (an aside's text) into mdast with the same dialect as the page. */
  parseMarkdown: (text: string) => Root;
  /** Gist file name → published URL, to fill gist links the author left as `TODO`. */
  gistUrl?: (link: { url: string; text: string; line: number }) => string | null;
  /**
   * A crosslink's target in another chapter: `#id` → `/route#id` when another chapter of the book defines
   * `id` (Leanpub's ids are unique across the book); null keeps the link as it is.
   */
  crosslink?: (id: string) => string | null;
}

/** Docusaurus admonition types for Leanpub aside prefixes (`W>` → warning); titles for those without an own type. */
const ASIDES: Record<AsideKind, { type: string; title?: string }> = {
  I: { type: 'info' },
  W: { type: 'warning' },
  T: { type: 'tip' },
  E: { type: 'danger', title: 'Error' },
  Q: { type: 'note', title: 'Question' },
  D: { type: 'note', title: 'Discussion' },
  X: { type: 'note', title: 'Exercise' },
  A: { type: 'note', title: 'Aside' },
  B: { type: 'note', title: 'Note' },
  G: { type: 'note', title: 'Note' },
  C: { type: 'secondary' },
};

type Span = { line: number; endLine: number };

function startLine(node: Nodes): number {
  return node.position?.start.line ?? -1;
}
function endLine(node: Nodes): number {
  return node.position?.end.line ?? -1;
}
function inside(node: Nodes, span: Span): boolean {
  return startLine(node) >= span.line && endLine(node) <= span.endLine && startLine(node) > 0;
}

/** An mdast node that becomes a Docusaurus `<Admonition>` (the same hast shape its own plugin produces). */
function admonition(type: string, title: string | undefined, children: RootContent[], className?: string): Blockquote {
  return {
    type: 'blockquote',
    children: children as Blockquote['children'],
    data: { hName: 'admonition', hProperties: { type, ...(title ? { title } : {}), ...(className ? { className } : {}) } as Record<string, string> },
  };
}

/** Removes the last line of a paragraph's text (an attribute line glued under prose). */
function dropLastLine(paragraph: Paragraph): void {
  const last = paragraph.children[paragraph.children.length - 1];
  if (last?.type === 'text') {
    const cut = last.value.lastIndexOf('\n');
    last.value = cut >= 0 ? last.value.slice(0, cut) : '';
  }
}

/**
 * Turns a chapter's mdast (parsed by Docusaurus as CommonMark) into what readers see, using only what the
 * core parser found (`chapter`): Leanpub asides → admonitions; author notes dropped (shown as notes in dev);
 * the `## TODO` checklist → a status box after the title in dev, dropped otherwise; `{lang=…}` and `{#id}`
 * attribute lines consumed; heading ids honoured; shell blocks carry their plan data as the CodeBlock's
 * `data-bookrun` prop. Mutates and returns `tree`.
 */
export function transformChapterTree(tree: Root, chapter: Chapter, options: TransformOptions): Root {
  const children = tree.children;
  const out: RootContent[] = [];
  let statusBox: RootContent | null = null;
  const blocksByLine = new Map(chapter.blocks.map((b) => [b.line, b]));
  const attributeLines = new Set(chapter.blocks.flatMap((b) => (b.attributes ? [b.attributes.line] : [])));
  const headingIdAbove = new Map<number, string>();
  for (const h of chapter.headings) if (h.id) headingIdAbove.set(h.line - 1, h.id);
  const headingsByLine = new Map(chapter.headings.map((h) => [h.line, h]));
  const notes = chapter.hidden.filter((h) => h.kind === 'note');
  const asides = [...chapter.asides].sort((a, b) => a.line - b.line);
  const checklist = chapter.checklistSection;

  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    const line = startLine(node);

    if (checklist && inside(node, checklist)) {
      if (options.dev && node.type === 'list') {
        statusBox = admonition('note', 'Chapter status (dev only)', [node], 'bookrun-status');
      }
      continue;
    }

    const aside = asides.find((a) => line >= a.line && line <= a.endLine);
    if (aside) {
      // Every top-level node the aside's lines produced is replaced by one admonition.
      while (i + 1 < children.length && startLine(children[i + 1]!) <= aside.endLine) i++;
      const inner = options.parseMarkdown(aside.text).children;
      let title = ASIDES[aside.kind].title;
      const first = inner[0];
      if (first?.type === 'heading') {
        title = textOf(first);
        inner.shift();
      }
      if (aside.kind === 'C') {
        out.push({ type: 'paragraph', children: inner.flatMap((n) => (n.type === 'paragraph' ? n.children : [])), data: { hProperties: { style: 'text-align:center' } } } as Paragraph);
      } else {
        out.push(admonition(ASIDES[aside.kind].type, title, inner));
      }
      continue;
    }

    const note = notes.find((n) => inside(node, n));
    if (note) {
      if (options.dev) out.push(admonition('caution', 'Author note (dev only)', [node], 'bookrun-note'));
      continue;
    }

    if (node.type === 'paragraph') {
      if (attributeLines.has(line) && endLine(node) === line) {
        // An id in a code block's attribute line (`{id='x',lang=ruby}`) is a crosslink target.
        const id = chapter.blocks.find((b) => b.attributes?.line === line)?.attributes?.values.id;
        if (id) out.push(toAnchor(id));
        continue;
      }
      if (headingIdAbove.has(line) && endLine(node) === line && textOf(node).trim() === `{#${headingIdAbove.get(line)}}`) continue;
      if (attributeLines.has(endLine(node))) dropLastLine(node);
      const leanpub = toLeanpubParagraph(node, chapter.lines[line - 1] ?? '');
      if (leanpub) {
        out.push(...leanpub);
        continue;
      }
    }

    if (node.type === 'heading') {
      const heading = headingsByLine.get(line);
      if (heading?.id) setHeadingId(node, heading.id);
      // Docusaurus renders the title without its id: an empty anchor keeps `#id` links to it working.
      if (heading?.id && node.depth === 1) out.push({ type: 'paragraph', children: [], data: { hName: 'a', hProperties: { id: heading.id, className: 'bookrun-anchor' } } } as unknown as Paragraph);
      out.push(node);
      if (node.depth === 1 && statusBox) {
        out.push(statusBox);
        statusBox = null;
      }
      continue;
    }

    if (node.type === 'code') {
      const block = blocksByLine.get(line);
      if (block) {
        if (!node.lang && block.lang) node.lang = block.lang;
        if (block.shell && chapter.steps.some((s) => s.block === block.index)) {
          const props = toBlockProps(chapter, block, { chapter: options.chapter, plans: options.plans, showNotes: options.dev });
          setBookrunProps(node, JSON.stringify(props));
          // What the page shows, so hidden lines (annotations, notes) do not ship in its bundle either.
          node.value = props.segments.map((s) => s.text).join('\n');
        }
      }
    }
    out.push(node);
  }
  // A status box with no `#` title to follow goes first.
  if (statusBox) out.unshift(statusBox);
  tree.children = out;
  if (options.gistUrl || options.crosslink) fillLinks(tree, options);
  return tree;
}

function setBookrunProps(node: Code, json: string): void {
  node.data = { ...(node.data ?? {}), hProperties: { ...((node.data?.hProperties as object) ?? {}), dataBookrun: json } };
}

function setHeadingId(node: Heading, id: string): void {
  node.data = { ...(node.data ?? {}), hProperties: { ...((node.data?.hProperties as object) ?? {}), id } };
  const last = node.children[node.children.length - 1];
  const suffix = `{#${id}}`;
  if (last?.type === 'text' && last.value.trimEnd().endsWith(suffix)) {
    last.value = last.value.trimEnd().slice(0, -suffix.length).trimEnd();
    if (last.value === '') node.children.pop();
  }
}

function textOf(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode') return (node as Text).value;
  return 'children' in node ? (node as Parent).children.map((c) => textOf(c as Nodes)).join('') : '';
}

/** Gist links get their published URL; crosslinks to another chapter get that chapter's route. */
function fillLinks(tree: Root, options: Pick<TransformOptions, 'gistUrl' | 'crosslink'>): void {
  const walk = (node: Nodes): void => {
    if (node.type === 'link') {
      const url = options.gistUrl?.({ url: node.url, text: textOf(node), line: startLine(node) });
      if (url) node.url = url;
      else if (node.url.startsWith('#') && options.crosslink) {
        const target = options.crosslink(node.url.slice(1));
        if (target) node.url = target;
      }
    }
    if ('children' in node) for (const c of (node as Parent).children) walk(c as Nodes);
  };
  walk(tree);
}

