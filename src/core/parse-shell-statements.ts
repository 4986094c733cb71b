import type { Block } from './model.ts';
import { report, type ParseContext } from './parse-context.ts';
import type { OutputRegion } from './scan-shell-block.ts';
import type { ShellParser, ShellStatement } from './shell-parser.ts';
import { toContentRange } from './to-content-range.ts';
import { toGroupScript } from './to-group-script.ts';
import { toScriptChunks } from './to-script-chunks.ts';

type Regions = Map<number, OutputRegion[]>;
type Statements = Map<number, ShellStatement[]>;

function part(ctx: ParseContext, block: Block, regions: Regions) {
  const [first, last] = toContentRange(block, ctx.lines);
  return { index: block.index, first, last, regions: regions.get(block.index) ?? [] };
}

/** A line that reads as a sentence: words, maybe punctuation and a parenthesised aside, no shell syntax. */
function readsAsSentence(line: string): boolean {
  const text = line.trim();
  return /^[A-Za-z][\w'’-]*(?:[\s,.:;!?()]+[\w'’-]+){2,}[\s.:!?)]*$/u.test(text) && !/[|&$`"=<>{}\\]/.test(text);
}

/**
 * A block the shell parser rejects alone may hold a sentence line (`this works the same (as before)`): set
 * each such line aside (the commands phase reports it) and parse again. Returns the statements once the
 * block parses, or null when the error is in a command (a real syntax error).
 */
async function withoutSentences(ctx: ParseContext, block: Block, error: { line: number }, regions: Regions, shell: ShellParser): Promise<ShellStatement[] | null> {
  const [first, last] = toContentRange(block, ctx.lines);
  let line = error.line;
  for (let attempt = 0; attempt < 8; attempt++) {
    const text = ctx.lines[line - 1] ?? '';
    if (line < first || line > last || !readsAsSentence(text)) return null;
    if ((await shell.parse(text)).ok) return null;
    regions.set(block.index, [...(regions.get(block.index) ?? []), { start: line - first, end: line - first, kind: 'prose' as const }].sort((a, b) => a.start - b.start));
    const again = await shell.parse(toGroupScript(ctx.lines, [part(ctx, block, regions)]).script);
    if (again.ok) return again.statements.map((s) => ({ line: s.line + first - 1, column: s.column, endLine: s.endLine + first - 1 }));
    line = again.line + first - 1;
  }
  return null;
}

/**
 * A block the shell parser rejects even alone: report the error and fall back to one command per
 * paragraph, so the chapter still plans (and `bookrun run` refuses to run it: see the diagnostic).
 */
function recordSyntaxError(ctx: ParseContext, block: Block, error: { line: number; column: number; message: string }, regions: Regions, out: Statements): void {
  report(ctx, error.line, error.column, 'shell-syntax', 'error', `shell syntax error: ${error.message}`);
  const [first, last] = toContentRange(block, ctx.lines);
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

/** A block that fails alone: without its sentence lines, or as a syntax error. */
async function failedAlone(ctx: ParseContext, block: Block, error: { line: number; column: number; message: string }, regions: Regions, shell: ShellParser, out: Statements): Promise<void> {
  const statements = await withoutSentences(ctx, block, error, regions, shell);
  if (statements) out.set(block.index, statements);
  else recordSyntaxError(ctx, block, error, regions, out);
}

async function splitAround(ctx: ParseContext, group: Block[], bad: number, regions: Regions, shell: ShellParser, out: Statements): Promise<void> {
  const alonePart = part(ctx, group[bad]!, regions);
  const alone = await shell.parse(toGroupScript(ctx.lines, [alonePart]).script);
  const first = alonePart.first;
  if (alone.ok) {
    out.set(
      group[bad]!.index,
      alone.statements.map((s) => ({ line: s.line + first - 1, column: s.column, endLine: s.endLine + first - 1 })),
    );
  } else {
    await failedAlone(ctx, group[bad]!, { line: alone.line + first - 1, column: alone.column, message: alone.message }, regions, shell, out);
  }
  await parseGroup(ctx, group.slice(0, bad), regions, shell, out);
  await parseGroup(ctx, group.slice(bad + 1), regions, shell, out);
}

/** Parses a group of blocks as one script; on a syntax error, finds the failing block and parses around it. */
async function parseGroup(ctx: ParseContext, group: Block[], regions: Regions, shell: ShellParser, out: Statements): Promise<void> {
  if (group.length === 0) return;
  const { script, firstLine, owner } = toGroupScript(
    ctx.lines,
    group.map((block) => part(ctx, block, regions)),
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
    await failedAlone(ctx, group[0]!, { line: errorLine, column: result.column, message: result.message }, regions, shell, out);
    return;
  }
  await splitAround(ctx, group, bad, regions, shell, out);
}

/**
 * The top-level statements of every shell block, by chapter lines, from a real shell parser. The blocks
 * are parsed as one script (sh-syntax starts a Go runtime per call) in chunks the parser can take; a block
 * that fails is retried alone, and one that fails alone is a `shell-syntax` diagnostic with a fallback of one
 * command per paragraph. Lines in `regions` (pasted output) are blank to the parser.
 */
export async function parseShellStatements(ctx: ParseContext, blocks: Block[], regions: Regions, shell: ShellParser): Promise<Statements> {
  const out: Statements = new Map();
  for (const chunk of toScriptChunks(ctx.lines, blocks)) await parseGroup(ctx, chunk, regions, shell, out);
  return out;
}
