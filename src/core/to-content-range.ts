import type { Block } from './model.ts';

/** The content lines of a block (1-based, inclusive), as [first, last]; last < first when empty. */
export function toContentRange(block: Block, lines: readonly string[]): [number, number] {
  const last = block.open ? Math.min(block.endLine, lines.length) : block.endLine - (block.contentLine > block.line ? 1 : 0);
  return [block.contentLine, last];
}
