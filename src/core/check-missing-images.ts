import type { Chapter, Diagnostic } from './model.ts';

/**
 * The `image-missing` rule: every image the chapter's prose shows that is no remote URL and does not exist
 * (`exists` answers for a reference as written; the caller resolves it against the chapter's folder, see
 * `toImagePath`). Kept out of the parse, so a parse depends on the chapter's bytes only (and can be cached);
 * the one way to read a chapter (`readBookChapter`) adds these findings to its diagnostics.
 */
export function checkMissingImages(chapter: Pick<Chapter, 'images'>, exists: (ref: string) => boolean): Diagnostic[] {
  const found: Diagnostic[] = [];
  const seen = new Map<string, boolean>();
  for (const image of chapter.images) {
    if (image.remote) continue;
    let there = seen.get(image.ref);
    if (there === undefined) seen.set(image.ref, (there = exists(image.ref)));
    if (there) continue;
    found.push({
      line: image.line,
      column: image.column,
      rule: 'image-missing',
      severity: 'error',
      message: `image ${image.ref} does not exist: add it (under images/ beside the chapter) or fix the path`,
    });
  }
  return found;
}
