import type { Chapter } from '../core/model.ts';

/**
 * The crosslink ids a chapter defines: `{#id}` on headings (or the line above them), and `{#id}` /
 * `{id="x"}` / `{id: x}` attribute lines above paragraphs, images and code blocks.
 */
export function toCrosslinkIds(chapter: Pick<Chapter, 'headings' | 'lines'>, into: Set<string> = new Set()): Set<string> {
  for (const heading of chapter.headings) if (heading.id) into.add(heading.id);
  for (const line of chapter.lines) {
    const attr = /^\{(.*)\}\s*$/.exec(line.trim());
    if (!attr) continue;
    const body = attr[1] ?? '';
    const hash = /(?:^|[\s,])#([A-Za-z][\w-]*)/.exec(body);
    const keyed = /\bid\s*[:=]\s*["']?([A-Za-z][\w-]*)/.exec(body);
    if (hash?.[1]) into.add(hash[1]);
    if (keyed?.[1]) into.add(keyed[1]);
  }
  return into;
}
