import { existsSync } from 'node:fs';
import path from 'node:path';
import { listVariants, resolveVariant } from '../../core/book-config.ts';
import type { Chapter, Plan, PlannedStep, Variant } from '../../core/model.ts';
import { planChapter } from '../../core/plan-chapter.ts';
import { openChapter } from '../../book/open-chapter.ts';
import { ChapterNotFoundError, readBook, type Book } from '../../book/read-book.ts';
import { readChapterView } from '../../book/read-chapter-view.ts';
import { listChapters } from '../../export/list-chapters.ts';
import { readChapters } from '../../export/read-chapters.ts';
import { UsageError } from '../errors.ts';
import { formatDiagnostic } from '../format-diagnostic.ts';
import { parseFlags } from '../parse-flags.ts';

const USAGE = 'usage: bookrun plan [FILE…] [--variant NAME | --variant dim=value,dim=value | --variant all] [--json] [--config FILE]';

/**
 * `bookrun plan`: the steps of a chapter for one variant, as a table or as the JSON contract. Without a FILE
 * every chapter of the book; `--variant all` plans every variant of the matrix. One chapter and one variant
 * print the plan contract with `--json`; more print `{ "version": 1, "plans": [...] }`.
 */
export default async function plan(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      variant: { type: 'string' },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    USAGE,
  );
  const missing = positionals.find((file) => !existsSync(path.resolve(file)));
  if (missing !== undefined) {
    // A missing chapter is often a typo beside a right variant: list them, as an unknown variant does.
    const book = await readBook({ config: values.config, near: missing });
    throw new ChapterNotFoundError(missing, undefined, `known variants: ${listVariants(book.config).map((v) => v.name).join(', ')}`);
  }
  let book: Book;
  let chapters: Chapter[] | null = null;
  if (positionals.length === 1) {
    const opened = await openChapter({ file: positionals[0]!, config: values.config });
    book = opened.book;
    chapters = [opened.chapter];
  } else book = await readBook({ config: values.config, near: positionals[0] });
  const listed = chapters ? [] : listChapters(book, positionals);
  if (!chapters && listed.length === 0) throw new UsageError(`the book has no chapters: list them under chapters in ${book.config.file}\n${USAGE}`);
  const spec = values.variant ?? book.config.defaultVariant;
  let variants: Variant[];
  if (spec.trim().toLowerCase() === 'all' && !listVariants(book.config).some((v) => v.name === 'all')) variants = listVariants(book.config);
  else {
    const lookup = resolveVariant(book.config, spec);
    if (!lookup.ok) throw new UsageError(lookup.message);
    variants = [lookup.variant];
  }
  const planned = (chapter: Chapter) => variants.map((variant) => planChapter(chapter, variant, book.config));
  const color = Boolean(process.stdout.isTTY);
  if (values.json) {
    chapters ??= (await readChapters(book, positionals)).map((r) => r.chapter);
    const plans = chapters.flatMap(planned);
    const out = plans.length === 1 ? plans[0] : { version: 1, plans };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const table = (chapter: Chapter) => planned(chapter).map((p) => formatPlan(p, color)).join('\n');
  if (chapters) {
    process.stdout.write(chapters.map(table).join('\n'));
    return 0;
  }
  // Each chapter's tables are kept in the chapter cache (a view, by the variants, the output form and the
  // whole book config): a chapter unchanged since the last plan is neither read from the cache of parses nor
  // planned again.
  const name = JSON.stringify({ view: 'plan-table', variants, color, config: book.config });
  const tables = await Promise.all(listed.map(({ file, shown }) => readChapterView(book, file, shown, `${name}\0${shown}`, (opened) => table(opened.chapter))));
  process.stdout.write(tables.join('\n'));
  return 0;
}

/** The widest the MARKS column grows before a step's marks get a line of their own. */
const MARKS_WIDTH = 34;

function marks(step: PlannedStep): string {
  const out: string[] = [];
  if (step.watch) out.push(step.annotations.until ? `watch until /${step.annotations.until}/` : 'watch');
  if (step.retryWhile) out.push(`retry-while "${step.retryWhile}"`);
  if (step.eventually) out.push('eventually');
  if (step.expect) out.push(`expect@${step.expect.line}${step.expect.source === 'pasted' ? '(pasted)' : ''}`);
  if (step.placeholders.length > 0) out.push(`placeholder ${step.placeholders.join(',')}`);
  if (step.annotations.skip) out.push('skip');
  if (step.edit) out.push(`writes ${step.edit.file}`);
  if (step.nestedShell) out.push(step.nestedShell.role === 'opens' ? 'opens nested shell' : 'in nested shell');
  if (step.condition) out.push(`if ${step.condition}`);
  if (step.teardown) out.push('teardown');
  return out.join(' ');
}

/** The human table: line, terminal, marks, first command line; excluded steps dimmed (on a TTY) or marked. */
export function formatPlan(plan: Plan, color: boolean): string {
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[22m` : s);
  const lines: string[] = [];
  const included = plan.steps.filter((s) => s.included).length;
  lines.push(`${plan.chapter.title || plan.chapter.file} — variant ${plan.variant.name} (${Object.entries(plan.variant.values).map(([k, v]) => `${k}=${v}`).join(', ')})`);
  lines.push(`${included} of ${plan.steps.length} steps included`);
  lines.push('');
  // The marks column is as wide as this plan's marks, up to MARKS_WIDTH; a longer mark keeps its whole
  // text and puts the command under it, at the command column.
  const stepMarks = plan.steps.map(marks);
  const width = Math.min(MARKS_WIDTH, Math.max('MARKS'.length, ...stepMarks.map((m) => m.length)));
  lines.push(`${'LINE'.padStart(5)}  T  ${'MARKS'.padEnd(width)}  COMMAND`);
  plan.steps.forEach((step, i) => {
    const first = step.command.split('\n')[0]!;
    const more = step.command.includes('\n') ? ' …' : '';
    const mark = stepMarks[i]!;
    const head = `${String(step.line).padStart(5)}  ${step.terminal}  `;
    const row = mark.length > width ? `${head}${mark}\n${' '.repeat(head.length + width + 2)}${first}${more}` : `${head}${mark.padEnd(width)}  ${first}${more}`;
    lines.push(step.included ? row : dim(color ? row : `${row}   [excluded]`));
  });
  if (plan.placeholders.length > 0) {
    lines.push('');
    lines.push(`placeholders: ${plan.placeholders.map((p) => `${p.name} (line ${p.line})`).join(', ')}`);
  }
  if (plan.diagnostics.length > 0) {
    lines.push('');
    for (const d of plan.diagnostics) lines.push(formatDiagnostic(plan.chapter.file, d));
  }
  return `${lines.join('\n')}\n`;
}
