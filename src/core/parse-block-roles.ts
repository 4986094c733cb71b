import type { Paragraph } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { detectEditor } from './detect-editor.ts';
import { looksLikeData } from './looks-like-data.ts';
import type { Block } from './model.ts';
import { isOutputSentence } from './output-sentence.ts';
import type { ParseContext } from './parse-context.ts';
import { isNoteLine } from './parse-notes.ts';
import { readsAsOutput } from './reads-as-output.ts';
import type { OutputRegion } from './scan-shell-block.ts';
import { toContentRange } from './to-content-range.ts';
import type { FlatNodes } from './to-flat-nodes.ts';

const OUTPUT_LANGS = new Set(['text', 'txt', 'yaml', 'yml', 'json', 'output', 'plain', 'plaintext', 'log']);
/** A cheap look for an editor's name before a block's last command is read line by line. */
const MAYBE_EDITOR = /\b(?:vim?|nvim|nano|emacs|pico|micro|joe|mcedit|gedit|kate|code|subl|EDITOR|VISUAL)\b/;
const SCRIPT_FILE = /\.(?:sh|bash|zsh|ksh)$/;

/** What the blocks around the commands are. Maps are keyed by block index. */
export interface BlockRoles {
  /** Shell block → the block that holds the expected output of its last command. */
  outputFor: Map<number, number>;
  /** Shell block → the block that holds the content its last command (an editor) writes. */
  fileFor: Map<number, { block: number; editor: string; file: string }>;
  /** Shell block → the shell block before it, when its first paragraphs are that block's output. */
  leadingOutputOf: Map<number, number>;
}

/** The first non-blank line of a block's content, found without splitting all of it. */
function firstContentLine(value: string): string {
  let from = 0;
  while (from <= value.length) {
    const to = value.indexOf('\n', from);
    const line = value.slice(from, to < 0 ? value.length : to);
    if (line.trim() !== '') return line;
    if (to < 0) break;
    from = to + 1;
  }
  return '';
}

/** The paragraphs (runs of non-blank lines) of a block, as 0-based [start, end] line offsets. */
function paragraphs(lines: string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      if (start >= 0) out.push([start, i - 1]);
      start = -1;
    } else if (start < 0) start = i;
  });
  if (start >= 0) out.push([start, lines.length - 1]);
  return out;
}

/**
 * The outputs phase, first half: before any block is split into commands, what each block is. A block after
 * an editor command (`vim secret.yml`) holds the file's content, whatever its tag. A block is the expected
 * output of the shell block before it when it follows it directly or after a sentence that introduces an
 * output: a bare/`text`/`yaml`/`json` fence, or a `bash` fence (authors who tag every fence) that holds only
 * output; a `bash` fence whose first paragraphs are output and the rest commands lends those paragraphs.
 * Innovation Engine's `expected_similarity` comment and txm's `!test out` name the output block directly.
 *
 * Output and content blocks stop being shell blocks; `regions` (pasted output found in shell blocks) gains
 * the lent paragraphs.
 */
