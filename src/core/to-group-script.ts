import type { OutputRegion } from './scan-shell-block.ts';

/** A shell block's content lines (1-based, inclusive) and the regions of them that are not shell (pasted output). */
export interface ScriptPart {
  index: number;
  first: number;
  last: number;
  regions: OutputRegion[];
}

/**
 * The script handed to the shell parser for a group of blocks: their content lines at their own line
 * numbers (relative to the first block), every other line and every set-aside line blank. `owner` maps each
 * script line to its block index (-1 between blocks).
 */
export function toGroupScript(lines: readonly string[], parts: ScriptPart[]): { script: string; firstLine: number; owner: number[] } {
  const firstLine = parts[0]!.first;
  const script: string[] = [];
  const owner: number[] = [];
  for (const part of parts) {
    while (firstLine + script.length < part.first) {
      script.push('');
      owner.push(-1);
    }
    const blanked = new Set<number>();
    for (const r of part.regions) for (let k = r.start; k <= r.end; k++) blanked.add(k);
    for (let l = part.first; l <= part.last; l++) {
      script.push(blanked.has(l - part.first) ? '' : lines[l - 1]!);
      owner.push(part.index);
    }
  }
  return { script: script.join('\n'), firstLine, owner };
}
