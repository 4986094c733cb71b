/** An arrow between words: `pv -> pvc -> pod`, `client => service`, `a → b`. */
const ARROW = /\S\s+(?:-+>|=+>|→|<-+|⇒)\s+\S/;

/**
 * Whether a line inside a shell block is a schematic or a sentence, not a command: arrows between words
 * (`pv(persistent volume) -> pvc -> pod`), or several words with a parenthesised phrase and no shell syntax.
 * Callers set such lines aside (one diagnostic each) instead of failing the whole block.
 */
export function looksLikeProse(line: string): boolean {
  // Cheap tests first: this runs at the start of every command of every shell block.
  if (!/[>→⇒(]|<-/.test(line)) return false;
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return false;
  if (ARROW.test(text) && !/[|;&$`"'=]/.test(text.replace(ARROW, ' '))) return true;
  return /\w\([A-Za-z][\w ,'-]* [\w ,'-]*\)|\s\([a-z][\w ,'-]* [\w ,'-]*\)/.test(text) && !/[|;&$`"=<>{}\\]/.test(text) && /\S+\s+\S+\s+\S/.test(text);
}
