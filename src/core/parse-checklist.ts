import type { ChecklistItem, Heading } from './model.ts';

const CHECK_ITEM = /^\s*[-*+]\s+\[( |x|X)\]\s+(.*?)\s*$/;

/** The `## TODO` section's task list (the chapter's checklist) and the lines the section spans. */
export function parseChecklist(headings: Heading[], lines: readonly string[]): { items: ChecklistItem[]; section: { line: number; endLine: number } | null } {
  const at = headings.findIndex((h) => /^todo$/i.test(h.text));
  if (at < 0) return { items: [], section: null };
  const heading = headings[at]!;
  const next = headings.slice(at + 1).find((h) => h.depth <= Math.max(heading.depth, 2));
  let endLine = next ? next.line - 1 : lines.length;
  // A Leanpub part heading (`-# Part One`) is a heading too, though CommonMark reads it as a paragraph.
  for (let l = heading.line + 1; l <= endLine; l++) {
    if (/^-#\s/.test(lines[l - 1]!)) {
      endLine = l - 1;
      break;
    }
  }
  while (endLine > heading.line && lines[endLine - 1]!.trim() === '') endLine--;
  const items: ChecklistItem[] = [];
  for (let l = heading.line + 1; l <= endLine; l++) {
    const m = CHECK_ITEM.exec(lines[l - 1]!);
    if (m) items.push({ text: m[2]!, checked: m[1] !== ' ', line: l });
  }
  return { items, section: { line: heading.line, endLine } };
}
