/**
 * A Leanpub attribute list's text (what is between the braces of `{lang="bash",linenos=off}`,
 * `{format: bash}`, `{width=60%}`, `{#id}`) → lower-case keys and their values; `#id` becomes `id`.
 */
export function parseAttributeList(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z_-]+)\s*[=:]\s*(?:"([^"]*)"|'([^']*)'|([^,\s}]+))/g)) {
    values[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  const id = /#([A-Za-z][\w-]*)/.exec(text);
  if (id && !values.id) values.id = id[1]!;
  return values;
}

/** A whole line that is an attribute list (`{width=60%}`): its inside, or null. */
export function toAttributeLine(line: string): string | null {
  const m = /^\{\s*([^{}]*)\}\s*$/.exec(line);
  return m ? m[1]! : null;
}
