import { classifyComment } from './classify-comment.ts';
import { detectWatch } from './detect-watch.ts';
import type { Annotations, Block, Chapter, Condition, Note } from './model.ts';
import { parseAnnotations } from './parse-annotations.ts';
import { parseCondition } from './parse-condition.ts';
import { report, type ParseContext, type RawStep } from './parse-context.ts';
import { reportUnknownCondition } from './report-unknown-condition.ts';
import { toContentRange } from './to-content-range.ts';

/**
 * The comment lines of a shell block applied to its commands, in order: `# If …` conditions and terminal
 * switches on the next command, ctrl+c and "Repeat if" on the previous one, waits, `# bookrun:` annotations,
 * `# TODO:` notes, plain comments. Also marks watches by their flags. Mutates the steps; adds notes and
 * hidden lines.
 */
export function parseBlockComments(
  ctx: ParseContext,
  block: Block,
  items: RawStep[],
  asideCondition: Condition | null,
  notes: Note[],
  hidden: Chapter['hidden'],
  sectionOf: (line: number) => string | null,
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
      case 'interrupt':
        if (previous) {
          if (!previous.step.watch || previous.step.watchReason === 'flag') {
            previous.step.watch = true;
            previous.step.watchReason = previous.step.watchReason ?? 'ctrl-c';
          }
        } else report(ctx, l, column, 'dangling-annotation', 'warning', 'a ctrl+c instruction with no command before it in this block');
        break;
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
