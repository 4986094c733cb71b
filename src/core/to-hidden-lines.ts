import { classifyComment } from './classify-comment.ts';
import type { Chapter } from './model.ts';

/** Why readers never see a line: an author note, a `# bookrun:` annotation, the `## TODO` checklist. */
export type HiddenKind = Chapter['hidden'][number]['kind'];

/**
 * Every source line readers must not see, with why: the parser's hidden ranges (author notes, annotations,
 * the `## TODO` checklist) plus, inside shell blocks, the `#` lines that continue a `# TODO:` / `# NOTE:`
 * comment (the commented-out commands an author parks under a note belong to the note).
 *
 * THE rule for hidden lines: the gist, the Leanpub manuscript and the site all hide through it (the site
 * shows the `note` lines in dev only).
 */
export function toHiddenLines(chapter: Pick<Chapter, 'hidden' | 'blocks' | 'lines'>): Map<number, HiddenKind> {
  const hidden = new Map<number, HiddenKind>();
  for (const h of chapter.hidden) for (let l = h.line; l <= h.endLine; l++) hidden.set(l, h.kind);
  for (const block of chapter.blocks) {
    if (!block.shell) continue;
    let inNote = false;
    for (let line = block.contentLine; line < block.endLine || (block.open && line <= block.endLine); line++) {
      const text = (chapter.lines[line - 1] ?? '').trim();
      if (!text.startsWith('#')) {
        inNote = false;
        continue;
      }
      if (hidden.get(line) === 'note') {
        inNote = true;
        continue;
      }
      if (!inNote) continue;
      const kind = classifyComment(text.replace(/^#+\s*/, '')).kind;
      if (kind === 'comment' || kind === 'note') hidden.set(line, 'note');
      else inNote = false;
    }
  }
  return hidden;
}
