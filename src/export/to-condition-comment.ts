import type { Condition } from '../core/model.ts';

/**
 * Writes a condition as a gist comment: `# If EKS`, `# If NOT EKS`, `# If EKS or AKS`, `# If serverless`.
 * Tokens keep the author's spelling when the source has it (`EKS`); otherwise short tokens are acronyms.
 */
export function toConditionComment(condition: Condition): string {
  const spelled = condition.tokens.map((token) => {
    const at = condition.source.toLowerCase().indexOf(token.toLowerCase());
    if (at >= 0) return condition.source.slice(at, at + token.length);
    return token.length <= 3 ? token.toUpperCase() : token;
  });
  return `# If ${condition.negate ? 'NOT ' : ''}${spelled.join(` ${condition.op} `)}`;
}
