import { createHash } from 'node:crypto';
import { lstat, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BOOKRUN_DIR, ensureBookrunFolder } from './ensure-bookrun-folder.ts';
import { makeFolders } from './make-folders.ts';
import { openOutputFolder, type OutputFolder } from './open-output-folder.ts';
import { OutputRefusedError } from './output-refused-error.ts';
import { readBookSources, realPath, type BookSources } from './read-book-sources.ts';
import type { Book } from './read-book.ts';
import { tempFileBeside, writeFileAtomic } from './write-file-atomic.ts';

/**
 * The one guard every bookrun writer goes through (export, gists, reports, session state, the site build):
 * nothing of the author's is lost. It never writes a chapter, Book.txt, Sample.txt or the book config, nor
 * anything inside a source folder; it refuses an output folder that is, holds or sits in one; inside an
 * output folder it overwrites only what the folder's manifest says bookrun wrote; every write is atomic.
 */
export interface WriteGuard {
  readonly sources: BookSources;
  /**
   * Opens an output folder after checking it may hold bookrun's files. `flag` is what the user changes to
   * write elsewhere (`--out`, `reportsDir in bookrun.yaml`), named in every refusal. `private`: folders
   * 0700, files 0600. A folder inside `.bookrun/` makes `.bookrun/` first (with its `.gitignore`), and
   * what an older bookrun left there is taken over (see `openOutputFolder`'s `adopt`).
   */
  openFolder(dir: string, options: { flag: string; private?: boolean }): Promise<OutputFolder>;
  /**
   * Checks, before anything runs, that the file a flag names (`--report FILE`) can be written: not a source,
   * not a folder or a device, its folder made (or makeable) and writable. A file named by a flag may be
   * overwritten. Returns its absolute path.
   */
  prepareNamedFile(file: string, flag: string): Promise<string>;
  /** Writes a file a flag named, atomically (after {@link prepareNamedFile}). */
  writeNamedFile(file: string, data: string | Uint8Array, flag: string): Promise<void>;
  /**
   * The one way bookrun writes a chapter, and only because a flag says so (`bookrun run --update-expected
   * --write`): `file` must be a chapter and still hold exactly the bytes it held when the command read them
   * (`sha256`), else nothing is written ({@link OutputRefusedError}: the author edited it meanwhile). Atomic,
   * keeping the file's mode.
   */
  replaceChapter(file: string, change: { sha256: string; text: string; flag: string }): Promise<void>;
}

function inside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function defaultShow(file: string): string {
  const rel = path.relative(process.cwd(), file);
  if (rel === '') return '.';
  return !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Why writing `file` would touch the author's sources, or null. */
function sourceProblem(sources: BookSources, file: string, show: (f: string) => string): string | null {
  const real = realPath(file);
  const what = sources.files.get(real);
  if (what) return `is ${what}`;
  for (const folder of sources.folders) {
    if (folder !== sources.root && inside(real, folder)) return `is inside ${show(folder)}, a source folder of the book (it holds chapters)`;
  }
  return null;
}

/** Why `dir` may not be an output folder, or null. */
function folderProblem(sources: BookSources, dir: string, show: (f: string) => string): string | null {
  const real = realPath(dir);
  for (const folder of sources.folders) {
    if (real === folder) return 'is a source folder of the book (it holds chapters)';
    if (folder !== sources.root && inside(real, folder)) return `is inside ${show(folder)}, a source folder of the book (it holds chapters)`;
    // The site build empties its output folder: a folder that holds the sources can never be one.
    if (inside(folder, real)) return `holds ${show(folder)}, a source folder of the book`;
  }
  for (const file of sources.files.keys()) if (path.dirname(file) === real) return `holds ${show(file)}, ${sources.files.get(file)}`;
  return null;
}

function explain(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR') return 'a part of its path is a file, not a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOENT') return 'no file can be created there';
  return (error as Error).message;
}

/** The write guard of `book`; `extraChapters` are chapter files a command was given beyond bookrun.yaml's. */
export function createWriteGuard(book: Book, options: { extraChapters?: string[]; show?: (file: string) => string } = {}): WriteGuard {
  const sources = readBookSources(book, options.extraChapters);
  const show = options.show ?? defaultShow;
  return {
    sources,
    async openFolder(dir, { flag, private: isPrivate }) {
      const absolute = path.resolve(dir);
      const problem = folderProblem(sources, absolute, show);
      if (problem) throw new OutputRefusedError(show(absolute), `${problem}: bookrun never writes there; pass ${flag} another folder`);
      const own = inside(realPath(absolute), realPath(path.join(book.root, BOOKRUN_DIR)));
      if (own) await ensureBookrunFolder(book.root);
      return openOutputFolder(absolute, { show, private: isPrivate, adopt: own, instead: `move it away or delete it if bookrun may replace it, or pass ${flag} another folder` });
    },
    async prepareNamedFile(file, flag) {
      const absolute = path.resolve(file);
      const shown = show(absolute);
      const problem = sourceProblem(sources, absolute, show);
      if (problem) throw new OutputRefusedError(shown, `${problem}: bookrun never writes over the book's sources; pass ${flag} another file`);
      try {
        const found = await lstat(absolute);
        if (found.isDirectory()) throw new OutputRefusedError(shown, `is a folder: pass ${flag} a file name (such as ${path.join(file, flag === '--junit' ? 'junit.xml' : 'report.json')})`);
        if (!found.isFile()) throw new OutputRefusedError(shown, `is not a regular file (a device, pipe or socket): pass ${flag} a file in a folder you can write`);
      } catch (error) {
        if (error instanceof OutputRefusedError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') throw new OutputRefusedError(shown, `cannot be written (${explain(error)}): pass ${flag} a file in a folder you can write`);
      }
      // The write is a temporary file renamed over the target: try exactly that, now, before anything runs.
      try {
        await makeFolders(path.dirname(absolute));
        const probe = tempFileBeside(absolute);
        await (await open(probe, 'wx', 0o600)).close();
        await rm(probe, { force: true });
      } catch (error) {
        throw new OutputRefusedError(shown, `cannot be written (${explain(error)}): pass ${flag} a file in a folder you can write`);
      }
      return absolute;
    },
    async writeNamedFile(file, data, flag) {
      const absolute = path.resolve(file);
      const problem = sourceProblem(sources, absolute, show);
      if (problem) throw new OutputRefusedError(show(absolute), `${problem}: bookrun never writes over the book's sources; pass ${flag} another file`);
      await makeFolders(path.dirname(absolute));
      await writeFileAtomic(absolute, data);
    },
    async replaceChapter(file, { sha256, text, flag }) {
      const absolute = path.resolve(file);
      const real = realPath(absolute);
      if (sources.files.get(real) !== 'a chapter of the book') throw new OutputRefusedError(show(absolute), `is not a chapter: ${flag} rewrites only the chapter it ran`);
      const now = createHash('sha256').update(await readFile(real)).digest('hex');
      if (now !== sha256) throw new OutputRefusedError(show(absolute), `changed since the run began: not written (${flag}); apply the diff printed above, or run again`);
      const mode = (await stat(real)).mode & 0o7777;
      await writeFileAtomic(real, text, { mode });
    },
  };
}
