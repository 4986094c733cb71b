import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Where books keep their chapters, in the order `bookrun init` looks: Leanpub's layout, Docusaurus's, the root. */
const CHAPTER_FOLDERS = ['manuscript', 'docs', '.'];

const NOT_CHAPTERS = /^(readme|changelog|license|licence|contributing|code_of_conduct|security)\./i;

/**
 * The Markdown chapter files of a book that has no Book.txt: those of the first of `manuscript/`, `docs/`
 * and the root that holds any, in file-name order with numbers compared as numbers (`2-x.md` before
 * `10-y.md`). Keys relative to `root`. The repository's own README, CHANGELOG and the like are no chapters.
 */
export async function findChapterFiles(root: string): Promise<string[]> {
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  for (const folder of CHAPTER_FOLDERS) {
    let names: string[];
    try {
      names = await readdir(path.join(root, folder));
    } catch {
      continue;
    }
    const chapters = names.filter((n) => /\.(md|markdown)$/i.test(n) && !NOT_CHAPTERS.test(n)).sort(collator.compare);
    if (chapters.length > 0) return chapters.map((n) => (folder === '.' ? n : `${folder}/${n}`));
  }
  return [];
}
