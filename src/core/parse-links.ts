import type { Definition, Nodes, Parent, Root } from 'mdast';
import type { Heading, ImageRef, Link } from './model.ts';

/** `[text](target)` as written in text the Markdown parser did not take for a link (the target has spaces). */
const PLACEHOLDER_LINK = /\[([^\]\n]*)\]\(([^)\n]*)\)/g;
const ATTRIBUTE_LINE = /^\{(.*)\}\s*$/;

/** Offsets of the start of every line of `source`, for offset → line and column. */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The links phase: every link, image and crosslink id of the chapter's prose, from the Markdown tree (so code
 * blocks, code spans and HTML comments are never read as prose). Reference links resolve through their
 * definitions. Author placeholders such as `[TODO: Viktor](TODO: Viktor)` are no CommonMark links (a target
 * with spaces): they are found in the tree's text nodes, as written.
 *
 * `source` is the text the tree was parsed from (offsets point into it).
 */
export function parseLinks(tree: Root, source: string, headings: Heading[]): { links: Link[]; images: ImageRef[]; ids: string[] } {
  const starts = lineStarts(source);
  const where = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
  const definitions = new Map<string, Definition>();
  const collect = (node: Nodes): void => {
    if (node.type === 'definition') definitions.set(node.identifier.toLowerCase(), node);
    if ('children' in node) for (const child of (node as Parent).children) collect(child as Nodes);
  };
  collect(tree);

  const links: Link[] = [];
  const images: ImageRef[] = [];
  const ids = new Set<string>(headings.flatMap((h) => (h.id ? [h.id] : [])));
  const add = (start: number, end: number, text: string, url: string, kind: Link['kind']) => {
    const from = where(start);
    const to = where(end);
    links.push({ url, text, line: from.line, column: from.column, endLine: to.line, endColumn: to.column, kind });
  };
  const textOf = (node: Parent, start: number): string => {
    const last = node.children[node.children.length - 1];
    return last?.position?.end.offset !== undefined ? source.slice(start + 1, last.position.end.offset) : '';
  };

  const walk = (node: Nodes): void => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) {
      if ('children' in node) for (const child of (node as Parent).children) walk(child as Nodes);
      return;
    }
    switch (node.type) {
      case 'code':
      case 'inlineCode':
      case 'html':
      case 'definition':
        return;
      case 'link':
        add(start, end, textOf(node, start), node.url, 'link');
        return;
      case 'linkReference': {
        const definition = definitions.get(node.identifier.toLowerCase());
        if (definition) add(start, end, textOf(node, start), definition.url, 'reference');
        return;
      }
      case 'image':
      case 'imageReference': {
        const ref = node.type === 'image' ? node.url : (definitions.get(node.identifier.toLowerCase())?.url ?? null);
        if (ref === null) return;
        const { line, column } = where(start);
        images.push({ line, column, caption: node.alt ?? '', ref, remote: /^[a-z][a-z0-9+.-]*:/i.test(ref) });
        return;
      }
      case 'text': {
        const written = source.slice(start, end);
        if (!written.includes('](')) return;
        for (const m of written.matchAll(PLACEHOLDER_LINK)) {
          const at = start + m.index;
          if (source[at - 1] === '!' || source[at - 1] === '\\') continue;
          add(at, at + m[0].length, m[1]!, m[2]!.trim(), 'placeholder');
        }
        return;
      }
      case 'paragraph':
        // `{#id}` / `{id="x"}` attribute lines glued above a paragraph, an image or a fence.
        for (const line of source.slice(start, end).split('\n')) {
          const attr = ATTRIBUTE_LINE.exec(line.trim());
          if (!attr) continue;
          const body = attr[1] ?? '';
          const hash = /(?:^|[\s,])#([A-Za-z][\w-]*)/.exec(body);
          const keyed = /\bid\s*[:=]\s*["']?([A-Za-z][\w-]*)/.exec(body);
          if (hash?.[1]) ids.add(hash[1]);
          if (keyed?.[1]) ids.add(keyed[1]);
        }
        break;
    }
    if ('children' in node) for (const child of (node as Parent).children) walk(child as Nodes);
  };
  walk(tree);
  links.sort((a, b) => a.line - b.line || a.column - b.column);
  return { links, images, ids: [...ids] };
}
