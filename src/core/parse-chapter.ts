import type { Code, Heading as MdHeading, Nodes, Parent, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { classifyComment } from './classify-comment.ts';
import { detectWatch } from './detect-watch.ts';
import { parseAnnotations } from './parse-annotations.ts';
import { parseCondition, type ConditionContext } from './parse-condition.ts';
import { scanShellBlock, type OutputRegion } from './scan-shell-block.ts';
import type { ShellParser, ShellStatement } from './shell-parser.ts';
import type {
  Annotations,
  Aside,
  AsideKind,
  Block,
  Chapter,
  ChecklistItem,
  Condition,
  Diagnostic,
  Heading,
  Link,
  Note,
  Placeholder,
  Severity,
  Step,
} from './model.ts';

/** What {@link parseChapter} needs besides the text. */
export interface ParseChapterOptions {
  /** How messages name the file. */
  file: string;
  /** The book's matrix, aliases and unknown-condition policy. */
  config: ConditionContext;
  /** A real shell parser (the `sh-syntax` adapter in `src/book`). */
  shell: ShellParser;
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'shell-session', 'shellsession']);
const SHELL_TYPO = /^(?:basdh|bashs|bsh|bahs|bassh|bash\w+)$/;
const OUTPUT_SENTENCE = /\b(?:output|result|response)\b[^.]*\b(?:as follows|that follows|below|similar to|like the one|should be)\b|\bshould (?:see|get|output)\b/i;
const NOTE_LINE = /^\s*(TODO|NOTE)\b\s*:?/;
const ASIDE_LINE = /^([AWTEIQDXGCB])>(?:\s|$)/;
const ASIDE_CONDITION =
  /\bonly if\s+(?:you\s+are\s+|you're\s+|your\s+cluster\s+is\s+)?(\*\*not\*\*\s+|not\s+)?(?:using|running(?:\s+in)?|on|in|with)\s+(?:an?\s+|the\s+)?((?:\*\*[^*]+\*\*)(?:\s*(?:,|or|and)\s*\*\*[^*]+\*\*)*)/i;
const PLACEHOLDER_RE = /(^|[\s;&|(])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=\[\.\.\.\]/g;
const LINK_RE = /!?\[((?:[^\]\\]|\\.)*)\]\(([^()\s]*(?:\([^()]*\))?[^()]*?)\)/g;
const CHECK_ITEM = /^\s*[-*+]\s+\[( |x|X)\]\s+(.*?)\s*$/;
const ATTRIBUTE_LINE = /^\{\s*([^{}]*)\}\s*$/;

const processor = unified().use(remarkParse);

interface Ctx {
  file: string;
  lines: string[];
  config: ConditionContext;
  diagnostics: Diagnostic[];
}

function diag(ctx: Ctx, line: number, column: number, rule: string, severity: Severity, message: string): void {
  ctx.diagnostics.push({ line, column, rule, severity, message });
}

/**
 * Parses a chapter written in Leanpub Markdown into bookrun's model: shell blocks split into commands by a
 * real shell parser, `# If …` conditions, terminal switches, watches, retries, waits, placeholders, expected
 * outputs (fenced and pasted), author notes, the `## TODO` checklist and asides. Problems in the Markdown
 * become diagnostics; it never throws on Markdown input.
 */
export async function parseChapter(text: string, options: ParseChapterOptions): Promise<Chapter> {
  const lines = text.split(/\r?\n/);
  const ctx: Ctx = { file: options.file, lines, config: options.config, diagnostics: [] };
  // YAML front matter (a Docusaurus habit) is not chapter content: blank it, keeping every line number.
  const frontMatter = frontMatterEnd(lines);
  const markdown = frontMatter > 0 ? `${'\n'.repeat(frontMatter)}${lines.slice(frontMatter).join('\n')}` : text;
  let tree: Root;
  try {
    tree = processor.parse(markdown);
  } catch (error) {
    diag(ctx, 1, 1, 'markdown-parse', 'error', `cannot parse Markdown: ${String(error)}`);
    tree = { type: 'root', children: [] };
  }

  const flat = flatten(tree);
  const flatIndex = new Map<Nodes, number>();
  flat.forEach((entry, i) => flatIndex.set(entry.node, i));
  const headings = readHeadings(flat, lines);
  const title = headings.find((h) => h.depth === 1 && !/^todo$/i.test(h.text));
  const checklist = readChecklist(headings, lines);
  const sectionOf = sectionLookup(headings);

  const blocks: Block[] = [];
  const codeIndex = new Map<Code, number>();
  for (const entry of flat) {
    if (entry.node.type === 'code') {
      codeIndex.set(entry.node, blocks.length);
      blocks.push(readBlock(ctx, entry.node, blocks.length));
    }
  }

  const asides = readAsides(ctx, lines);
  const notes: Note[] = [];
  const hidden: Chapter['hidden'] = [];
  if (checklist.section) hidden.push({ line: checklist.section.line, endLine: checklist.section.endLine, kind: 'checklist' });

  // Prose: notes, aside conditions, ctrl+c after a block, output sentences.
  const asideConditionFor = new Map<number, Condition>();
  const proseWatchFor = new Set<number>();
  let pendingAsideCondition: Condition | null = null;
  let lastBlockIndex = -1;
  let proseSinceBlock = 0;
  const placeholderHints: Array<{ line: number; text: string }> = [];
  for (const entry of flat) {
    const node = entry.node;
    if (node.type === 'code') {
      const index = codeIndex.get(node)!;
      if (pendingAsideCondition && blocks[index]!.shell) {
        asideConditionFor.set(index, pendingAsideCondition);
        pendingAsideCondition = null;
      }
      lastBlockIndex = index;
      proseSinceBlock = 0;
      continue;
    }
    if (node.type !== 'paragraph' || !node.position) continue;
    const start = node.position.start.line;
    const end = node.position.end.line;
    const paragraphText = lines.slice(start - 1, end).join('\n');
    if (checklist.section && start >= checklist.section.line && start <= checklist.section.endLine) continue;
    proseSinceBlock++;
    const firstNote = NOTE_LINE.exec(lines[start - 1]!);
    if (firstNote) {
      notes.push({ kind: firstNote[1]!.toLowerCase() as 'todo' | 'note', line: start, text: paragraphText.trim(), where: 'prose' });
      hidden.push({ line: start, endLine: end, kind: 'note' });
    } else {
      for (let l = start + 1; l <= end; l++) {
        const m = NOTE_LINE.exec(lines[l - 1]!);
        if (m) {
          notes.push({ kind: m[1]!.toLowerCase() as 'todo' | 'note', line: l, text: lines[l - 1]!.trim(), where: 'prose' });
          hidden.push({ line: l, endLine: l, kind: 'note' });
        }
      }
    }
    if (/ctrl\s*\+\s*c/i.test(paragraphText) && proseSinceBlock === 1 && lastBlockIndex >= 0 && blocks[lastBlockIndex]!.shell) {
      proseWatchFor.add(lastBlockIndex);
    }
    if (ASIDE_LINE.test(lines[start - 1]!)) {
      const cond = asideCondition(ctx, paragraphText, start);
      if (cond) pendingAsideCondition = cond;
    }
    if (/\[\.\.\.\]/.test(paragraphText)) placeholderHints.push({ line: start, text: paragraphText.replace(/\s+/g, ' ').trim() });
  }

  // Non-shell blocks that are the expected output of the shell block before them.
  const outputFenceFor = new Map<number, number>();
  for (let i = 0; i < flat.length; i++) {
    const node = flat[i]!.node;
    if (node.type !== 'code') continue;
    const index = codeIndex.get(node)!;
    const block = blocks[index]!;
    if (block.shell || !isOutputLang(block.lang)) continue;
    const prev = previousSibling(flat, flatIndex, i);
    if (!prev) continue;
    if (prev.node.type === 'code') {
      const prevIndex = codeIndex.get(prev.node)!;
      if (blocks[prevIndex]!.shell) outputFenceFor.set(prevIndex, index);
      continue;
    }
    if (prev.node.type === 'paragraph' && OUTPUT_SENTENCE.test(toString(prev.node)) && !NOTE_LINE.test(lines[prev.node.position!.start.line - 1]!)) {
      const before = previousSibling(flat, flatIndex, flatIndex.get(prev.node)!);
      if (before?.node.type === 'code') {
        const prevIndex = codeIndex.get(before.node)!;
        if (blocks[prevIndex]!.shell) outputFenceFor.set(prevIndex, index);
      }
    }
  }

  const steps = await splitShellBlocks(ctx, blocks, options.shell);

  // Walk every shell block's lines: annotations, conditions, terminals, expected output.
  const stepsByBlock = new Map<number, Array<{ step: Step; wait: boolean }>>();
  for (const item of steps) {
    const list = stepsByBlock.get(item.step.block) ?? [];
    list.push(item);
    stepsByBlock.set(item.step.block, list);
  }
  const allSteps: Step[] = [];
  for (const block of blocks) {
    if (!block.shell) continue;
    const items = stepsByBlock.get(block.index) ?? [];
    annotateBlock(ctx, block, items, asideConditionFor.get(block.index) ?? null, notes, hidden, sectionOf);
    if (proseWatchFor.has(block.index) && items.length > 0) {
      const last = items[items.length - 1]!.step;
      if (!last.watch) {
        last.watch = true;
        last.watchReason = 'prose';
      }
    }
    const fence = outputFenceFor.get(block.index);
    if (fence !== undefined && items.length > 0) {
      const last = items[items.length - 1]!.step;
      const out = blocks[fence]!;
      if (!last.expect) {
        last.expect = { line: out.line, text: out.value, lang: out.lang, source: 'fence' };
        out.outputOf = last.id;
      }
    }
    for (const { step, wait } of items) {
      if (wait) {
        if (step.expect) step.eventually = true;
        else diag(ctx, step.line, 1, 'wait-without-expected-output', 'info', 'a "wait" comment stands before a command with no expected output: nothing to wait for; add the expected output after the block');
      }
      allSteps.push(step);
    }
  }

  // Links and link notes, outside code.
  const links = readLinks(lines, blocks, frontMatter);
  for (const link of links) {
    if (/TODO/.test(link.url) || /^TODO\b/.test(link.text)) {
      notes.push({ kind: 'todo', line: link.line, text: `[${link.text}](${link.url})`, where: 'link' });
    }
  }

  const placeholders = readPlaceholders(allSteps, placeholderHints);

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
    steps: allSteps,
    placeholders,
    notes,
    checklist: checklist.items,
    checklistSection: checklist.section,
    asides,
    headings,
    links,
    diagnostics: ctx.diagnostics,
  };
}

