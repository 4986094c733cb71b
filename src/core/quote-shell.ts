/**
 * bash single-quoting, the one copy: every command bookrun builds (a placeholder value, a path in a
 * setup line, a CI download) quotes through here. Inside single quotes bash treats every character as
 * itself; a `'` is written as `'\''` (close, escaped quote, reopen). Quoting makes text one word for bash;
 * it cannot stop a control character from acting as a key in the terminal: that is {@link checkValue}'s job.
 */
export function quoteShell(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Words bash reads as themselves: no quotes, globs, expansions, separators or spaces. */
const BARE = /^[A-Za-z0-9_.,:/@%+=-]+$/;

/** Like {@link quoteShell}, but leaves harmless words bare (`1.2.3`, `eu-west-1`), as an author would write them. */
export function quoteShellValue(text: string): string {
  return BARE.test(text) ? text : quoteShell(text);
}
