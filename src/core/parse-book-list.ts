/** One file named in a Leanpub `Book.txt` / `Sample.txt`: its path as written (relative to the list's folder) and its line. */
export interface BookListEntry {
  file: string;
  line: number;
}

/** A line of a list that Leanpub would not read as a file name, with what to write instead. */
export interface BookListProblem {
  line: number;
  message: string;
}

/** What {@link parseBookList} finds in a `Book.txt` or `Sample.txt`. */
export interface ParsedBookList {
  entries: BookListEntry[];
  problems: BookListProblem[];
}

const DIRECTIVE = /^\{(frontmatter|mainmatter|backmatter)\}$/;

/**
 * Reads a Leanpub `Book.txt` (or `Sample.txt`) as Leanpub does: one file a line, relative to the list's own
 * folder (`manuscript/`), in book order; blank lines skipped; a line starting with `#` is a comment. Matter
 * directives (`{frontmatter}`) are not allowed in the list itself (Leanpub wants them in a file of their own,
 * such as `frontmatter.txt`), nor are paths that leave the folder: both are problems, as is a file listed twice.
 */
export function parseBookList(text: string): ParsedBookList {
  const entries: BookListEntry[] = [];
  const problems: BookListProblem[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    // A byte order mark is no part of the first file name.
    const file = (i === 0 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (file === '' || file.startsWith('#')) return;
    const directive = DIRECTIVE.exec(file);
    if (directive) {
      problems.push({ line, message: `{${directive[1]}} belongs in a file of its own, not in the list: write it into ${directive[1]}.txt and list that file here (Leanpub ignores directives in Book.txt)` });
      return;
    }
    const parts = file.split(/[\\/]/);
    if (file.startsWith('/') || /^[A-Za-z]:/.test(file) || parts.includes('..')) {
      problems.push({ line, message: `${file}: files of the book are named relative to the list's folder and inside it: move the file into the manuscript folder and list it by its name there` });
      return;
    }
    const first = seen.get(file);
    if (first !== undefined) {
      problems.push({ line, message: `${file} is listed twice (first at line ${first}): keep one line` });
      return;
    }
    seen.set(file, line);
    entries.push({ file: parts.filter((p) => p !== '.' && p !== '').join('/'), line });
  });
  return { entries, problems };
}

/** The matter directive a whole file consists of (`frontmatter.txt` holding `{frontmatter}`), or null. */
export function toMatterDirective(text: string): 'front' | 'main' | 'back' | null {
  const m = DIRECTIVE.exec(text.replace(/^\uFEFF/, '').trim());
  return m ? (m[1]!.replace('matter', '') as 'front' | 'main' | 'back') : null;
}

/**
 * The matter directive on a chapter's first line (Leanpub also takes `{mainmatter}` at the top of the first
 * file of a matter, followed by a blank line), or null.
 */
export function toLeadingMatterDirective(text: string): 'front' | 'main' | 'back' | null {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return toMatterDirective(first);
}