/** The number of lines of a leading `---` … `---` YAML front matter block (0 when there is none). */
function frontMatterEnd(lines: readonly string[]): number {
  if (lines[0] !== '---') return 0;
  for (let i = 1; i < lines.length && i < 200; i++) if (lines[i] === '---' || lines[i] === '...') return i + 1;
  return 0;
}

interface FlatEntry {
  node: Nodes;
  siblings: readonly Nodes[];
  index: number;
}

/** Every block-level node in document order, with its siblings (code inside lists and quotes included). */
function flatten(tree: Root): FlatEntry[] {
  const out: FlatEntry[] = [];
  const walk = (parent: Parent) => {
    parent.children.forEach((node, index) => {
      out.push({ node: node as Nodes, siblings: parent.children as Nodes[], index });
      if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'table') walk(node as Parent);
    });
  };
  walk(tree);
  return out;
}

/** The node before this one among its siblings, skipping Leanpub attribute paragraphs (`{lang="text"}`). */
function previousSibling(flat: FlatEntry[], flatIndex: Map<Nodes, number>, i: number): FlatEntry | null {
  const entry = flat[i];
  if (!entry) return null;
  for (let k = entry.index - 1; k >= 0; k--) {
    const node = entry.siblings[k]!;
    if (node.type === 'paragraph' && ATTRIBUTE_LINE.test(toString(node))) continue;
    if (node.type === 'html') continue;
    const at = flatIndex.get(node);
    return at === undefined ? null : flat[at]!;
  }
  return null;
}

