import type { Block, Condition } from './model.ts';
import { parseAsideCondition } from './parse-aside-condition.ts';
import type { ParseContext } from './parse-context.ts';
import type { FlatNodes } from './to-flat-nodes.ts';

const ASIDE_LINE = /^([AWTEIQDXGCB])>(?:\s|$)/;

/** What the prose between blocks says about the commands. */
export interface ProseAnnotations {
  /** Block index → the condition an aside before it puts on its commands. */
  conditionFor: Map<number, Condition>;
  /** Shell blocks whose last command the prose after them tells readers to stop with ctrl+c. */
  watchFor: Set<number>;
  /** Paragraphs mentioning `[...]`: where placeholders are explained. */
  placeholderHints: Array<{ line: number; text: string }>;
}

/**
 * The prose annotations phase: an aside "run the commands that follow only if you are using **EKS**" puts a
 * condition on the next shell block; a ctrl+c instruction in the first paragraph after a shell block, or in
 * the first two after its output fence ("Please press *ctrl+c* to stop it", a paragraph later), is about its
 * last command (the caller checks that the command can run until stopped); paragraphs with `[...]` explain
 * placeholders. `ownerOf` maps an output (or file content) block to its shell block.
 */
export function parseProseAnnotations(
  ctx: ParseContext,
  flat: FlatNodes,
  blocks: Block[],
  nodeOf: Map<unknown, number>,
  checklist: { line: number; endLine: number } | null,
  ownerOf: ReadonlyMap<number, number> = new Map(),
): ProseAnnotations {
  const lines = ctx.lines;
  const conditionFor = new Map<number, Condition>();
  const watchFor = new Set<number>();
  const placeholderHints: Array<{ line: number; text: string }> = [];
  let pendingCondition: Condition | null = null;
  let lastShell = -1;
  let proseSinceBlock = 0;
  let afterOutput = false;
  for (const { node } of flat.entries) {
    if (node.type === 'code') {
      const index = nodeOf.get(node)!;
      if (pendingCondition && blocks[index]!.shell) {
        conditionFor.set(index, pendingCondition);
        pendingCondition = null;
      }
      proseSinceBlock = 0;
      afterOutput = lastShell >= 0 && ownerOf.get(index) === lastShell;
      if (!afterOutput) lastShell = blocks[index]!.shell ? index : -1;
      continue;
    }
    // A new section is about other commands.
    if (node.type === 'heading') lastShell = -1;
    if (node.type !== 'paragraph' || !node.position) continue;
    const start = node.position.start.line;
    const end = node.position.end.line;
    const text = lines.slice(start - 1, end).join('\n');
    if (checklist && start >= checklist.line && start <= checklist.endLine) continue;
    proseSinceBlock++;
    // "Go to the second terminal and stop the loop with ctrl+c" is about a command elsewhere.
    const elsewhere = (text: string) => /\b(?:second|other|another|first|third)\s+terminal\b|\b(?:segund[oa]|outro|otra|otro|primeir[oa]|primer) terminal\b|\b(?:zweite[nm]?|anderen?|ersten?) Terminal\b/i.test(text);
    if (/ctrl\s*\+\s*c/i.test(text) && !elsewhere(text) && proseSinceBlock <= (afterOutput ? 2 : 1) && lastShell >= 0) watchFor.add(lastShell);
    if (ASIDE_LINE.test(lines[start - 1]!)) {
      const condition = parseAsideCondition(ctx, text, start);
      if (condition) pendingCondition = condition;
    }
    if (/\[\.\.\.\]/.test(text)) placeholderHints.push({ line: start, text: text.replace(/\s+/g, ' ').trim() });
  }
  return { conditionFor, watchFor, placeholderHints };
}
