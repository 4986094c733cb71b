import type { Heading } from './model.ts';

/** A lookup from a line to the title of the `##` section it sits in (null before the first; the `## TODO` section is no section). */
export function toSectionLookup(headings: Heading[]): (line: number) => string | null {
  const sections = headings.filter((h) => h.depth === 2 && !/^todo$/i.test(h.text));
  return (line) => {
    // Binary search for the last section heading above the line.
    let lo = 0;
    let hi = sections.length - 1;
    let found: string | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sections[mid]!.line < line) {
        found = sections[mid]!.text;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}
