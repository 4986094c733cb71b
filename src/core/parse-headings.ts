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
    const above = /^\{#([A-Za-z][\w-]*)\}\s*$|^\{\s*id\s*[:=]\s*"?([A-Za-z][\w-]*)"?\s*\}\s*$/.exec(lines[line - 2] ?? '');
    if (!id && above) id = above[1] ?? above[2] ?? null;
    out.push({ depth: heading.depth, text, line, id });
  }
  return out;
}
