import type { Block, Step } from './model.ts';

/** A new step for source lines `start`…`end` of a block: the exact source as its command, no marks yet. */
export function toStep(lines: readonly string[], block: Block, start: number, end: number): Step {
  return {
    id: `L${start}`,
    line: start,
    endLine: end,
    command: lines.slice(start - 1, end).join('\n'),
    block: block.index,
    section: null,
    condition: null,
    terminal: 1,
    watch: false,
    watchReason: null,
    retryWhile: null,
    eventually: false,
    placeholders: [],
    uses: [],
    expect: null,
    annotations: {},
    comments: [],
  };
}
