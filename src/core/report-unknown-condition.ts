import type { Condition } from './model.ts';
import { report, type ParseContext } from './parse-context.ts';

/** Reports a condition naming a token that is not a value of the matrix, at the book's `conditions.unknown` severity. */
export function reportUnknownCondition(ctx: ParseContext, condition: Condition, line: number, column: number): void {
  const severity = ctx.config.unknownConditions.severity;
  if (condition.unknown.length === 0 || severity === 'off') return;
  const values = ctx.config.dimensions.map((d) => `${d.name}: ${d.values.join(', ')}`).join('; ');
  report(
    ctx,
    line,
    column,
    'unknown-condition',
    severity,
    `condition "${condition.source}" names ${condition.unknown.map((u) => `"${u}"`).join(', ')}, which is not a variant value (${values}); ${ctx.config.unknownConditions.include ? 'the step stays in every plan' : 'the step is left out of every plan'}; add an alias under conditions.aliases in bookrun.yaml if it means one`,
  );
}
