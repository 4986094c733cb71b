import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Book } from './read-book.ts';

/** What no bookrun writer may touch: the author's files and the folders holding them (real paths). */
export interface BookSources {
  /** The book root (the config's folder). */
  root: string;
  /** Chapters, matter files, the book config, and Leanpub's Book.txt / Sample.txt. */
  files: Map<string, string>;
  /**
   * Folders holding chapters, and `manuscript/` of a book in Leanpub's layout: nothing is written inside
   * them. The book root itself may hold chapters; then only its files above are protected, since bookrun's
   * own folders (`.bookrun/`, `gists/`, `publish/`) live there.
   */
  folders: string[];
}

/** `file` with symlinks resolved as far as it exists (a file not written yet resolves through its folder). */
export function realPath(file: string): string {
  const absolute = path.resolve(file);
  const rest: string[] = [];
  let at = absolute;
  for (;;) {
    try {
      return path.join(realpathSync(at), ...rest);
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return absolute;
      rest.unshift(path.basename(at));
      at = parent;
    }
  }
}

/**
 * The book's sources: every chapter of bookrun.yaml (and `extraChapters`, the files a command was given),
 * the Leanpub matter files, bookrun.yaml itself, and `manuscript/` with its Book.txt and Sample.txt when
 * the book uses Leanpub's layout.
 */
export function readBookSources(book: Book, extraChapters: string[] = []): BookSources {
  const root = realPath(book.root);
  const files = new Map<string, string>();
  const folders = new Set<string>();
  const chapters = [...book.config.chapters, ...book.config.leanpub.frontmatter, ...book.config.leanpub.backmatter].map((key) => path.resolve(book.root, key));
  for (const file of [...chapters, ...extraChapters.map((f) => path.resolve(f))]) {
    const real = realPath(file);
    files.set(real, 'a chapter of the book');
    folders.add(path.dirname(real));
  }
  files.set(realPath(book.configFile), 'the book config');
  const manuscript = path.join(book.root, 'manuscript');
  if (existsSync(path.join(manuscript, 'Book.txt'))) folders.add(realPath(manuscript));
  for (const folder of [root, ...folders]) {
    for (const name of ['Book.txt', 'Sample.txt']) {
      const file = path.join(folder, name);
      if (existsSync(file)) files.set(realPath(file), `the book's ${name}`);
    }
  }
  return { root, files, folders: [...folders] };
}
