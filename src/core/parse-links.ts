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
  // Definitions may come after their references: references are resolved once the whole tree is walked.
  const definitions = new Map<string, Definition>();
  const references: Array<{ identifier: string; run: (url: string) => void }> = [];

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
      case 'definition':
        if (!definitions.has(node.identifier.toLowerCase())) definitions.set(node.identifier.toLowerCase(), node);
        return;
      case 'code':
      case 'inlineCode':
      case 'html':
        return;
      case 'link':
        add(start, end, textOf(node, start), node.url, 'link');
        return;
      case 'linkReference': {
        const text = textOf(node, start);
        references.push({ identifier: node.identifier, run: (url) => add(start, end, text, url, 'reference') });
        return;
      }
      case 'image':
      case 'imageReference': {
        const image = (ref: string) => {
          const { line, column } = where(start);
          images.push({ line, column, caption: node.alt ?? '', ref, remote: /^[a-z][a-z0-9+.-]*:/i.test(ref) });
        };
        if (node.type === 'image') image(node.url);
        else references.push({ identifier: node.identifier, run: image });
        return;
      }
      case 'text': {
        const at = source.indexOf('](', start);
        if (at < 0 || at >= end) return;
        const written = source.slice(start, end);
        for (const m of written.matchAll(PLACEHOLDER_LINK)) {
          const from = start + m.index;
          if (source[from - 1] === '!' || source[from - 1] === '\\') continue;
          add(from, from + m[0].length, m[1]!, m[2]!.trim(), 'placeholder');
        }
        return;
      }
      case 'paragraph': {
        // `{#id}` / `{id="x"}` attribute lines glued above a paragraph, an image or a fence.
        const brace = source.indexOf('{', start);
        if (brace < 0 || brace >= end) break;
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
    }
    // No `[` in its source: nothing in it is a link, an image or a placeholder (most paragraphs).
    if (node.type !== 'root') {
      const bracket = source.indexOf('[', start);
      if (bracket < 0 || bracket >= end) return;
    }
    if ('children' in node) for (const child of (node as Parent).children) walk(child as Nodes);
  };
  walk(tree);
  for (const ref of references) {
    const definition = definitions.get(ref.identifier.toLowerCase());
    if (definition) ref.run(definition.url);
  }
  links.sort((a, b) => a.line - b.line || a.column - b.column);
  images.sort((a, b) => a.line - b.line || a.column - b.column);
  return { links, images, ids: [...ids] };
}