function isOutputLang(lang: string | null): boolean {
  return lang === null || ['text', 'txt', 'yaml', 'yml', 'json', 'output', 'plain', 'plaintext', 'log'].includes(lang);
}

function readHeadings(flat: FlatEntry[], lines: string[]): Heading[] {
  const out: Heading[] = [];
  for (const { node } of flat) {
    if (node.type !== 'heading' || !node.position) continue;
    const heading = node as MdHeading;
    let text = toString(heading).trim();
    let id: string | null = null;
    const own = /\s*\{#([A-Za-z][\w-]*)\}\s*$/.exec(text);
    if (own) {
      id = own[1]!;
      text = text.slice(0, own.index).trim();
    }
    const line = heading.position!.start.line;
    const above = /^\{#([A-Za-z][\w-]*)\}\s*$|^\{\s*id\s*[:=]\s*"?([A-Za-z][\w-]*)"?\s*\}\s*$/.exec(lines[line - 2] ?? '');
    if (!id && above) id = above[1] ?? above[2] ?? null;
    out.push({ depth: heading.depth, text, line, id });
  }
  return out;
}

function readChecklist(headings: Heading[], lines: string[]): { items: ChecklistItem[]; section: { line: number; endLine: number } | null } {
  const at = headings.findIndex((h) => /^todo$/i.test(h.text));
  if (at < 0) return { items: [], section: null };
  const heading = headings[at]!;
  const next = headings.slice(at + 1).find((h) => h.depth <= Math.max(heading.depth, 2));
  let endLine = next ? next.line - 1 : lines.length;
  while (endLine > heading.line && lines[endLine - 1]!.trim() === '') endLine--;
  const items: ChecklistItem[] = [];
  for (let l = heading.line + 1; l <= endLine; l++) {
    const m = CHECK_ITEM.exec(lines[l - 1]!);
    if (m) items.push({ text: m[2]!, checked: m[1] !== ' ', line: l });
  }
  return { items, section: { line: heading.line, endLine } };
}

function sectionLookup(headings: Heading[]): (line: number) => string | null {
  const sections = headings.filter((h) => h.depth === 2 && !/^todo$/i.test(h.text));
  return (line) => {
    // Binary search for the last section heading above the line.
    let lo = 0;
    let hi = sections.length - 1;
    let found: string | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sections[mid]!.line < line) {
        found = sections[mid]!.text;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

function parseAttributes(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z_-]+)\s*[=:]\s*(?:"([^"]*)"|'([^']*)'|([^,\s}]+))/g)) {
    values[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  const id = /#([A-Za-z][\w-]*)/.exec(text);
  if (id && !values.id) values.id = id[1]!;
  return values;
}

function readBlock(ctx: Ctx, node: Code, index: number): Block {
  const start = node.position?.start.line ?? 1;
  const end = node.position?.end.line ?? start;
  const opener = ctx.lines[start - 1] ?? '';
  const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(opener);
  let open = false;
  let contentLine = start;
  if (fenceMatch) {
    contentLine = start + 1;
    const fence = fenceMatch[1]!;
    const closer = ctx.lines[end - 1] ?? '';
    const closes = end > start && new RegExp(`^\\s{0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(closer);
    if (!closes) {
      open = true;
      diag(ctx, start, 1, 'fence-open', 'error', `code fence opened here is never closed: it swallows the rest of the chapter; add a closing ${fence}`);
    }
  }
  const above = start >= 2 ? ctx.lines[start - 2]! : '';
  const attrMatch = fenceMatch ? ATTRIBUTE_LINE.exec(above) : null;
  const attributes = attrMatch ? { line: start - 1, text: above, values: parseAttributes(attrMatch[1]!) } : null;
  let lang = (node.lang ?? attributes?.values.lang ?? attributes?.values.format ?? null)?.toLowerCase() ?? null;
  let shell = lang !== null && SHELL_LANGS.has(lang);
  if (!shell && lang !== null && SHELL_TYPO.test(lang)) {
    diag(ctx, start, 1, 'shell-lang-typo', 'warning', `code block language "${lang}" looks like a typo of bash; treated as bash`);
    shell = true;
  }
  if (!fenceMatch && lang === null) {
    const nonEmpty = node.value.split('\n').filter((l) => l.trim() !== '');
    if (nonEmpty.length > 0 && nonEmpty[0]!.startsWith('$ ')) {
      lang = 'console';
      shell = true;
    }
  }
  return {
    index,
    line: start,
    endLine: end,
    contentLine,
    lang,
    attributes,
    shell,
    outputOf: null,
    open,
    value: node.value,
  };
}

/** The content lines of a block (1-based, inclusive), as [first, last]; last < first when empty. */
function contentRange(block: Block, lines: string[]): [number, number] {
  const last = block.open ? Math.min(block.endLine, lines.length) : block.endLine - (block.contentLine > block.line ? 1 : 0);
  return [block.contentLine, last];
}

function readAsides(ctx: Ctx, lines: string[]): Aside[] {
  const out: Aside[] = [];
  let inFence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (inFence === null) inFence = fence[1]![0]!;
      else if (fence[1]![0] === inFence) inFence = null;
      continue;
    }
    if (inFence !== null) continue;
    const m = ASIDE_LINE.exec(line);
    if (!m) continue;
    const kind = m[1] as AsideKind;
    const start = i;
    const texts: string[] = [];
    while (i < lines.length && lines[i]!.startsWith(`${kind}>`)) {
      texts.push(lines[i]!.slice(2).replace(/^ /, ''));
      i++;
    }
    i--;
    const text = texts.join('\n');
    out.push({ kind, line: start + 1, endLine: i + 1, text, condition: asideCondition(ctx, text, start + 1, false) });
  }
  return out;
}

function asideCondition(ctx: Ctx, text: string, line: number, report = true): Condition | null {
  const m = ASIDE_CONDITION.exec(text.replace(/\s+/g, ' '));
  if (!m) return null;
  const tokens = [...m[2]!.matchAll(/\*\*([^*]+)\*\*/g)].map((t) => t[1]!).join(' or ');
  const condition = parseCondition(`If ${m[1] ? 'not ' : ''}${tokens}`, line, ctx.config);
  if (!condition) return null;
  condition.source = m[0];
  if (report) reportUnknown(ctx, condition, line, 1);
  return condition;
}

function reportUnknown(ctx: Ctx, condition: Condition, line: number, column: number): void {
  const severity = ctx.config.unknownConditions.severity;
  if (condition.unknown.length === 0 || severity === 'off') return;
  const values = ctx.config.dimensions.map((d) => `${d.name}: ${d.values.join(', ')}`).join('; ');
  diag(
    ctx,
    line,
    column,
    'unknown-condition',
    severity,
    `condition "${condition.source}" names ${condition.unknown.map((u) => `"${u}"`).join(', ')}, which is not a variant value (${values}); ${ctx.config.unknownConditions.include ? 'the step stays in every plan' : 'the step is left out of every plan'}; add an alias under conditions.aliases in bookrun.yaml if it means one`,
  );
}

interface RawStep {
  step: Step;
  wait: boolean;
}

/** Splits every shell block into commands with the real shell parser; pasted output is set aside first. */
async function splitShellBlocks(ctx: Ctx, blocks: Block[], shell: ShellParser): Promise<RawStep[]> {
  const shellBlocks = blocks.filter((b) => b.shell);
  const regionsByBlock = new Map<number, OutputRegion[]>();
  const promptBlocks = new Set<number>();
  for (const block of shellBlocks) {
    const [first, last] = contentRange(block, ctx.lines);
    const blockLines = ctx.lines.slice(first - 1, last);
    if (blockLines.some((l) => l.startsWith('$ '))) {
      promptBlocks.add(block.index);
      continue;
    }
    regionsByBlock.set(block.index, scanShellBlock(blockLines));
  }

  // One parse for the whole chapter (sh-syntax starts a Go runtime per call); blocks that fail alone are retried alone.
  const scriptBlocks = shellBlocks.filter((b) => !promptBlocks.has(b.index));
  const statements = new Map<number, ShellStatement[]>();
  for (const chunk of chunkBlocks(ctx, scriptBlocks)) await parseGroup(ctx, chunk, regionsByBlock, shell, statements);

  const out: RawStep[] = [];
  for (const block of shellBlocks) {
    if (promptBlocks.has(block.index)) {
      out.push(...promptSteps(ctx, block));
      continue;
    }
    const regions = regionsByBlock.get(block.index) ?? [];
    const stmts = statements.get(block.index) ?? [];
    const [first] = contentRange(block, ctx.lines);
    // Merge statements that share lines (`a; b` on one line, or a heredoc) into one command.
    const ranges: Array<[number, number]> = [];
    for (const s of stmts.sort((a, b) => a.line - b.line)) {
      const prev = ranges[ranges.length - 1];
      if (prev && s.line <= prev[1]) prev[1] = Math.max(prev[1], s.endLine);
      else ranges.push([s.line, s.endLine]);
    }
    const blockSteps: RawStep[] = [];
    for (const [start, end] of ranges) {
      const raw = { step: newStep(ctx, block, start, end), wait: false };
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
        diag(ctx, start, 1, 'output-in-shell-block', 'warning', `output pasted inside the shell block (lines ${start}-${end}) is taken as the expected output of the command at line ${owner.step.line}; move it to its own fence after the block`);
      } else {
        diag(ctx, start, 1, 'output-in-shell-block', 'warning', `output pasted inside the shell block (lines ${start}-${end}) follows no command; move it out of the block`);
      }
    }
  }
  return out;
}

/** A shell block's content lines (1-based, inclusive) and its pasted-output regions. */
interface ScriptPart {
  index: number;
  first: number;
  last: number;
  regions: OutputRegion[];
}

/**
 * The script handed to the shell parser for a group of blocks: their content lines at their own line
 * numbers (relative to the first block), every other line and every pasted-output line blank. `owner`
 * maps each script line to its block index (-1 between blocks).
 */
function toGroupScript(lines: readonly string[], parts: ScriptPart[]): { script: string; firstLine: number; owner: number[] } {
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

/**
 * The most script text one parse gets: mvdan/sh in WASM fails ("memory access out of bounds") somewhere
 * past 400 kB, and a chapter's blocks rarely come near this, so most chapters still parse in one call.
 */
const MAX_SCRIPT = 160_000;

/** Splits the blocks into runs whose script (content lines and the blank lines between) stays under {@link MAX_SCRIPT}. */
function chunkBlocks(ctx: Ctx, blocks: Block[]): Block[][] {
  const chunks: Block[][] = [];
  let current: Block[] = [];
  let size = 0;
  let lastLine = 0;
  for (const block of blocks) {
    const [first, last] = contentRange(block, ctx.lines);
    let blockSize = 0;
    for (let l = first; l <= last; l++) blockSize += ctx.lines[l - 1]!.length + 1;
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

/** Parses a group of blocks as one script; on a syntax error, finds the failing block and parses around it. */
async function parseGroup(
  ctx: Ctx,
  group: Block[],
  regions: Map<number, OutputRegion[]>,
  shell: ShellParser,
  out: Map<number, ShellStatement[]>,
): Promise<void> {
  if (group.length === 0) return;
  const { script, firstLine, owner } = toGroupScript(
    ctx.lines,
    group.map((block) => {
      const [first, last] = contentRange(block, ctx.lines);
      return { index: block.index, first, last, regions: regions.get(block.index) ?? [] };
    }),
  );
  const result = await shell.parse(script);
  const blockAt = (line: number) => owner[line - firstLine] ?? -1;
  if (result.ok) {
    const crossing = new Set<number>();
    for (const s of result.statements) {
      const b = blockAt(s.line + firstLine - 1);
      const e = blockAt(s.endLine + firstLine - 1);
      if (b !== e) crossing.add(b);
    }
    if (crossing.size === 0) {
      for (const s of result.statements) {
        const line = s.line + firstLine - 1;
        const b = blockAt(line);
        const list = out.get(b) ?? [];
        list.push({ line, column: s.column, endLine: s.endLine + firstLine - 1 });
        out.set(b, list);
      }
      return;
    }
    // A quote left open in one block swallowed the next: treat the first such block as failing.
    const bad = group.findIndex((blk) => crossing.has(blk.index));
    await splitAround(ctx, group, bad, regions, shell, out);
    return;
  }
  const errorLine = result.line + firstLine - 1;
  let bad = group.findIndex((blk) => blk.index === blockAt(errorLine));
  if (bad < 0) bad = group.findLastIndex((blk) => blk.line <= errorLine);
  if (bad < 0) bad = 0;
  if (group.length === 1) {
    recordSyntaxError(ctx, group[0]!, { line: errorLine, column: result.column, message: result.message }, regions, out);
    return;
  }
  await splitAround(ctx, group, bad, regions, shell, out);
}

async function splitAround(
  ctx: Ctx,
  group: Block[],
  bad: number,
  regions: Map<number, OutputRegion[]>,
  shell: ShellParser,
  out: Map<number, ShellStatement[]>,
): Promise<void> {
  const [alFirst, alLast] = contentRange(group[bad]!, ctx.lines);
  const alone = await shell.parse(
    toGroupScript(ctx.lines, [{ index: group[bad]!.index, first: alFirst, last: alLast, regions: regions.get(group[bad]!.index) ?? [] }]).script,
  );
  const first = contentRange(group[bad]!, ctx.lines)[0];
  if (alone.ok) {
    out.set(
      group[bad]!.index,
      alone.statements.map((s) => ({ line: s.line + first - 1, column: s.column, endLine: s.endLine + first - 1 })),
    );
  } else {
    recordSyntaxError(ctx, group[bad]!, { line: alone.line + first - 1, column: alone.column, message: alone.message }, regions, out);
  }
  await parseGroup(ctx, group.slice(0, bad), regions, shell, out);
  await parseGroup(ctx, group.slice(bad + 1), regions, shell, out);
}


/**
 * A block the shell parser rejects even alone: report the error and fall back to one command per
 * paragraph, so the chapter still plans (and `bookrun run` refuses to run it: see the diagnostic).
 */
function recordSyntaxError(
  ctx: Ctx,
  block: Block,
  error: { line: number; column: number; message: string },
  regions: Map<number, OutputRegion[]>,
  out: Map<number, ShellStatement[]>,
): void {
  diag(ctx, error.line, error.column, 'shell-syntax', 'error', `shell syntax error: ${error.message}`);
  const [first, last] = contentRange(block, ctx.lines);
  const blanked = new Set<number>();
  for (const r of regions.get(block.index) ?? []) for (let k = r.start; k <= r.end; k++) blanked.add(k);
  const list: ShellStatement[] = [];
  let start = -1;
  for (let l = first; l <= last + 1; l++) {
    const line = l <= last && !blanked.has(l - first) ? ctx.lines[l - 1]! : '';
    const isCode = line.trim() !== '' && !line.trim().startsWith('#');
    if (isCode && start < 0) start = l;
    if (!isCode && start >= 0 && (line.trim() === '' || l > last)) {
      let end = l - 1;
      while (end > start && ctx.lines[end - 1]!.trim().startsWith('#')) end--;
      list.push({ line: start, column: 1, endLine: end });
      start = -1;
    }
  }
  out.set(block.index, list);
}

/** `$ `-prompt blocks: prompt lines (with `\` continuations) are commands, the lines after them output. */
function promptSteps(ctx: Ctx, block: Block): RawStep[] {
  const [first, last] = contentRange(block, ctx.lines);
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
    const step = newStep(ctx, block, l, end);
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

function newStep(ctx: Ctx, block: Block, start: number, end: number): Step {
  const command = ctx.lines.slice(start - 1, end).join('\n');
  return {
    id: `L${start}`,
    line: start,
    endLine: end,
    command,
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

/** Applies the comment lines of a block to its commands, in order. */
function annotateBlock(
  ctx: Ctx,
  block: Block,
  items: RawStep[],
  asideCondition: Condition | null,
  notes: Note[],
  hidden: Chapter['hidden'],
  sectionOf: (line: number) => string | null,
): void {
  const [first, last] = contentRange(block, ctx.lines);
  const covered = new Map<number, RawStep>();
  for (const item of items) for (let l = item.step.line; l <= item.step.endLine; l++) covered.set(l, item);
  const pastedLines = new Set<number>();
  for (const item of items) {
    if (item.step.expect?.source === 'pasted') {
      const n = item.step.expect.text.split('\n').length;
      for (let l = item.step.expect.line; l < item.step.expect.line + n; l++) pastedLines.add(l);
    }
  }

  let condition: Condition | null = null;
  let terminalOnce: number | null = null;
  let terminalMode = 1;
  let wait = false;
  let annotations: Annotations = {};
  let annotationLine = 0;
  let comments: string[] = [];
  let previous: RawStep | null = null;
  let lastItem: RawStep | null = null;

  for (let l = first; l <= last; l++) {
    const item = covered.get(l);
    if (item) {
      if (item !== lastItem) {
        const step = item.step;
        step.section = sectionOf(step.line);
        step.condition = condition ?? asideCondition;
        step.terminal = terminalOnce ?? terminalMode;
        step.annotations = annotations;
        step.comments = comments;
        item.wait = wait;
        if (detectWatch(step.command)) {
          step.watch = true;
          step.watchReason = 'flag';
        }
        if (step.annotations.until && !step.watch) {
          step.watch = true;
          step.watchReason = 'ctrl-c';
        }
        condition = null;
        terminalOnce = null;
        wait = false;
        annotations = {};
        annotationLine = 0;
        comments = [];
        previous = item;
        lastItem = item;
      }
      continue;
    }
    if (pastedLines.has(l)) continue;
    const raw = ctx.lines[l - 1]!;
    const trimmed = raw.trim();
    if (!trimmed.startsWith('#')) continue;
    const text = trimmed.replace(/^#+\s*/, '');
    const column = raw.indexOf('#') + 1;
    const kind = classifyComment(text);
    switch (kind.kind) {
      case 'condition': {
        const parsed = parseCondition(kind.text, l, ctx.config);
        if (parsed) {
          reportUnknown(ctx, parsed, l, column);
          condition = parsed;
        } else comments.push(text);
        break;
      }
      case 'terminal':
        if (kind.action === 'in') terminalOnce = kind.terminal;
        else if (kind.action === 'go') terminalMode = kind.terminal;
        if (/^(TODO|NOTE)\b/i.test(text)) notes.push({ kind: /^TODO/i.test(text) ? 'todo' : 'note', line: l, text: trimmed, where: 'comment' });
        break;
      case 'interrupt':
        if (previous) {
          if (!previous.step.watch || previous.step.watchReason === 'flag') {
            previous.step.watch = true;
            previous.step.watchReason = previous.step.watchReason ?? 'ctrl-c';
          }
        } else diag(ctx, l, column, 'dangling-annotation', 'warning', 'a ctrl+c instruction with no command before it in this block');
        break;
      case 'retry':
        if (previous) previous.step.retryWhile = kind.phrase;
        else diag(ctx, l, column, 'dangling-annotation', 'warning', 'a "Repeat if" comment with no command before it in this block');
        break;
      case 'wait':
        wait = true;
        comments.push(text);
        break;
      case 'annotation': {
        const parsed = parseAnnotations(kind.text);
        for (const p of parsed.problems) diag(ctx, l, column + 1 + kind.offset + p.column, 'bad-annotation', 'error', `bookrun annotation: ${p.message}`);
        annotations = { ...annotations, ...parsed.annotations };
        annotationLine = l;
        hidden.push({ line: l, endLine: l, kind: 'annotation' });
        break;
      }
      case 'note':
        notes.push({ kind: kind.note, line: l, text: trimmed, where: 'comment' });
        hidden.push({ line: l, endLine: l, kind: 'note' });
        break;
      case 'comment':
        comments.push(text);
        break;
    }
  }
  // Annotations after the last command apply to it; a condition with nothing after it is dangling.
  if (annotationLine > 0 && previous) {
    previous.step.annotations = { ...previous.step.annotations, ...annotations };
    if (previous.step.annotations.until && !previous.step.watch) {
      previous.step.watch = true;
      previous.step.watchReason = 'ctrl-c';
    }
  }
  if (condition) diag(ctx, condition.line, 1, 'dangling-annotation', 'warning', `condition "${condition.source}" applies to no command: nothing follows it in the block`);
}

function readLinks(lines: string[], blocks: Block[], frontMatter: number): Link[] {
  const inCode = new Uint8Array(lines.length + 2);
  for (let l = 1; l <= frontMatter; l++) inCode[l] = 1;
  for (const b of blocks) for (let l = b.line; l <= b.endLine; l++) inCode[l] = 1;
  const out: Link[] = [];
  for (let l = 1; l <= lines.length; l++) {
    if (inCode[l]) continue;
    const line = lines[l - 1]!;
    if (!line.includes('](')) continue;
    const masked = line.replace(/`[^`]*`/g, (m) => ' '.repeat(m.length));
    for (const m of masked.matchAll(LINK_RE)) {
      if (m[0].startsWith('!')) continue;
      out.push({ text: line.slice(m.index! + 1, m.index! + 1 + m[1]!.length), url: m[2]!.trim(), line: l, column: m.index! + 1 });
    }
  }
  return out;
}

function readPlaceholders(steps: Step[], hints: Array<{ line: number; text: string }>): Placeholder[] {
  const out: Placeholder[] = [];
  const names = new Set<string>();
  for (const step of steps) {
    if (!step.command.includes('=[...]')) continue;
    step.command.split('\n').forEach((text, i) => {
      for (const m of text.matchAll(PLACEHOLDER_RE)) {
        const name = m[2]!;
        if (!step.placeholders.includes(name)) step.placeholders.push(name);
        names.add(name);
        const line = step.line + i;
        const comment = step.comments.length > 0 ? step.comments[step.comments.length - 1]! : null;
        const hint = hints.findLast((h) => h.line < line && (h.text.includes(name) || /replace|with your|\[\.\.\.\]/i.test(h.text)));
        out.push({ name, line, step: step.id, description: comment ?? hint?.text ?? null });
      }
    });
  }
  if (names.size === 0) return out;
  // One pass over each command for every placeholder it reads ($NAME or ${NAME}).
  const reads = new RegExp(`\\$\\{?(${[...names].join('|')})\\b`, 'g');
  for (const step of steps) {
    if (!step.command.includes('$')) continue;
    for (const m of step.command.matchAll(reads)) {
      const name = m[1]!;
      if (!step.placeholders.includes(name) && !step.uses.includes(name)) step.uses.push(name);
    }
  }
  return out;
}
