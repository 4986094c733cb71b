import type { Heading as MdHeading } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Heading } from './model.ts';
import type { FlatNodes } from './to-flat-nodes.ts';

/** Every heading with its `{#id}`, on the heading line (LFM) or on the line above (Markua). */
export function parseHeadings(flat: FlatNodes, lines: readonly string[]): Heading[] {
  const out: Heading[] = [];
  for (const { node } of flat.entries) {
    if (node.type !== 'heading' || !node.position) continue;
    const heading = node as MdHeading;
    let text = toString(heading).trim();
    let id: string | null = null;
    const own = /\s*\{#([A-Za-z][\w-]*)\}\s*$/.exec(text);
    if (own) {
      id = own[1]!;
      text = text.slice(0, own.index).trim();
    }
    const line = heading.position!.start.line;
    // The inline source, marks and all, when the heading is on one line (ATX or setext text).
    const first = heading.children[0]?.position;
    const last = heading.children[heading.children.length - 1]?.position;
    let written = text;
    if (first && last && first.start.line === last.end.line) {
      written = (lines[first.start.line - 1] ?? '').slice(first.start.column - 1, last.end.column - 1).replace(/\s*\{#[A-Za-z][\w-]*\}\s*$/, '').trim();
    }
    const above = /^\{#([A-Za-z][\w-]*)\}\s*$|^\{\s*id\s*[:=]\s*"?([A-Za-z][\w-]*)"?\s*\}\s*$/.exec(lines[line - 2] ?? '');
    if (!id && above) id = above[1] ?? above[2] ?? null;
    out.push({ depth: heading.depth, text, written, line, id });
  }
  return out;
}
