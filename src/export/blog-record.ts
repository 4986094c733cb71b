/**
 * What `bookrun export blog` records of each export under `.bookrun/blog/`: the evidence behind the checklist's
 * "Publish on <blog>" item (a post exists for the chapter's current text).
 */
export interface BlogRecord {
  version: 1;
  /** The chapter as in bookrun.yaml (`docs/canary.md`). */
  chapter: string;
  /** sha256 of the chapter's text the post was made from. */
  sha256: string;
  format: 'html' | 'wordpress';
  variant: string | null;
  /** Written with `--draft` while findings remained. */
  draft: boolean;
  /** How many findings were left (0 unless a draft). */
  findings: number;
  /** The output folder, relative to the book root. */
  out: string;
  /** The files written there. */
  files: string[];
  writtenAt: string;
}

/** `.bookrun/blog/` of a book root, relative. */
export const BLOG_RECORD_DIR = '.bookrun/blog';

/** The record's file name for a chapter key: `docs/canary.md` → `docs-canary.md.json`. */
export function toBlogRecordName(chapterKey: string): string {
  return `${chapterKey.replace(/[^A-Za-z0-9._-]+/g, '-')}.json`;
}
