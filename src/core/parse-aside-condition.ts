import type { Condition } from './model.ts';
import { parseCondition } from './parse-condition.ts';
import type { ParseContext } from './parse-context.ts';
import { reportUnknownCondition } from './report-unknown-condition.ts';

const ASIDE_CONDITION =
  /\bonly if\s+(?:you\s+are\s+|you're\s+|your\s+cluster\s+is\s+)?(\*\*not\*\*\s+|not\s+)?(?:using|running(?:\s+in)?|on|in|with)\s+(?:an?\s+|the\s+)?((?:\*\*[^*]+\*\*)(?:\s*(?:,|or|and)\s*\*\*[^*]+\*\*)*)/i;

/**
 * The condition an aside sentence puts on the commands that follow ("run the commands that follow only if you
 * are using **EKS**"): its bold tokens; null when the text says no such thing.
 */
export function parseAsideCondition(ctx: ParseContext, text: string, line: number, reportUnknown = true): Condition | null {
  const m = ASIDE_CONDITION.exec(text.replace(/\s+/g, ' '));
  if (!m) return null;
  const tokens = [...m[2]!.matchAll(/\*\*([^*]+)\*\*/g)].map((t) => t[1]!).join(' or ');
  const condition = parseCondition(`If ${m[1] ? 'not ' : ''}${tokens}`, line, ctx.config);
  if (!condition) return null;
  condition.source = m[0];
  if (reportUnknown) reportUnknownCondition(ctx, condition, line, 1);
  return condition;
}
