import type { Chapter, Step } from './model.ts';
import { detectShortLived } from './detect-short-lived.ts';
import { parseAsides } from './parse-asides.ts';
import { parseBlockComments } from './parse-block-comments.ts';
import { parseBlockRoles } from './parse-block-roles.ts';
import { parseBlocks } from './parse-blocks.ts';
import { parseChecklist } from './parse-checklist.ts';
import { parseCommands, scanShellBlocks } from './parse-commands.ts';
import { report, type ChapterConfig, type ParseContext, type RawStep } from './parse-context.ts';
import { parseFigures } from './parse-figures.ts';
import { parseHeadings } from './parse-headings.ts';
import { parseLinks } from './parse-links.ts';
import type { MarkdownCache } from './markdown-cache.ts';
import { parseMarkdownTree } from './parse-markdown-tree.ts';
import { parseNestedShells } from './parse-nested-shells.ts';
import { parseLinkNotes, parseProseNotes } from './parse-notes.ts';
import { attachFileContent, attachOutputFence } from './parse-outputs.ts';
import { parsePlaceholders } from './parse-placeholders.ts';
import { parseProseAnnotations } from './parse-prose-annotations.ts';
import type { ShellParser } from './shell-parser.ts';
import { toFlatNodes } from './to-flat-nodes.ts';
import { toSectionLookup } from './to-section-lookup.ts';

/** What {@link parseChapter} needs besides the text. */
export interface ParseChapterOptions {
  /** How messages name the file. */
  file: string;
  /** The book's matrix, aliases and unknown-condition policy, and the sentences that introduce an output. */
  config: ChapterConfig;
  /** A real shell parser (the `sh-syntax` adapter in `src/book`). */
  shell: ShellParser;
  /** Trees of sections parsed before: only the sections whose text changed are parsed again. */
  markdownCache?: MarkdownCache;
}

/**
 * Parses a chapter written in Leanpub Markdown into bookrun's model: shell blocks split into commands by a
 * real shell parser, `$ ` transcripts, `# If …` conditions, terminal switches, watches, retries, waits,
 * placeholders, expected outputs (fenced and pasted), files written in an editor, nested shells, author
 * notes, the `## TODO` checklist, asides and other tools' annotations. Problems in the Markdown become
 * diagnostics; it never throws on Markdown input.
 *
 * The work is done in phases, each in its own file: the Markdown tree, headings and the checklist, blocks
 * (with other tools' annotations), block roles (outputs, file contents), asides, prose notes and prose
 * annotations, commands (and transcripts), block comments, outputs, nested shells, links, figures and
 * placeholders.
 */
export async function parseChapter(text: string, options: ParseChapterOptions): Promise<Chapter> {
  const lines = text.split(/\r?\n/);
  const ctx: ParseContext = { file: options.file, lines, config: options.config, diagnostics: [] };
  const { tree, markdown } = parseMarkdownTree(ctx, text, options.markdownCache);
  const flat = toFlatNodes(tree);

  const headings = parseHeadings(flat, lines);
  const title = headings.find((h) => h.depth === 1 && !/^todo$/i.test(h.text));
  const checklist = parseChecklist(headings, lines);
  const sectionOf = toSectionLookup(headings);

  const { blocks, nodeOf } = parseBlocks(ctx, flat);
  const regions = scanShellBlocks(ctx, blocks);
  const roles = parseBlockRoles(ctx, flat, blocks, nodeOf, regions);
  const ownerOf = new Map<number, number>();
  for (const [shell, output] of roles.outputFor) ownerOf.set(output, shell);
  for (const [shell, file] of roles.fileFor) ownerOf.set(file.block, shell);
  const asides = parseAsides(ctx);
  const { notes, hidden } = parseProseNotes(flat, lines, checklist.section);
  if (checklist.section) hidden.unshift({ line: checklist.section.line, endLine: checklist.section.endLine, kind: 'checklist' });
  const prose = parseProseAnnotations(ctx, flat, blocks, nodeOf, checklist.section, ownerOf);

  const raw = await parseCommands(ctx, blocks, regions, roles.leadingOutputOf, options.shell);
  const byBlock = new Map<number, RawStep[]>();
  for (const item of raw) {
    const list = byBlock.get(item.step.block);
    if (list) list.push(item);
    else byBlock.set(item.step.block, [item]);
  }

  const steps: Step[] = [];
  let previousLast: RawStep | null = null;
  for (const block of blocks) {
    if (!block.shell) continue;
    const items = byBlock.get(block.index) ?? [];
    parseBlockComments(ctx, block, items, prose.conditionFor.get(block.index) ?? null, notes, hidden, sectionOf, previousLast);
    const last = items.at(-1)?.step;
    if (prose.watchFor.has(block.index) && last && !last.watch && !detectShortLived(last.command)) {
      last.watch = true;
      last.watchReason = 'prose';
    }
    const file = roles.fileFor.get(block.index);
    attachFileContent(items, file === undefined ? undefined : blocks[file.block]);
    const fence = roles.outputFor.get(block.index);
    if (!last?.edit) attachOutputFence(items, fence === undefined ? undefined : blocks[fence]);
    for (const { step, wait } of items) {
      if (wait) {
        if (step.expect) step.eventually = true;
        else report(ctx, step.line, 1, 'wait-without-expected-output', 'info', 'a "wait" comment stands before a command with no expected output: nothing to wait for; add the expected output after the block');
      }
      steps.push(step);
    }
    if (items.length > 0) previousLast = items.at(-1)!;
  }
  parseNestedShells(ctx, steps);

  const { links, images, ids } = parseLinks(tree, markdown, headings);
  notes.push(...parseLinkNotes(links));
  const figures = parseFigures(ctx, { flat, blocks, images });
  notes.push(...figures.notes);
  const placeholders = parsePlaceholders(steps, prose.placeholderHints);

  notes.sort((a, b) => a.line - b.line);
  ctx.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  hidden.sort((a, b) => a.line - b.line);
  return {
    file: options.file,
    lines,
    hidden,
    title: title?.text ?? '',
    titleLine: title?.line ?? 0,
    blocks,
    steps,
    placeholders,
    notes,
    checklist: checklist.items,
    checklistSection: checklist.section,
    asides,
    headings,
    links,
    images,
    figures: figures.figures,
    ids,
    diagnostics: ctx.diagnostics,
  };
}
