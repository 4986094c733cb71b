import type { Block } from './model.ts';
import { toContentRange } from './to-content-range.ts';

/**
 * The most script text one parse gets: mvdan/sh in WASM fails ("memory access out of bounds") somewhere
 * past 400 kB, and a chapter's blocks rarely come near this, so most chapters still parse in one call.
 */
export const MAX_SCRIPT = 160_000;

/** Splits the blocks into runs whose script (content lines and the blank lines between) stays under {@link MAX_SCRIPT}. */
export function toScriptChunks(lines: readonly string[], blocks: Block[]): Block[][] {
  const chunks: Block[][] = [];
  let current: Block[] = [];
  let size = 0;
  let lastLine = 0;
  for (const block of blocks) {
    const [first, last] = toContentRange(block, lines);
    let blockSize = 0;
    for (let l = first; l <= last; l++) blockSize += lines[l - 1]!.length + 1;
    const gap = current.length > 0 ? Math.max(0, first - lastLine - 1) : 0;
    if (current.length > 0 && size + gap + blockSize > MAX_SCRIPT) {
      chunks.push(current);
      current = [];
      size = 0;
    } else size += gap;
    current.push(block);
    size += blockSize;
    lastLine = last;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
