import type { Image, Paragraph, PhrasingContent, RootContent, Text } from 'mdast';
import { parseAttributeList, toAttributeLine } from '../core/parse-attribute-list.ts';

const DIRECTIVE = /^\{(?:frontmatter|mainmatter|backmatter|pagebreak)\}$/;
const PART = /^-#\s+(.+?)\s*(?:\{#([A-Za-z][\w-]*)\})?\s*$/;

/** An element the page renders as `tag`, with HTML properties. */
function element(tag: string, properties: Record<string, string>, children: RootContent[] | PhrasingContent[]): Paragraph {
  return { type: 'paragraph', children: children as PhrasingContent[], data: { hName: tag, hProperties: properties } } as Paragraph;
}

/** An empty anchor: where a crosslink `#id` lands. */
export function toAnchor(id: string): Paragraph {
  return element('a', { id, className: 'bookrun-anchor' }, []);
}

/** A CSS length from Leanpub's `width=` (`60%`, `80`, `300px`), or null. */
function toWidth(value: string | undefined): string | null {
  if (!value) return null;
  const m = /^(\d+(?:\.\d+)?)(%|px|em|rem)?$/.exec(value.trim());
  if (!m) return null;
  return `${m[1]}${m[2] ?? '%'}`;
}

/** A figure: the image, Leanpub's caption (its alt text) under it, the width the author asked for. */
function toFigure(image: Image, values: Record<string, string>): RootContent[] {
  const width = toWidth(values.width);
  const properties: Record<string, string> = { className: 'bookrun-figure' };
  if (width) properties.style = `width:${width}`;
  if (values.id) properties.id = values.id;
  const children: RootContent[] = [image];
  if (image.alt) children.push(element('figcaption', {}, [{ type: 'text', value: image.alt }]));
  return [element('figure', properties, children)];
}

/** The paragraph's children without its first line (an attribute list glued above it). */
function withoutFirstLine(children: PhrasingContent[]): PhrasingContent[] {
  const [first, ...rest] = children;
  if (first?.type !== 'text') return children;
  const cut = first.value.indexOf('\n');
  const remaining = cut < 0 ? '' : first.value.slice(cut + 1);
  return remaining === '' ? rest : [{ ...first, value: remaining } as Text, ...rest];
}

function isBlank(node: PhrasingContent): boolean {
  return node.type === 'text' && node.value.trim() === '';
}

/**
 * What a top-level paragraph of a chapter is in Leanpub's syntax, as the page shows it; null when it is plain
 * prose. `%%` comment lines and matter directives (`{frontmatter}`, `{pagebreak}`) are not shown; a part
 * heading (`-# Part Two`) becomes the part's title; an attribute line above a paragraph or an image is
 * consumed (its `id` an anchor, its `width` the figure's); an image alone in its paragraph becomes a figure
 * with its caption.
 */
export function toLeanpubParagraph(paragraph: Paragraph, firstLine: string): RootContent[] | null {
  if (firstLine.startsWith('%%')) return [];
  if (DIRECTIVE.test(firstLine.trim())) return [];
  const part = PART.exec(firstLine);
  if (part && paragraph.children.length === 1 && paragraph.children[0]!.type === 'text' && !paragraph.children[0]!.value.includes('\n')) {
    const properties: Record<string, string> = { className: 'bookrun-part' };
    if (part[2]) properties.id = part[2];
    return [element('p', properties, [{ type: 'text', value: part[1]! }])];
  }
  const inside = toAttributeLine(firstLine);
  const values = inside === null ? {} : parseAttributeList(inside);
  const children = inside === null ? paragraph.children : withoutFirstLine(paragraph.children);
  const content = children.filter((c) => !isBlank(c));
  if (content.length === 1 && content[0]!.type === 'image') return toFigure(content[0] as Image, values);
  if (inside === null) return null;
  if (content.length === 0) return values.id ? [toAnchor(values.id)] : [];
  const rest: Paragraph = { ...paragraph, children };
  return values.id ? [toAnchor(values.id), rest] : [rest];
}
