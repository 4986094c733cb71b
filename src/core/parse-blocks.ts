import type { Code } from 'mdast';
import type { Block, BlockTool } from './model.ts';
import { parseAttributeList as parseAttributes } from './parse-attribute-list.ts';
import { report, type ParseContext } from './parse-context.ts';
import { parseToolAnnotations } from './parse-tool-annotations.ts';
import type { FlatNodes } from './to-flat-nodes.ts';

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'shell-session', 'shellsession']);
const SHELL_TYPO = /^(?:basdh|bashs|bsh|bahs|bassh|bash\w+)$/;
const ATTRIBUTE_LINE = /^\{\s*([^{}]*)\}\s*$/;
/** Languages a `$ `-prompt transcript is tagged with when it is not tagged as shell. */
const TRANSCRIPT_LANGS = new Set(['text', 'txt', 'plain', 'plaintext', 'output', 'terminal', 'console', 'shell-session', 'shellsession', 'session']);
const PROMPT = /^\$(?: |$)/;

function parseBlock(ctx: ParseContext, node: Code, index: number, tool: BlockTool | null): Block {
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
      report(ctx, start, 1, 'fence-open', 'error', `code fence opened here is never closed: it swallows the rest of the chapter; add a closing ${fence}`);
    }
  }
  const above = start >= 2 ? ctx.lines[start - 2]! : '';
  const attrMatch = fenceMatch ? ATTRIBUTE_LINE.exec(above) : null;
  const attributes = attrMatch ? { line: start - 1, text: above, values: parseAttributes(attrMatch[1]!) } : null;
  let lang = (node.lang ?? attributes?.values.lang ?? attributes?.values.format ?? null)?.toLowerCase() ?? null;
  let shell = lang !== null && SHELL_LANGS.has(lang);
  if (!shell && lang !== null && SHELL_TYPO.test(lang)) {
    report(ctx, start, 1, 'shell-lang-typo', 'warning', `code block language "${lang}" looks like a typo of bash; treated as bash`);
    shell = true;
  }
  const firstLine = /^[ \t]*\S.*$/m.exec(node.value)?.[0] ?? '';
  if (!fenceMatch && lang === null && firstLine.startsWith('$ ')) {
    lang = 'console';
    shell = true;
  }
  let transcript = shell && /^\$ /m.test(node.value);
  // A `{lang="text"}` or bare fence whose first line is a `$ ` prompt is a transcript: the reader types what
  // follows `$ `, the rest is what the terminal printed.
  if (!shell && !tool && (lang === null || TRANSCRIPT_LANGS.has(lang)) && PROMPT.test(firstLine)) {
    shell = true;
    transcript = true;
  }
  if (tool?.role === 'commands') shell = true;
  if (tool?.role === 'output' || tool?.role === 'content') {
    shell = false;
    transcript = false;
  }
  return { index, line: start, endLine: end, contentLine, lang, attributes, shell, transcript, outputOf: null, fileOf: null, tool, open, value: node.value };
}

/**
 * The blocks phase: every fenced or indented code block in document order, with its language (the info
 * string, else an LFM `{lang=…}` / Markua `{format: …}` line above the fence), whether it is a shell block
 * (or a `$ `-prompt transcript, whatever its tag), what other tools' markup says of it (Runme, mdrip, txm,
 * Innovation Engine), and whether its fence is left open (a diagnostic).
 */
export function parseBlocks(ctx: ParseContext, flat: FlatNodes): { blocks: Block[]; nodeOf: Map<Code, number> } {
  const tools = parseToolAnnotations(ctx, flat);
  const blocks: Block[] = [];
  const nodeOf = new Map<Code, number>();
  for (const entry of flat.entries) {
    if (entry.node.type !== 'code') continue;
    nodeOf.set(entry.node, blocks.length);
    blocks.push(parseBlock(ctx, entry.node, blocks.length, tools.get(entry.node) ?? null));
  }
  return { blocks, nodeOf };
}
