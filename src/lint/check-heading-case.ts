/**
 * Checks a heading's capitalisation against the book's style and returns what is off (empty when fine).
 *
 * `title`: the style of this genre's books capitalises every word, minor words included
 * ("Creating A Kubernetes Cluster With Jenkins X And Importing The Application"), so "Visualizing the
 * Rollout" is off. `sentence`: only the first word must start with a capital. Words that are code or
 * names spelled on purpose are left alone: anything in backticks or emphasis (`*go-demo-6*`), words with
 * digits, dots, slashes, underscores or `@`, and words that do not start with a letter.
 */
export function checkHeadingCase(text: string, style: 'title' | 'sentence' | 'off'): { expected: string; words: string[] } | null {
  if (style === 'off') return null;
  // Drop `{#id}`, code spans, emphasised names and link targets before looking at words.
  const visible = text
    .replace(/\s*\{#[^}]*\}\s*$/, '')
    .replace(/`[^`]*`/g, ' ')
    .replace(/(\*{1,2}|_{1,2})[^*_]+\1/g, ' ')
    .replace(/\]\([^)]*\)/g, ']');
  const words = visible.split(/\s+/).filter((w) => w.length > 0);
  const off: string[] = [];
  words.forEach((raw, index) => {
    const word = raw.replace(/^[\[("'“‘]+|[\])"'”’:;,.!?]+$/g, '');
    if (!/^\p{L}/u.test(word) || /[\d./_@\\]/.test(word)) return;
    if (style === 'sentence' && index > 0) return;
    if (word[0] !== word[0]!.toLocaleUpperCase()) off.push(word);
  });
  if (off.length === 0) return null;
  const expected = text.replace(/(^|[\s("“‘[])(\p{Ll})/gu, (match, before: string, letter: string, offset: number) => {
    const rest = text.slice(offset + before.length);
    const word = rest.split(/\s/)[0] ?? '';
    return off.includes(word.replace(/^[\[("'“‘]+|[\])"'”’:;,.!?]+$/g, '')) ? before + letter.toLocaleUpperCase() : match;
  });
  return { expected, words: off };
}
