import type { Chapter } from '../core/model.ts';

/** An image the chapter references (outside code), as written. */
export interface ImageRef {
  line: number;
  column: number;
  /** The caption (alt text) as written: `Figure 17-1: The flow of a request`. */
  caption: string;
  ref: string;
  /** Whether `ref` is a remote URL (not copied into the manuscript). */
  remote: boolean;
}

const IMAGE = /!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?((?:\s+"[^"]*")?)\s*\)/g;

/** Images referenced by a chapter's prose, in order. */
export function toImageRefs(chapter: Pick<Chapter, 'lines' | 'blocks'>): ImageRef[] {
  const refs: ImageRef[] = [];
  chapter.lines.forEach((text, index) => {
    const line = index + 1;
    if (chapter.blocks.some((b) => line >= b.line && line <= b.endLine)) return;
    for (const m of text.matchAll(IMAGE)) {
      const ref = m[2] ?? '';
      refs.push({ line, column: m.index + 1, caption: m[1] ?? '', ref, remote: /^[a-z][a-z0-9+.-]*:/i.test(ref) });
    }
  });
  return refs;
}
