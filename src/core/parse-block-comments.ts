import { classifyComment } from './classify-comment.ts';
import { detectShortLived } from './detect-short-lived.ts';
import { detectWatch } from './detect-watch.ts';
import type { Annotations, Block, Chapter, Condition, Note } from './model.ts';
import { parseAnnotations } from './parse-annotations.ts';
import { parseCondition } from './parse-condition.ts';
import { report, type ParseContext, type RawStep } from './parse-context.ts';
import { reportUnknownCondition } from './report-unknown-condition.ts';
import { toContentRange } from './to-content-range.ts';

/** Marks a step a watch because a ctrl+c instruction follows it; false when the step surely ends by itself. */
function interrupt(item: RawStep): boolean {
  if (detectShortLived(item.step.command)) return false;
  if (!item.step.watch || item.step.watchReason === 'flag') {
    item.step.watch = true;
    item.step.watchReason = item.step.watchReason ?? 'ctrl-c';
  }
  return true;
}

/**
 * The comment lines of a shell block applied to its commands, in order: `# If …` conditions and terminal
 * switches on the next command, ctrl+c and "Repeat if" on the previous one (a ctrl+c comment that opens the
 * block is about the last command of the shell block before, `previousLast`), waits, `# bookrun:`
 * annotations, `# TODO:` notes, plain comments; in a transcript, `$ # …` comments too. Other tools'
 * annotations of the block (`block.tool`) apply to every command, under its own `# bookrun:` lines. Also
 * marks watches by their flags. Mutates the steps; adds notes and hidden lines.
 */
export function parseBlockComments(
  ctx: ParseContext,
  block: Block,
  items: RawStep[],
  asideCondition: Condition | null,
  notes: Note[],
  hidden: Chapter['hidden'],
  sectionOf: (line: number) => string | null,
  previousLast: RawStep | null = null,
): void {
  const [first, last] = toContentRange(block, ctx.lines);
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
  const tool = block.tool;
  const { exitCode: toolExit, ...toolAnnotations } = tool?.annotations ?? {};
  const lastStep = items.at(-1)?.step;

  for (let l = first; l <= last; l++) {
    const item = covered.get(l);
    if (item) {
      if (item !== lastItem) {
        const step = item.step;
        step.section = sectionOf(step.line);
        step.condition = condition ?? asideCondition;
        step.terminal = terminalOnce ?? (terminalMode !== 1 ? terminalMode : (tool?.terminal ?? 1));
        step.annotations = tool ? { ...toolAnnotations, ...(toolExit !== undefined && step === lastStep ? { exitCode: toolExit } : {}), ...annotations } : annotations;
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
    // In a transcript a comment may be typed at the prompt: `$ # If EKS`.
    const raw = block.transcript ? ctx.lines[l - 1]!.replace(/^(\s*)\$\s+(?=#)/, (_, space: string) => space) : ctx.lines[l - 1]!;
    const shift = ctx.lines[l - 1]!.length - raw.length;
    const trimmed = raw.trim();
    if (!trimmed.startsWith('#')) continue;
    const text = trimmed.replace(/^#+\s*/, '');
    const column = raw.indexOf('#') + 1 + shift;
    const kind = classifyComment(text);
    switch (kind.kind) {
      case 'condition': {
        const parsed = parseCondition(kind.text, l, ctx.config);
        if (parsed) {
          reportUnknownCondition(ctx, parsed, l, column);
          condition = parsed;
        } else comments.push(text);
        break;
      }
      case 'terminal':
        if (kind.action === 'in') terminalOnce = kind.terminal;
        else if (kind.action === 'go') terminalMode = kind.terminal;
        if (/^(TODO|NOTE)\b/i.test(text)) notes.push({ kind: /^TODO/i.test(text) ? 'todo' : 'note', line: l, text: trimmed, where: 'comment' });
        break;
      case 'interrupt': {
        const target = previous ?? previousLast;
        if (!target) report(ctx, l, column, 'dangling-annotation', 'warning', 'a ctrl+c instruction with no command before it in this block');
        else if (!interrupt(target)) report(ctx, l, column, 'dangling-annotation', 'info', `a ctrl+c instruction after a command that ends by itself (line ${target.step.line}): it is no watch`);
        break;
      }
      case 'retry':
        if (previous) previous.step.retryWhile = kind.phrase;
        else report(ctx, l, column, 'dangling-annotation', 'warning', 'a "Repeat if" comment with no command before it in this block');
        break;
      case 'wait':
        wait = true;
        comments.push(text);
        break;
      case 'annotation': {
        const parsed = parseAnnotations(kind.text);
        for (const p of parsed.problems) report(ctx, l, column + 1 + kind.offset + p.column, 'bad-annotation', 'error', `bookrun annotation: ${p.message}`);
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
  if (condition) report(ctx, condition.line, 1, 'dangling-annotation', 'warning', `condition "${condition.source}" applies to no command: nothing follows it in the block`);
}
