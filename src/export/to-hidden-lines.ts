import { classifyComment } from '../core/classify-comment.ts';
import type { Chapter } from '../core/model.ts';

/**
 * Every source line readers must not see: the parser's hidden ranges (author notes, annotations, the
 * `## TODO` checklist) plus, inside shell blocks, the `#` lines that continue a `# TODO:` / `# NOTE:`
 * comment (the commented-out commands an author parks under a note belong to the note).
 */
export function toHiddenLines(chapter: Pick<Chapter, 'hidden' | 'blocks' | 'lines'>): Set<number> {
  const hidden = new Set<number>();
  const notes = new Set<number>();
  for (const h of chapter.hidden) {
    for (let l = h.line; l <= h.endLine; l++) {
      hidden.add(l);
      if (h.kind === 'note') notes.add(l);
    }
  }
  for (const block of chapter.blocks) {
    if (!block.shell) continue;
    let inNote = false;
    for (let line = block.contentLine; line < block.endLine || (block.open && line <= block.endLine); line++) {
      const text = (chapter.lines[line - 1] ?? '').trim();
      if (!text.startsWith('#')) {
        inNote = false;
        continue;
      }
      if (notes.has(line)) {
        inNote = true;
        continue;
      }
      if (!inNote) continue;
      const kind = classifyComment(text.replace(/^#+\s*/, '')).kind;
      if (kind === 'comment' || kind === 'note') hidden.add(line);
      else inNote = false;
    }
  }
  return hidden;
}
