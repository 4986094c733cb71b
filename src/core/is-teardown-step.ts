import type { Heading, Step } from './model.ts';

/** The compiled patterns of each `sections` list (a book's, the same array for every step it plans). */
const compiled = new WeakMap<readonly string[], RegExp[]>();

function patternsOf(sections: readonly string[]): RegExp[] {
  let patterns = compiled.get(sections);
  if (!patterns) {
    patterns = sections.map((source) => new RegExp(source, 'iu'));
    compiled.set(sections, patterns);
  }
  return patterns;
}

/**
 * For each heading of a chapter (in order), whether the headings in force once it is read (the nearest of
 * each level, a deeper one dropped once a shallower follows it) include a teardown section: one from `##`
 * down matching one of `sections`. A step's answer is that of the last heading above it.
 */
function teardownAfterHeadings(headings: readonly Pick<Heading, 'depth' | 'text' | 'line'>[], sections: readonly string[]): boolean[] {
  const patterns = patternsOf(sections);
  const enclosing: Array<{ depth: number; teardown: boolean }> = [];
  return headings.map((heading) => {
    while (enclosing.length > 0 && enclosing[enclosing.length - 1]!.depth >= heading.depth) enclosing.pop();
    enclosing.push({ depth: heading.depth, teardown: heading.depth >= 2 && patterns.some((p) => p.test(heading.text.trim())) });
    return enclosing.some((h) => h.teardown);
  });
}

/** How many headings come before the first one at or below `line`: those a step on `line` sits under. */
function headingsAbove(headings: readonly Pick<Heading, 'line'>[], line: number): number {
  let n = 0;
  while (n < headings.length && headings[n]!.line < line) n++;
  return n;
}

/**
 * Whether a step belongs to the chapter's teardown: it is marked `# bookrun: teardown`, or one of the headings
 * it sits under (the nearest of each level from `##` down; the chapter's `#` title never counts, a chapter may
 * be called "Cleaning Up") matches one of `sections` (regular expressions, case-insensitive). Pure.
 */
export function isTeardownStep(step: Pick<Step, 'line' | 'annotations'>, headings: readonly Pick<Heading, 'depth' | 'text' | 'line'>[], sections: readonly string[]): boolean {
  return teardownSteps([step], headings, sections)[0]!;
}

/**
 * {@link isTeardownStep} for every step of a chapter at once: the headings are walked once, not once per
 * step (a 50 KB chapter has some 200 steps under 60 headings; planning a book is mostly this). Pure.
 */
export function teardownSteps(steps: readonly Pick<Step, 'line' | 'annotations'>[], headings: readonly Pick<Heading, 'depth' | 'text' | 'line'>[], sections: readonly string[]): boolean[] {
  const after = sections.length === 0 ? [] : teardownAfterHeadings(headings, sections);
  return steps.map((step) => {
    if (step.annotations.teardown) return true;
    if (sections.length === 0) return false;
    const above = headingsAbove(headings, step.line);
    return above > 0 && after[above - 1]!;
  });
}
