import { toString } from 'mdast-util-to-string';
import type { Block } from './model.ts';
import type { ParseContext, RawStep } from './parse-context.ts';
import { isNoteLine } from './parse-notes.ts';
import type { FlatNodes } from './to-flat-nodes.ts';

const OUTPUT_SENTENCE = /\b(?:output|result|response)\b[^.]*\b(?:as follows|that follows|below|similar to|like the one|should be)\b|\bshould (?:see|get|output)\b/i;
const OUTPUT_LANGS = new Set(['text', 'txt', 'yaml', 'yml', 'json', 'output', 'plain', 'plaintext', 'log']);

function isOutputLang(lang: string | null): boolean {
  return lang === null || OUTPUT_LANGS.has(lang);
}

/**
 * The outputs phase, first half: which non-shell blocks are the expected output of the shell block before
 * them: a bare/`text`/`yaml`/`json` fence right after it, or after a sentence that introduces an output
 * ("The output is as follows."). Returns shell block index → output block index.
 */
export function findOutputFences(ctx: ParseContext, flat: FlatNodes, blocks: Block[], nodeOf: Map<unknown, number>): Map<number, number> {
  const outputFor = new Map<number, number>();
  for (let i = 0; i < flat.entries.length; i++) {
    const node = flat.entries[i]!.node;
    if (node.type !== 'code') continue;
    const index = nodeOf.get(node)!;
    const block = blocks[index]!;
    if (block.shell || !isOutputLang(block.lang)) continue;
    const prev = flat.previous(i);
    if (!prev) continue;
    if (prev.node.type === 'code') {
      const prevIndex = nodeOf.get(prev.node)!;
      if (blocks[prevIndex]!.shell) outputFor.set(prevIndex, index);
      continue;
    }
    if (prev.node.type === 'paragraph' && OUTPUT_SENTENCE.test(toString(prev.node)) && !isNoteLine(ctx.lines[prev.node.position!.start.line - 1]!)) {
      const before = flat.previous(flat.at.get(prev.node)!);
      if (before?.node.type === 'code') {
        const prevIndex = nodeOf.get(before.node)!;
        if (blocks[prevIndex]!.shell) outputFor.set(prevIndex, index);
      }
    }
  }
  return outputFor;
}

/** The outputs phase, second half: the output fence of a shell block becomes the expected output of its last command. */
export function attachOutputFence(items: RawStep[], output: Block | undefined): void {
  if (!output || items.length === 0) return;
  const last = items[items.length - 1]!.step;
  if (last.expect) return;
  last.expect = { line: output.line, text: output.value, lang: output.lang, source: 'fence' };
  output.outputOf = last.id;
}
