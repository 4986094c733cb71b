import type { Block } from './model.ts';
import { report, type ParseContext, type RawStep } from './parse-context.ts';
import { parseShellStatements } from './parse-shell-statements.ts';
import { isTranscript, parseTranscript } from './parse-transcripts.ts';
import { scanShellBlock, type OutputRegion } from './scan-shell-block.ts';
import type { ShellParser } from './shell-parser.ts';
import { toContentRange } from './to-content-range.ts';
import { toStep } from './to-step.ts';

/**
 * The commands phase: every shell block split into commands with the real shell parser, pasted output set
 * aside first (it becomes the expected output of the command before it, with a diagnostic); `$ `-prompt
 * transcripts are read by {@link parseTranscript}. Steps come in document order.
 */
export async function parseCommands(ctx: ParseContext, blocks: Block[], shell: ShellParser): Promise<RawStep[]> {
  const shellBlocks = blocks.filter((b) => b.shell);
  const regionsByBlock = new Map<number, OutputRegion[]>();
  const transcripts = new Set<number>();
  for (const block of shellBlocks) {
    if (isTranscript(block, ctx.lines)) {
      transcripts.add(block.index);
      continue;
    }
    const [first, last] = toContentRange(block, ctx.lines);
    regionsByBlock.set(block.index, scanShellBlock(ctx.lines.slice(first - 1, last)));
  }

  const statements = await parseShellStatements(ctx, shellBlocks.filter((b) => !transcripts.has(b.index)), regionsByBlock, shell);

  const out: RawStep[] = [];
  for (const block of shellBlocks) {
    if (transcripts.has(block.index)) {
      out.push(...parseTranscript(ctx, block));
      continue;
    }
    const regions = regionsByBlock.get(block.index) ?? [];
    const stmts = statements.get(block.index) ?? [];
    const [first] = toContentRange(block, ctx.lines);
    // Merge statements that share lines (`a; b` on one line, or a heredoc) into one command.
    const ranges: Array<[number, number]> = [];
    for (const s of stmts.sort((a, b) => a.line - b.line)) {
      const prev = ranges[ranges.length - 1];
      if (prev && s.line <= prev[1]) prev[1] = Math.max(prev[1], s.endLine);
      else ranges.push([s.line, s.endLine]);
    }
    const blockSteps: RawStep[] = [];
    for (const [start, end] of ranges) {
      const raw = { step: toStep(ctx.lines, block, start, end), wait: false };
      blockSteps.push(raw);
      out.push(raw);
    }
    for (const region of regions) {
      const start = first + region.start;
      const end = first + region.end;
      const owner = blockSteps.findLast((r) => r.step.endLine < start);
      const text = ctx.lines.slice(start - 1, end).join('\n');
      if (owner && !owner.step.expect) {
        owner.step.expect = { line: start, text, lang: null, source: 'pasted' };
        report(ctx, start, 1, 'output-in-shell-block', 'warning', `output pasted inside the shell block (lines ${start}-${end}) is taken as the expected output of the command at line ${owner.step.line}; move it to its own fence after the block`);
      } else {
        report(ctx, start, 1, 'output-in-shell-block', 'warning', `output pasted inside the shell block (lines ${start}-${end}) follows no command; move it out of the block`);
      }
    }
  }
  return out;
}
