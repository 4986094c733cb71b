import type { Chapter } from './model.ts';

/** Adds the crosslink ids a chapter defines (`chapter.ids`, found by the parser) to `into`: the ids of a book or an export. */
export function toCrosslinkIds(chapter: Pick<Chapter, 'ids'>, into: Set<string> = new Set()): Set<string> {
  for (const id of chapter.ids) into.add(id);
  return into;
}
