import type { Block } from './model.ts';
import type { ParseContext, RawStep } from './parse-context.ts';
import { toContentRange } from './to-content-range.ts';
import { toStep } from './to-step.ts';

/** Whether a shell block is a `$ `-prompt transcript (what a reader types after `$ `, and what the terminal printed). */
export function isTranscript(block: Block, lines: readonly string[]): boolean {
  const [first, last] = toContentRange(block, lines);
  for (let l = first; l <= last; l++) if (lines[l - 1]!.startsWith('$ ')) return true;
  return false;
}

/** The transcripts phase: prompt lines (with `\` continuations) are commands, the lines after them their output. */
export function parseTranscript(ctx: ParseContext, block: Block): RawStep[] {
  const [first, last] = toContentRange(block, ctx.lines);
  const out: RawStep[] = [];
  let l = first;
  while (l <= last) {
    const line = ctx.lines[l - 1]!;
    if (!line.startsWith('$ ')) {
      l++;
      continue;
    }
    let end = l;
    while (end < last && /\\\s*$/.test(ctx.lines[end - 1]!)) end++;
    const step = toStep(ctx.lines, block, l, end);
    step.command = ctx.lines
      .slice(l - 1, end)
      .map((t, i) => (i === 0 ? t.slice(2) : t.replace(/^> /, '')))
      .join('\n');
    let o = end + 1;
    const output: string[] = [];
    while (o <= last && !ctx.lines[o - 1]!.startsWith('$ ')) output.push(ctx.lines[o++ - 1]!);
    while (output.length > 0 && output[output.length - 1]!.trim() === '') output.pop();
    if (output.length > 0) step.expect = { line: end + 1, text: output.join('\n'), lang: null, source: 'pasted' };
    out.push({ step, wait: false });
    l = o;
  }
  return out;
}
