import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deriveStatus, type ChapterEvidence, type GistEvidence } from '../core/derive-status.ts';
import { chapterGistName } from '../core/gist-links.ts';
import type { Chapter, Diagnostic } from '../core/model.ts';
import type { BookStatus } from '../core/status-model.ts';
import { chapterKey, readBook, type Book } from '../book/read-book.ts';
import { readBookChapter } from '../book/read-book-chapter.ts';
import { MANIFEST_NAME } from '../book/open-output-folder.ts';
import { checkGistDrift } from '../core/check-gist-drift.ts';
import { parseGistCommands } from '../core/parse-gist-commands.ts';
import { toGist } from '../export/to-gist.ts';
import { checkChapter } from '../lint/check-chapter.ts';
import { readReports } from './read-reports.ts';
import { readDiagramEvidence } from '../diagrams/read-diagram-evidence.ts';
import { readBlogEvidence } from '../export/read-blog-evidence.ts';

/** Options of {@link readStatus}. */
export interface ReadStatusOptions {
  /** Where to look for bookrun.yaml (upwards); default the current directory. */
  cwd?: string;
  /** `--config FILE`. */
  config?: string;
  /** `--reports DIR` (relative to `cwd`); default the book's `reportsDir`, relative to the book root. */
  reports?: string;
  /** The committed gists folder, relative to the book root (default the book's `gists.dir`, `gists`). */
  gistsDir?: string;
}

/** sha256 of a chapter's text, as `bookrun run` records it in `chapter.sha256` (the one `readBookChapter` gives). */
export function chapterSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

async function gistEvidence(book: Book, chapter: Chapter, gistsDir: string, ours: Set<string>): Promise<GistEvidence> {
  const name = chapterGistName(chapter.file);
  const shown = path.posix.join(gistsDir.split(path.sep).join('/'), name);
  let committed: string;
  try {
    committed = await readFile(path.resolve(book.root, gistsDir, name), 'utf8');
  } catch {
    return { kind: 'missing', file: shown };
  }
  const generated = toGist(chapter, book.config, { displayPath: chapter.file });
  if (committed === generated) return { kind: 'match', file: shown };
  // An author's own published gist (not one bookrun wrote) is judged command by command, as `gists --check` does.
  const { shSyntaxParser } = await import('../book/sh-syntax-parser.ts');
  const [mine, theirs] = await Promise.all([parseGistCommands(generated, shSyntaxParser), parseGistCommands(committed, shSyntaxParser)]);
  const drift = checkGistDrift(mine, theirs);
  if (!ours.has(name) && drift.lacks.length === 0 && drift.extra.length === 0) return { kind: 'same-commands', file: shown };
  return { kind: 'differs', file: shown, lacks: drift.lacks.length, extra: drift.extra.length };
}

/** The gist files bookrun wrote in the gists folder (its manifest), which must match byte for byte. */
async function bookrunGists(dir: string): Promise<Set<string>> {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_NAME), 'utf8')) as { files?: unknown };
    return new Set(Array.isArray(manifest.files) ? manifest.files.filter((f): f is string => typeof f === 'string') : []);
  } catch {
    return new Set();
  }
}

/**
 * Gathers the evidence for every chapter of the book (current text and its sha256, the committed gist
 * against the generated one, the heading-case lint findings, the run reports) and derives the status.
 * Throws for a missing chapter file, a bad book config or a report file that is not a run report.
 */
export async function readStatus(options: ReadStatusOptions = {}): Promise<BookStatus> {
  const cwd = options.cwd ?? process.cwd();
  const book = await readBook({ cwd, config: options.config });
  const gistsDir = options.gistsDir ?? book.config.gistsDir;
  const reportsDir = options.reports ? path.resolve(cwd, options.reports) : path.resolve(book.root, book.config.reportsDir);
  const ours = await bookrunGists(path.resolve(book.root, gistsDir));
  const readEvidence = async (file: string): Promise<ChapterEvidence> => {
    const { chapter, sha256 } = await readBookChapter(book, file, chapterKey(book, file));
    const key = chapter.file;
    const lint = checkChapter(chapter, book.config);
    const pick = (keep: (d: Diagnostic) => boolean) => lint.filter(keep).map((d) => ({ line: d.line, rule: d.rule, message: d.message }));
    const findings = pick((d) => d.rule === 'heading-case');
    const notes = pick((d) => d.rule === 'author-note' || d.rule === 'todo-link' || (d.rule === 'gist-link' && d.severity !== 'info'));
    return {
      file: key,
      sha256,
      chapter,
      gist: await gistEvidence(book, chapter, gistsDir, ours),
      titles: { kind: 'findings', findings },
      notes: { kind: 'findings', findings: notes },
      // "Diagrams" and "Publish on <blog>" (issue 14).
      diagrams: await readDiagramEvidence(book.root, chapter),
      blog: await readBlogEvidence(book.root, key),
    };
  };
  const [reports, chapters] = await Promise.all([
    readReports(reportsDir, { cwd, required: Boolean(options.reports) }),
    Promise.all(book.chapterPaths.map(readEvidence)),
  ]);
  return deriveStatus({
    config: book.config,
    chapters,
    reports,
    reportsDir: (path.relative(cwd, reportsDir) || '.').split(path.sep).join('/'),
    bookList: book.bookList ? { file: book.bookList.file, chapters: book.bookList.chapters.map((c) => c.key) } : null,
  });
}
