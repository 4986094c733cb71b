import type { BookConfig } from './book-config.ts';
import type { Condition, Variant } from './model.ts';

/** The part of the book config conditions are read against. */
export type ConditionContext = Pick<BookConfig, 'dimensions' | 'aliases' | 'unknownConditions'>;

/** Words that may surround a dimension value in a condition without changing it (`# If static Jenkins X`). */
const FILLER = new Set([
  'a', 'an', 'the', 'you', 'are', "you're", 'using', 'use', 'running', 'run', 'on', 'in', 'with', 'cluster', 'clusters',
  'jenkins', 'x', 'jx', 'flavor', 'flavour', 'mode', 'is', 'your', 'it', 'is', 'installation', 'platform', 'k8s',
]);

const CONDITION_RE = /^(?:only\s+)?if\s+(.+)$/i;
/** Who a condition is about, before what it says: `If you are on a Mac`, `If your cluster is EKS`. */
const SUBJECT = /^(?:you\s+are|you're|you\s+use|your\s+cluster\s+is|it\s+is|it's|we\s+are|we're)\s+/i;
/** Verbs that make `If …` a sentence: `If could be …`, `If the output is empty`, `If there are no other ELBs`. */
const SENTENCE_VERB = /\b(?:could|would|should|can|cannot|may|might|must|will|shall|is|are|was|were|be|been|has|have|had|do|does|did|\w+n't)\b/i;

/**
 * Whether the text after `If` is a sentence rather than a condition on the reader's setup: code (backticks,
 * `$`, `=`, parentheses, quotes), a verb phrase, or more than four words. Only asked when some token is not a
 * value of the matrix: `# If EKS is used` still means EKS.
 */
function isSentence(rest: string): boolean {
  const said = rest.replace(SUBJECT, '');
  return /[`$=()"]/.test(said) || SENTENCE_VERB.test(said) || said.split(/\s+/).filter(Boolean).length > 4;
}

function normaliseToken(raw: string): string {
  return raw
    .replace(/[*_`"']/g, '')
    .replace(/[.:;!?]+$/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
}

function resolveToken(token: string, ctx: ConditionContext): string | null {
  const values = new Set(ctx.dimensions.flatMap((d) => d.values));
  if (values.has(token)) return token;
  if (ctx.aliases[token]) return ctx.aliases[token];
  const words = token.split(' ');
  const meaningful = words.filter((w) => !FILLER.has(w));
  if (meaningful.length === 1) {
    const word = meaningful[0]!;
    if (values.has(word)) return word;
    if (ctx.aliases[word]) return ctx.aliases[word];
  }
  return null;
}

/**
 * Reads a condition from the text after `#` (`If not EKS`, `Only if serverless`, `If EKS or AKS`),
 * or from an aside sentence's bold tokens. Returns null when the text is not a condition at all, including a
 * sentence that starts with "If" (`# If could be \`jx upgrade addon jx-prow\``): that stays a comment.
 */
export function parseCondition(text: string, line: number, ctx: ConditionContext): Condition | null {
  const match = CONDITION_RE.exec(text.trim());
  if (!match) return null;
  let rest = match[1]!.trim().replace(/[.:]+$/, '');
  let negate = false;
  const notMatch = /^(?:you\s+are\s+|you're\s+)?(?:\*\*)?not(?:\*\*)?\s+/i.exec(rest);
  if (notMatch) {
    negate = true;
    rest = rest.slice(notMatch[0].length);
  }
  const op: 'or' | 'and' = /\s+and\s+/i.test(rest) && !/\s+or\s+/i.test(rest) ? 'and' : 'or';
  const parts = rest
    .split(op === 'and' ? /\s+and\s+/i : /\s+or\s+|\s*,\s*|\s*\/\s*/i)
    .map(normaliseToken)
    .filter((t) => t.length > 0);
  if (parts.length === 0) return null;
  const tokens: string[] = [];
  const unknown: string[] = [];
  for (const part of parts) {
    const resolved = resolveToken(part, ctx);
    if (resolved) tokens.push(resolved);
    else {
      tokens.push(part);
      unknown.push(part);
    }
  }
  if (unknown.length > 0 && isSentence(rest)) return null;
  return {
    source: text.trim(),
    line,
    negate,
    op,
    tokens,
    unknown,
    text: `${negate ? 'not ' : ''}${tokens.join(` ${op} `)}`,
  };
}

/**
 * Whether a condition holds for a variant. Unknown tokens (not in the matrix) are left to the reader:
 * a condition made only of unknown tokens follows the book's `conditions.unknown.include` policy.
 */
export function conditionHolds(condition: Condition | null, variant: Variant, ctx: Pick<BookConfig, 'unknownConditions'>): boolean {
  if (!condition) return true;
  const known = condition.tokens.filter((t) => !condition.unknown.includes(t));
  if (known.length === 0) return ctx.unknownConditions.include;
  const values = new Set(Object.values(variant.values));
  const match = condition.op === 'or' ? known.some((t) => values.has(t)) : known.every((t) => values.has(t));
  return condition.negate ? !match : match;
}
