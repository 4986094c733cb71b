/**
 * A watch's `until=/…/` as the one regular expression every runner uses (the CLI, the terminal server, the
 * page): multi-line (`^` and `$` match at line ends, as authors expect of output), tested on plain text.
 * Null when the source is not a valid pattern. Pure.
 */
export function toUntilPattern(source: string): RegExp | null {
  try {
    return new RegExp(source, 'm');
  } catch {
    return null;
  }
}
