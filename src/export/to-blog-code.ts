import { classifyComment } from '../core/classify-comment.ts';
import type { Block, Chapter, Plan } from '../core/model.ts';
import { toHiddenLines } from '../core/to-hidden-lines.ts';
import { toBlockProps } from '../site/to-block-props.ts';

/** Comment lines that speak of the command before them (ctrl+c to stop it, repeat it), and blank lines. */
function speaksOfPrevious(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.length > 0 && lines.every((l) => /^\s*#/.test(l) && ['interrupt', 'retry'].includes(classifyComment(l.trim().replace(/^#+\s*/, '')).kind));
}

/** Blank lines at the ends dropped and runs of blank lines made one (what is left where commands were taken out). */
function tidy(lines: string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (line.trim() === '' && (out.length === 0 || out[out.length - 1]!.trim() === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
  return out.join('\n');
}

/**
 * What a code block shows in a blog post, or null when nothing of it is left. Shell blocks are cut into
 * steps the way the site cuts them (`toBlockProps`: a command with the comments above it), without author
 * notes and `# bookrun:` annotations; with a `plan`, only the steps of its variant stay, without their
 * `# If …` lines (every command left applies). Without one, every command stays with its condition. An
 * expected output or a file's content goes with its step. Any other block is kept as written.
 */
export function toBlogCode(chapter: Chapter, block: Block, plan: Plan | null): string | null {
  const included = plan ? new Set(plan.steps.filter((s) => s.included).map((s) => s.id)) : null;
  const owner = block.outputOf ?? block.fileOf;
  if (!block.shell) {
    if (included && owner && !included.has(owner)) return null;
    return block.value;
  }
  const steps = chapter.steps.filter((s) => s.block === block.index);
  if (steps.length === 0) {
    const hidden = toHiddenLines(chapter);
    const lines = block.value.split('\n').filter((_, i) => !hidden.has(block.contentLine + i));
    return tidy(lines) || null;
  }
  const props = toBlockProps(chapter, block, { chapter: chapter.file, plans: plan ? [plan] : [], showNotes: false });
  const conditionLines = new Set(included ? steps.filter((s) => s.condition && included.has(s.id)).map((s) => chapter.lines[s.condition!.line - 1]!) : []);
  const lines: string[] = [];
  let previousLeftOut = false;
  for (const segment of props.segments) {
    if (segment.kind === 'note') continue;
    if (segment.kind === 'step') previousLeftOut = included !== null && !included.has(segment.step);
    if (segment.kind === 'step' && previousLeftOut) continue;
    // `# Press *ctrl+c* …` and `# Repeat if …` after a command speak of it: they go when it goes.
    if (segment.kind === 'text' && previousLeftOut && speaksOfPrevious(segment.text)) continue;
    for (const line of segment.text.split('\n')) {
      if (segment.kind === 'step' && conditionLines.has(line) && /^\s*#/.test(line)) continue;
      lines.push(line);
    }
  }
  return tidy(lines) || null;
}
