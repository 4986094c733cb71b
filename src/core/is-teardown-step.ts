import type { Heading, Step } from './model.ts';

/**
 * Whether a step belongs to the chapter's teardown: it is marked `# bookrun: teardown`, or one of the headings
 * it sits under (the nearest of each level from `##` down; the chapter's `#` title never counts, a chapter may
 * be called "Cleaning Up") matches one of `sections` (regular expressions, case-insensitive). Pure.
 */
export function isTeardownStep(step: Pick<Step, 'line' | 'annotations'>, headings: readonly Pick<Heading, 'depth' | 'text' | 'line'>[], sections: readonly string[]): boolean {
  if (step.annotations.teardown) return true;
  if (sections.length === 0) return false;
  // The headings above the step, each level's nearest one, dropping a deeper one once a shallower follows it.
  const enclosing: Array<Pick<Heading, 'depth' | 'text'>> = [];
  for (const heading of headings) {
    if (heading.line >= step.line) break;
    while (enclosing.length > 0 && enclosing[enclosing.length - 1]!.depth >= heading.depth) enclosing.pop();
    enclosing.push(heading);
  }
  const patterns = sections.map((source) => new RegExp(source, 'iu'));
  return enclosing.some((h) => h.depth >= 2 && patterns.some((p) => p.test(h.text.trim())));
}
