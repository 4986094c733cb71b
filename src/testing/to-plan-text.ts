import type { Chapter, Plan, PlannedStep } from '../core/model.ts';

function marks(step: PlannedStep): string[] {
  const out: string[] = [`t${step.terminal}`];
  if (!step.included) out.push('excluded');
  if (step.condition) out.push(`if ${step.condition}${step.when?.unknown.length ? ' (unknown)' : ''}`);
  if (step.watch) out.push(`watch:${step.watchReason}`);
  if (step.retryWhile) out.push(`retry-while "${step.retryWhile}"`);
  if (step.eventually) out.push('eventually');
  if (step.placeholders.length > 0) out.push(`assigns ${step.placeholders.join(',')}`);
  if (step.uses.length > 0) out.push(`uses ${step.uses.join(',')}`);
  if (Object.keys(step.annotations).length > 0) out.push(`annotations ${JSON.stringify(step.annotations)}`);
  if (step.nestedShell) out.push(`nested-shell:${step.nestedShell.role} ${step.nestedShell.via} (${step.nestedShell.opener})`);
  return out;
}

function quote(text: string): string[] {
  return text.split('\n').map((l) => `    | ${l}`.trimEnd());
}

/**
 * A plan as text a person can check line by line: every step with its lines, terminal and marks, its command,
 * its expected output (where it comes from) or the file it writes, then what every other block is, then the
 * diagnostics. Used for the parser corpus's golden files.
 */
export function toPlanText(chapter: Chapter, plan: Plan): string {
  const out: string[] = [`# ${plan.chapter.title} (${plan.chapter.file}), variant ${plan.variant.name}`, ''];
  for (const step of plan.steps) {
    out.push(`${step.id} lines ${step.line}-${step.endLine} ${marks(step).join(' ')}`);
    if (step.comments.length > 0) out.push(...step.comments.map((c) => `  # ${c}`));
    out.push(...quote(step.command));
    if (step.expect) {
      const extra = [step.expect.similarity !== undefined ? `similarity ${step.expect.similarity}` : '', step.expect.pattern !== undefined ? `pattern /${step.expect.pattern}/` : ''].filter(Boolean).join(' ');
      out.push(`  expect (${step.expect.source}${step.expect.lang ? ` ${step.expect.lang}` : ''}, line ${step.expect.line}${extra ? `, ${extra}` : ''}):`, ...quote(step.expect.text));
    }
    if (step.edit) out.push(`  writes ${step.edit.file} (instead of ${step.edit.editor}; content at line ${step.edit.line}):`, ...quote(step.edit.text));
  }
  out.push('', 'blocks:');
  for (const block of chapter.blocks) {
    const role = block.shell
      ? block.transcript
        ? 'transcript'
        : 'shell'
      : block.outputOf
        ? `output of ${block.outputOf}`
        : block.fileOf
          ? `file content of ${block.fileOf}`
          : 'content';
    const tool = block.tool ? ` [${block.tool.tool}${block.tool.test ? ` test "${block.tool.test}"` : ''}${block.tool.role ? ` ${block.tool.role}` : ''}]` : '';
    out.push(`  lines ${block.line}-${block.endLine} ${block.lang ?? '(no language)'}: ${role}${tool}`);
  }
  out.push('', 'diagnostics:');
  for (const d of plan.diagnostics) out.push(`  ${d.line}:${d.column} ${d.severity} [${d.rule}] ${d.message}`);
  if (plan.diagnostics.length === 0) out.push('  (none)');
  return `${out.join('\n')}\n`;
}
