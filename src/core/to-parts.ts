import type { Chapter } from './model.ts';

/** A Leanpub part heading (`-# Part One: The Basics`): its title and line. */
export interface PartHeading {
  title: string;
  line: number;
}

const PART = /^-#\s+(.+?)\s*(?:\{#[A-Za-z][\w-]*\})?\s*$/;

/**
 * The part headings a chapter holds (LFM's `-# Title`, usually at the top of the first chapter of a part),
 * outside code blocks, in order. CommonMark reads such a line as a paragraph; Leanpub starts a part there.
 */
export function toParts(chapter: Pick<Chapter, 'lines' | 'blocks'>): PartHeading[] {
  const inCode = (line: number) => chapter.blocks.some((b) => line >= b.line && line <= b.endLine);
  const out: PartHeading[] = [];
  chapter.lines.forEach((text, i) => {
    if (!text.startsWith('-#')) return;
    const m = PART.exec(text);
    if (m && !inCode(i + 1)) out.push({ title: m[1]!, line: i + 1 });
  });
  return out;
}
