/**
 * Where the docs plugin looks for a book's chapters: the deepest folder holding all of them (relative to
 * the book root) and the chapter files relative to it, so `docs/local-canary.md` is served at `/local-canary`.
 */
export function toDocsLayout(chapters: string[]): { dir: string; include: string[] } {
  const dirs = chapters.map((c) => c.split('/').slice(0, -1));
  let common = dirs[0] ?? [];
  for (const d of dirs) {
    let i = 0;
    while (i < common.length && i < d.length && common[i] === d[i]) i++;
    common = common.slice(0, i);
  }
  const dir = common.join('/') || '.';
  const include = chapters.map((c) => c.split('/').slice(common.length).join('/'));
  return { dir, include: include.length > 0 ? include : ['__no_chapters__.md'] };
}
