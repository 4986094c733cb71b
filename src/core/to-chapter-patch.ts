import { createTwoFilesPatch } from 'diff';

/**
 * A unified diff of a chapter, as `git apply` (and `patch -p1`) take it: `diff --git a/FILE b/FILE`, then
 * `--- a/FILE` / `+++ b/FILE` and hunks with 3 lines of context. `file` is the path the patch names, relative
 * to where it will be applied, with forward slashes. Empty when nothing changed. Pure.
 */
export function toChapterPatch(file: string, before: string, after: string): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
  // The library starts with a `====` rule line: git reads the `diff --git` header instead.
  const body = patch.split('\n').slice(1).join('\n');
  return `diff --git a/${file} b/${file}\n${body}`;
}
