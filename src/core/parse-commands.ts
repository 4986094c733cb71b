import type { Block } from './model.ts';
import { report, type ParseContext, type RawStep } from './parse-context.ts';
import { parseShellStatements } from './parse-shell-statements.ts';
import { parseTranscript } from './parse-transcripts.ts';
import { scanShellBlock, type OutputRegion } from './scan-shell-block.ts';
import type { ShellParser } from './shell-parser.ts';
import { toContentRange } from './to-content-range.ts';
import { toStep } from './to-step.ts';

/** The lines of every shell block (transcripts aside) that are no commands: pasted output, schematics, sentences. */
export function scanShellBlocks(ctx: ParseContext, blocks: Block[]): Map<number, OutputRegion[]> {
  const regions = new Map<number, OutputRegion[]>();
  for (const block of blocks) {
    if (!block.shell || block.transcript) continue;
    const [first, last] = toContentRange(block, ctx.lines);
    regions.set(block.index, scanShellBlock(ctx.lines.slice(first - 1, last)));
  }
  return regions;
}

/**
 * The commands phase: every shell block split into commands with the real shell parser, the lines in
 * `regions` set aside first: pasted output becomes the expected output of the command before it (with a
 * diagnostic), and a schematic or sentence line costs one diagnostic, not the block. The first paragraphs of
 * a block that are the previous block's output (`leadingOutputOf`) go to that block's last command.
 * `$ `-prompt transcripts are read by {@link parseTranscript}. Steps come in document order.
 */
export async function parseCommands(ctx: ParseContext, blocks: Block[], regions: Map<number, OutputRegion[]>, leadingOutputOf: Map<number, number>, shell: ShellParser): Promise<RawStep[]> {
  const shellBlocks = blocks.filter((b) => b.shell);
  const statements = await parseShellStatements(ctx, shellBlocks.filter((b) => !b.transcript), regions, shell);

  const out: RawStep[] = [];
  const stepsOf = new Map<number, RawStep[]>();
  for (const block of shellBlocks) {
    if (block.transcript) {
      const steps = parseTranscript(ctx, block);
      stepsOf.set(block.index, steps);
      out.push(...steps);
      continue;
    }
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
    stepsOf.set(block.index, blockSteps);
    for (const region of regions.get(block.index) ?? []) {
      const start = first + region.start;
      const end = first + region.end;
      if (region.kind === 'prose') {
        report(ctx, start, 1, 'prose-in-shell-block', 'warning', `line ${start} is no command (a schematic or a sentence): it is left out of the plan and the gist; move it out of the shell block`);
        continue;
      }
      const text = ctx.lines.slice(start - 1, end).join('\n');
      const lender = region.start === 0 ? leadingOutputOf.get(block.index) : undefined;
      const owner = blockSteps.findLast((r) => r.step.endLine < start) ?? (lender === undefined ? undefined : stepsOf.get(lender)?.at(-1));
      if (owner && !owner.step.expect && lender !== undefined && owner.step.block === lender) {
        owner.step.expect = { line: start, text, lang: null, source: 'pasted' };
        const next = blockSteps[0]?.step.line;
        report(ctx, start, 1, 'output-in-shell-block', 'warning', `the block starts with the output of the command at line ${owner.step.line} (lines ${start}-${end}), taken as its expected output; end the output's block there and give the command at line ${next} a block of its own`);
      } else if (owner && !owner.step.expect) {
        owner.step.expect = { line: start, text, lang: null, source: 'pasted' };
        report(ctx, start, 1, 'output-in-shell-block', 'warning', `output pasted inside the shell block (lines ${start}-${end}) is taken as the expected output of the command at line ${owner.step.line}; move it to its own fence after the block`);
      } else {
        report(ctx, start, 1, 'output-in-shell-block', 'warning', `output pasted inside the shell block (lines ${start}-${end}) follows no command; move it out of the block`);
      }
    }
  }
  return out;
}
