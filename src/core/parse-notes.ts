import type { Chapter, Link, Note } from './model.ts';
import type { FlatNodes } from './to-flat-nodes.ts';

const NOTE_LINE = /^\s*(TODO|NOTE)\b\s*:?/;

/** Whether a source line opens an author note (`TODO: …`, `NOTE: …`). */
export function isNoteLine(line: string): boolean {
  return NOTE_LINE.test(line);
}

/**
 * The notes phase, prose part: `TODO:` / `NOTE:` paragraphs (and such lines inside a paragraph) are author
 * notes, hidden from published output. Paragraphs of the `## TODO` checklist section are its items, not notes.
 */
export function parseProseNotes(
  flat: FlatNodes,
  lines: readonly string[],
  checklist: { line: number; endLine: number } | null,
): { notes: Note[]; hidden: Chapter['hidden'] } {
  const notes: Note[] = [];
  const hidden: Chapter['hidden'] = [];
  for (const { node } of flat.entries) {
    if (node.type !== 'paragraph' || !node.position) continue;
    const start = node.position.start.line;
    const end = node.position.end.line;
    if (checklist && start >= checklist.line && start <= checklist.endLine) continue;
    const first = NOTE_LINE.exec(lines[start - 1]!);
    if (first) {
      notes.push({ kind: first[1]!.toLowerCase() as 'todo' | 'note', line: start, text: lines.slice(start - 1, end).join('\n').trim(), where: 'prose' });
      hidden.push({ line: start, endLine: end, kind: 'note' });
      continue;
    }
    for (let l = start + 1; l <= end; l++) {
      const m = NOTE_LINE.exec(lines[l - 1]!);
      if (m) {
        notes.push({ kind: m[1]!.toLowerCase() as 'todo' | 'note', line: l, text: lines[l - 1]!.trim(), where: 'prose' });
        hidden.push({ line: l, endLine: l, kind: 'note' });
      }
    }
  }
  return { notes, hidden };
}

/** The notes phase, link part: a link to `TODO` (or whose text starts with TODO) is an author note. */
export function parseLinkNotes(links: Link[]): Note[] {
  return links.filter((link) => /TODO/.test(link.url) || /^TODO\b/.test(link.text)).map((link) => ({ kind: 'todo', line: link.line, text: `[${link.text}](${link.url})`, where: 'link' }));
}
