import type { HeadingCase } from '../core/book-config.ts';

/** What {@link checkHeadingCase} found off in a heading: the words, and the heading as the style writes it. */
export interface HeadingCaseFinding {
  expected: string;
  words: string[];
}

/**
 * Chicago's minor words (lower case unless first or last): articles, coordinating conjunctions, prepositions
 * and the `to` of infinitives. Particles that are usually adverbs in headings (`Setting Up`, `Rolling Back`,
 * `Scaling Out`) stay capitalised, as Chicago wants for prepositions used adverbially.
 */
const CHICAGO_MINOR = new Set([
  'a', 'an', 'the', 'and', 'but', 'or', 'nor', 'for', 'so', 'yet', 'as', 'at', 'by', 'from', 'in', 'into', 'of', 'on', 'onto',
  'per', 'than', 'to', 'upon', 'via', 'vs', 'versus', 'with', 'within', 'without', 'about', 'above', 'across', 'after',
  'against', 'along', 'among', 'around', 'before', 'behind', 'below', 'beneath', 'beside', 'between', 'beyond', 'during',
  'except', 'inside', 'like', 'near', 'through', 'throughout', 'toward', 'towards', 'under', 'until', 'unlike', 'onto', 'if',
]);

const EDGE = /^[\[("'“‘]+|[\])"'”’:;,.!?]+$/g;

/**
 * The heading's words as readers see them, with where each starts: `{#id}`, code spans, emphasised names and
 * link targets are blanked (same length, so positions stay those of `text`).
 */
function visibleWords(text: string): Array<{ word: string; at: number }> {
  const blank = (m: string) => ' '.repeat(m.length);
  const masked = text
    .replace(/\s*\{#[^}]*\}\s*$/, blank)
    .replace(/`[^`]*`/g, blank)
    .replace(/(\*{1,2}|_{1,2})[^*_]+\1/g, blank)
    .replace(/\]\([^)]*\)/g, (m) => `]${blank(m.slice(1))}`);
  return [...masked.matchAll(/\S+/g)].map((m) => {
    const lead = /^[\[("'“‘]*/.exec(m[0])![0].length;
    return { word: m[0].replace(EDGE, ''), at: m.index + lead };
  });
}

const upper = (word: string) => word[0]!.toLocaleUpperCase() + word.slice(1);
const lower = (word: string) => word[0]!.toLocaleLowerCase() + word.slice(1);

/**
 * Checks a heading's capitalisation against the book's style and returns what is off (null when fine).
 *
 * - `every-word`: the style of this genre's books capitalises every word, minor words included ("Creating A
 *   Kubernetes Cluster With Jenkins X And Importing The Application"), so "Visualizing the Rollout" is off.
 * - `chicago`: Chicago title case: every word capitalised except articles, coordinating conjunctions and
 *   prepositions ("Visualizing the Rollout"), which are capitalised only as the first or last word or after a colon.
 * - `sentence`: only the first word must start with a capital (later capitals may be names).
 * - `off`: nothing is checked.
 *
 * Words that are code or names spelled on purpose are left alone: anything in backticks or emphasis
 * (`*go-demo-6*`), words with digits, dots, slashes, underscores or `@`, words that do not start with a letter,
 * and the command names in `keep` (lower case: `ps`, `kill`, `kubectl`), which keep their case.
 */
export function checkHeadingCase(text: string, style: HeadingCase, keep: ReadonlySet<string> = new Set()): HeadingCaseFinding | null {
  if (style === 'off') return null;
  const words = visibleWords(text);
  const changes: Array<{ at: number; word: string; want: string }> = [];
  words.forEach(({ word, at }, index) => {
    if (!/^\p{L}/u.test(word) || /[\d./_@\\]/.test(word) || keep.has(word.toLowerCase())) return;
    let want = word;
    if (style === 'sentence') {
      if (index === 0) want = upper(word);
    } else if (style === 'every-word') {
      want = upper(word);
    } else {
      // First or last of the heading (a code span or name after a word makes it not last), or after a colon.
      const before = text.slice(0, at).replace(/[\s\["'(“‘]+$/, '');
      const after = text.slice(at + word.length).replace(/\s*\{#[^}]*\}\s*$/, '').replace(/^[\])"'”’:;,.!?\s]+/, '');
      const edge = before === '' || after === '' || before.endsWith(':');
      want = !edge && CHICAGO_MINOR.has(word.toLowerCase()) ? lower(word) : upper(word);
    }
    if (want !== word) changes.push({ at, word, want });
  });
  if (changes.length === 0) return null;
  let expected = text;
  for (const change of [...changes].reverse()) expected = expected.slice(0, change.at) + change.want + expected.slice(change.at + change.word.length);
  return { expected, words: changes.map((c) => c.word) };
}
