import type { BookConfig } from '../core/book-config.ts';
import { chapterGistName } from '../core/gist-links.ts';
import { classifyComment } from '../core/classify-comment.ts';
import { parseCondition, type ConditionContext } from '../core/parse-condition.ts';
import { toRunCommand } from '../core/to-run-command.ts';
import { toHiddenLines } from '../core/to-hidden-lines.ts';
import type { Chapter, Plan, Step } from '../core/model.ts';
import { toBanner } from './to-banner.ts';
import { toConditionComment } from './to-condition-comment.ts';

/** Options of {@link toGist}. */
export interface GistOptions {
  /**
   * A plan for one variant: the gist is then flattened for it (only its included steps, no condition
   * comments). Without it the gist holds every step of every variant with `# If …` comments.
   */
  plan?: Plan;
  /** How the header names the chapter file (defaults to `chapter.file`). */
  displayPath?: string;
}

/** Canonical terminal-switch comments, as published gists of this genre write them. */
export const TERMINAL_COMMENTS = {
  open: '# Open a second terminal session',
  second: '# Go to the second terminal session',
  first: '# Go back to the first terminal session',
} as const;

/** The comments an author wrote directly above a step that a gist keeps (plain explanations only). */
function keptComments(chapter: Chapter, config: ConditionContext, hidden: ReadonlyMap<number, unknown>, step: Step, previous: Step | null): string[] {
  const block = chapter.blocks[step.block];
  const from = previous && previous.block === step.block ? previous.endLine + 1 : (block?.contentLine ?? step.line);
  const kept: string[] = [];
  for (let line = from; line < step.line; line++) {
    const text = (chapter.lines[line - 1] ?? '').trim();
    if (!text.startsWith('#') || text.startsWith('#!') || hidden.has(line)) continue;
    // Plain explanations and "after a few minutes" waits stay, and so does a sentence that starts with "If"
    // (`# If could be \`jx upgrade addon jx-prow\``), verbatim; conditions and terminal switches are rewritten
    // canonically, retries re-emitted after their command, notes and annotations dropped.
    const body = text.replace(/^#+\s*/, '');
    const kind = classifyComment(body).kind;
    if (kind === 'comment' || kind === 'wait' || (kind === 'condition' && parseCondition(body, line, config) === null)) kept.push(text);
  }
  return kept;
}

function header(chapter: Chapter, config: Pick<BookConfig, 'setupGists' | 'gists' | 'defaultVariant'>, options: GistOptions): string[] {
  const own = chapterGistName(chapter.file);
  const lines = [`# ${chapter.title}`, '#', `# The commands of the chapter "${chapter.title}" (${options.displayPath ?? chapter.file}).`];
  const url = config.gists[own];
  if (url) lines.push(`# Source: ${url}`);
  if (options.plan) lines.push(`# Variant: ${options.plan.variant.name} (conditions resolved)`);
  const setups = Object.entries(config.setupGists).filter(([variant]) => !options.plan || variant === options.plan.variant.name);
  if (setups.length > 0) {
    lines.push('#');
    lines.push(setups.length === 1 ? '# Create the cluster first with the setup Gist:' : '# Create a cluster first with the setup Gist of your variant:');
    for (const [variant, gist] of setups) {
      const gistUrl = config.gists[gist];
      lines.push(`# - ${variant}: ${gist}${gistUrl ? ` (${gistUrl})` : ' (not published yet)'}`);
    }
  }
  return lines;
}

/**
 * Writes a chapter's commands as a gist script in the format authors of this genre publish: the header,
 * each `##` section as a banner, every command in document order separated by exactly one blank line,
 * condition comments repeated above each command, canonical terminal switches; expected output, pasted
 * output, ctrl+c instructions, author notes and bookrun annotations left out. A command runs as
 * `bookrun run` types it ({@link toRunCommand}): an editor on a file the chapter shows writes that file.
 */
export function toGist(chapter: Chapter, config: Pick<BookConfig, 'setupGists' | 'gists' | 'defaultVariant'> & ConditionContext, options: GistOptions = {}): string {
  const included = options.plan ? new Set(options.plan.steps.filter((s) => s.included).map((s) => s.id)) : null;
  const hidden = toHiddenLines(chapter);
  const out: string[] = header(chapter, config, options);
  let section: string | null | undefined;
  let terminal = 1;
  let opened = false;
  let previous: Step | null = null;
  for (const step of chapter.steps) {
    const source = previous;
    previous = step;
    if (included && !included.has(step.id)) continue;
    if (step.section !== section) {
      section = step.section;
      if (section) out.push('', ...toBanner(section));
    }
    const above: string[] = [];
    if (step.terminal !== terminal) {
      if (step.terminal !== 1 && !opened) {
        above.push(TERMINAL_COMMENTS.open);
        opened = true;
      }
      above.push(step.terminal === 1 ? TERMINAL_COMMENTS.first : TERMINAL_COMMENTS.second);
      terminal = step.terminal;
    }
    above.push(...keptComments(chapter, config, hidden, step, source));
    if (step.condition && !included) above.push(toConditionComment(step.condition));
    // A file the chapter shows after an editor command is written as a run writes it (the editor stays a comment).
    if (step.edit) above.push(`# ${step.command.split('\n')[0]} (writes the content the chapter shows)`);
    out.push('', ...above, ...toRunCommand(step).split('\n'));
    if (step.retryWhile !== null) out.push('', `# Repeat if \`${step.retryWhile}\``);
  }
  return out.join('\n') + '\n';
}
