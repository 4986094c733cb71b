import type { Chapter } from '../core/model.ts';

/** An image the chapter references (outside code), as written. */
export interface ImageRef {
  line: number;
  ref: string;
}

const IMAGE = /!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?((?:\s+"[^"]*")?)\s*\)/g;

/** Images referenced by a chapter's prose (remote URLs excluded), in order. */
export function toImageRefs(chapter: Pick<Chapter, 'lines' | 'blocks'>): ImageRef[] {
  const refs: ImageRef[] = [];
  chapter.lines.forEach((text, index) => {
    const line = index + 1;
    if (chapter.blocks.some((b) => line >= b.line && line <= b.endLine)) return;
    for (const m of text.matchAll(IMAGE)) {
      const ref = m[2] ?? '';
      if (!/^[a-z][a-z0-9+.-]*:/i.test(ref)) refs.push({ line, ref });
    }
  });
  return refs;
}
