import { existsSync } from 'node:fs';
import path from 'node:path';
import { listVariants, resolveVariant } from '../../core/book-config.ts';
import type { Plan, PlannedStep } from '../../core/model.ts';
import { planChapter } from '../../core/plan-chapter.ts';
import { openChapter } from '../../book/open-chapter.ts';
import { ChapterNotFoundError, readBook } from '../../book/read-book.ts';
import { UsageError } from '../errors.ts';
import { formatDiagnostic } from '../format-diagnostic.ts';
import { parseFlags } from '../parse-flags.ts';

const USAGE = 'usage: bookrun plan FILE [--variant NAME | --variant dim=value,dim=value] [--json] [--config FILE]';

/** `bookrun plan`: the steps of a chapter for one variant, as a table or as the JSON contract. */
export default async function plan(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      variant: { type: 'string' },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one chapter file\n${USAGE}`);
  const file = positionals[0]!;
  if (!existsSync(path.resolve(file))) {
    // A missing chapter is often a typo beside a right variant: list them, as an unknown variant does.
    const book = await readBook({ config: values.config, near: file });
    throw new ChapterNotFoundError(file, undefined, `known variants: ${listVariants(book.config).map((v) => v.name).join(', ')}`);
  }
  const { book, chapter } = await openChapter({ file, config: values.config });
  const lookup = resolveVariant(book.config, values.variant ?? book.config.defaultVariant);
  if (!lookup.ok) throw new UsageError(lookup.message);
  const result = planChapter(chapter, lookup.variant, book.config);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(formatPlan(result, Boolean(process.stdout.isTTY)));
  return 0;
}

function marks(step: PlannedStep): string {
  const out: string[] = [];
  if (step.watch) out.push('watch');
  if (step.retryWhile) out.push(`retry-while "${step.retryWhile}"`);
  if (step.eventually) out.push('eventually');
  if (step.expect) out.push(`expect@${step.expect.line}${step.expect.source === 'pasted' ? '(pasted)' : ''}`);
  if (step.placeholders.length > 0) out.push(`placeholder ${step.placeholders.join(',')}`);
  if (step.annotations.skip) out.push('skip');
  if (step.edit) out.push(`writes ${step.edit.file}`);
  if (step.nestedShell) out.push(step.nestedShell.role === 'opens' ? 'opens nested shell' : 'in nested shell');
  if (step.condition) out.push(`if ${step.condition}`);
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
  lines.push(`${'LINE'.padStart(5)}  T  ${'MARKS'.padEnd(34)}  COMMAND`);
  for (const step of plan.steps) {
    const first = step.command.split('\n')[0]!;
    const more = step.command.includes('\n') ? ' …' : '';
    const row = `${String(step.line).padStart(5)}  ${step.terminal}  ${marks(step).padEnd(34)}  ${first}${more}`;
    lines.push(step.included ? row : dim(color ? row : `${row}   [excluded]`));
  }
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