export function parseBlockRoles(ctx: ParseContext, flat: FlatNodes, blocks: Block[], nodeOf: Map<unknown, number>, regions: Map<number, OutputRegion[]>): BlockRoles {
  const roles: BlockRoles = { outputFor: new Map(), fileFor: new Map(), leadingOutputOf: new Map() };
  const sentences = ctx.config.outputSentences;
  const contentLines = (block: Block) => {
    const [first, last] = toContentRange(block, ctx.lines);
    return ctx.lines.slice(first - 1, last);
  };
  /** The block right before entry `i` (adjacent, or with one paragraph between that passes `accept`). */
  const before = (i: number, accept: (paragraph: Paragraph) => boolean): Block | null => {
    const prev = flat.previous(i);
    if (!prev) return null;
    if (prev.node.type === 'code') return blocks[nodeOf.get(prev.node)!] ?? null;
    if (prev.node.type !== 'paragraph' || !prev.node.position) return null;
    const earlier = flat.previous(flat.at.get(prev.node)!);
    if (earlier?.node.type !== 'code' || !accept(prev.node)) return null;
    return blocks[nodeOf.get(earlier.node)!] ?? null;
  };
  const introducesOutput = (paragraph: Paragraph) => isOutputSentence(toString(paragraph), sentences) && !isNoteLine(ctx.lines[paragraph.position!.start.line - 1] ?? '');
  /** The last command line of a shell block, read without the shell parser (prompt stripped); null when output ends it. */
  const lastCommandLine = (block: Block): string | null => {
    const lines = contentLines(block);
    const blanked = new Set<number>();
    for (const r of regions.get(block.index) ?? []) for (let k = r.start; k <= r.end; k++) blanked.add(k);
    for (let k = lines.length - 1; k >= 0; k--) {
      const line = lines[k]!.trim();
      if (line === '' || line.startsWith('#') || /^\$\s*(?:#.*)?$/.test(line)) continue;
      if (blanked.has(k)) return null;
      if (block.transcript) return line.startsWith('$ ') ? line.slice(2) : null;
      return /\\\s*$/.test(lines[k - 1] ?? '') ? null : line;
    }
    return null;
  };

  let lastShell: Block | null = null;
  for (let i = 0; i < flat.entries.length; i++) {
    const node = flat.entries[i]!.node;
    if (node.type !== 'code') continue;
    const block = blocks[nodeOf.get(node)!]!;
    const tool = block.tool;

    // The content of a file an editor opens: the next block, adjacent or after one paragraph ("Add the following content").
    const editorBlock = block.transcript || tool?.role === 'commands' ? null : before(i, () => true);
    const editor = editorBlock?.shell && MAYBE_EDITOR.test(editorBlock.value) ? detectEditor(lastCommandLine(editorBlock) ?? '') : null;
    if (editorBlock && editor && !roles.fileFor.has(editorBlock.index)) {
      const firstLine = contentLines(block).find((l) => l.trim() !== '') ?? '';
      if (!block.shell || SCRIPT_FILE.test(editor.file) || looksLikeData(firstLine) || readsAsOutput(firstLine)) {
        block.shell = false;
        regions.delete(block.index);
        roles.fileFor.set(editorBlock.index, { block: block.index, ...editor });
        continue;
      }
    }

    // Outputs named by another tool's markup.
    if (tool?.role === 'output') {
      const owner = tool.tool === 'txm' ? blocks.find((b) => b.shell && b.tool?.tool === 'txm' && b.tool.test === tool.test) : lastShell;
      if (owner && !roles.outputFor.has(owner.index)) roles.outputFor.set(owner.index, block.index);
      continue;
    }

    if (!block.shell) {
      if (block.lang !== null && !OUTPUT_LANGS.has(block.lang)) continue;
      const previous = before(i, introducesOutput);
      if (previous?.shell && !roles.outputFor.has(previous.index)) roles.outputFor.set(previous.index, block.index);
      continue;
    }
    lastShell = block;
    if (block.transcript || tool?.role === 'commands') continue;

    // A shell-tagged block right after a shell block: output as long as its paragraphs read as output.
    if (!readsAsOutput(firstContentLine(block.value))) continue;
    const lines = contentLines(block);
    const parts = paragraphs(lines);
    let lead = 0;
    while (lead < parts.length && readsAsOutput(lines[parts[lead]![0]]!)) lead++;
    if (lead === 0) continue;
    const previous = before(i, introducesOutput);
    if (!previous?.shell || roles.outputFor.has(previous.index) || roles.fileFor.has(previous.index)) continue;
    if (lead === parts.length) {
      block.shell = false;
      regions.delete(block.index);
      roles.outputFor.set(previous.index, block.index);
      lastShell = previous;
      continue;
    }
    const end = parts[lead - 1]![1];
    const rest = (regions.get(block.index) ?? []).filter((r) => r.start > end);
    regions.set(block.index, [{ start: 0, end }, ...rest]);
    roles.leadingOutputOf.set(block.index, previous.index);
  }
  return roles;
}
