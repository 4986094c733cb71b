import type { BookConfig } from './book-config.ts';
import type { Chapter } from './model.ts';

/** How a link came to be taken for a gist link. */
export type GistLinkKind =
  /** `[gke-jx-gloo.sh](…)`: the link text or target names a `.sh` file. */
  | 'file'
  /** A link to `gist.github.com`. */
  | 'url'
  /** The "All the commands from this chapter are available in the [...](...) Gist" aside: the chapter's own gist. */
  | 'chapter';

/** A link in a chapter's prose that points (or should point) to a gist. */
export interface GistLink {
  kind: GistLinkKind;
  /** 1-based line and column of the `[` that opens the link. */
  line: number;
  column: number;
  /** Column (1-based) just after the closing `)`. */
  endColumn: number;
  /** The link's text and target as written. */
  text: string;
  url: string;
  /** The gist file the link refers to (`gke-jx-gloo.sh`), or null when it cannot be told. */
  gist: string | null;
  /** The published URL: from the book config's gists manifest, else the link's own web URL; null when the gist has none yet. */
  resolved: string | null;
  /** True when the target written by the author is not a usable URL (`TODO:`, `TODO: Viktor`, empty). */
  placeholder: boolean;
  /** The Markdown to write instead (`[gke-jx-gloo.sh](https://gist…)`), or null when nothing can be filled. */
  replacement: string | null;
}

const GIST_URL = /^https?:\/\/gist\.github(usercontent)?\.com\//i;
const WEB_URL = /^https?:\/\//i;
const CHAPTER_GIST = /\bcommands\b.*\bavailable\b.*\bgist\b/i;
const SH_FILE = /([A-Za-z0-9._-]+\.sh)\b/;
/** A file in the book's own tree (`./readme.sh`, `scripts/setup.sh`, `setup.sh`): a local file, not a gist. */
const LOCAL_PATH = /^(?:\.{1,2}\/|\/)?[\w.~@%+-]+(?:\/[\w.~@%+-]+)*\/?$/;

/** The gist file name of a chapter: its file name with `.sh` instead of `.md` (`progressive-delivery.sh`). */
export function chapterGistName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.(md|markdown|mdx|txt)$/i, '') + '.sh';
}

/** A target that stands for "the URL comes later": empty, `#`, `TODO:`, `TODO: Viktor`, a note with spaces. */
function isPlaceholderTarget(url: string): boolean {
  const target = url.trim();
  return target === '' || /todo/i.test(target) || target === '#' || (!WEB_URL.test(target) && !LOCAL_PATH.test(target));
}

/**
 * Finds every link in a chapter's prose that points to a gist: link text or target naming a `.sh` file,
 * a `gist.github.com` target, or the link in the "commands … are available in the … Gist" sentence
 * (the chapter's own gist). Resolves each from the book config's gists manifest (`gists.urls`); a link that
 * already has a web URL is published even when the manifest has none. A `.sh` link to a file of the book
 * (`./readme.sh`) is a local file, not a gist.
 *
 * Uses the chapter's links (from the Markdown tree), which include the authors' placeholder targets
 * (`[TODO: Viktor](TODO: Viktor)`) that CommonMark does not accept as links.
 */
export function findGistLinks(chapter: Pick<Chapter, 'file' | 'lines' | 'links'>, config: Pick<BookConfig, 'gists'>): GistLink[] {
  const own = chapterGistName(chapter.file);
  const found: GistLink[] = [];
  for (const link of chapter.links) {
    const url = link.url;
    const target = url.trim();
    const web = WEB_URL.test(target);
    let kind: GistLinkKind | null = null;
    let gist: string | null = null;
    const named = SH_FILE.exec(link.text) ?? SH_FILE.exec(url.split(/[?#]/)[0] ?? '');
    if (named) {
      if (!web && !isPlaceholderTarget(url)) continue; // a file of the book: not a gist
      kind = 'file';
      gist = named[1] ?? null;
    } else if (GIST_URL.test(target)) {
      kind = 'url';
      const byUrl = Object.entries(config.gists).find(([, u]) => u !== null && sameUrl(u, url));
      gist = byUrl ? byUrl[0] : null;
    } else if (CHAPTER_GIST.test(chapter.lines[link.line - 1] ?? '')) {
      kind = 'chapter';
      gist = own;
    }
    if (kind === null) continue;
    const listed = gist !== null ? (config.gists[gist] ?? null) : null;
    const resolved = listed ?? (web ? target : null);
    const placeholder = isPlaceholderTarget(url);
    const label = kind === 'chapter' && /todo/i.test(link.text) ? (gist ?? link.text) : link.text;
    // Only a link on one line can be rewritten in place.
    const replacement = resolved !== null && link.endLine === link.line ? `[${label}](${resolved})` : null;
    found.push({ kind, line: link.line, column: link.column, endColumn: link.endColumn, text: link.text, url, gist, resolved, placeholder, replacement });
  }
  return found;
}

function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => u.trim().replace(/\/+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * Rewrites one source line, replacing each gist link on it (from {@link findGistLinks}) with its resolved
 * Markdown. Links without a resolved URL are left as written.
 */
export function fillGistLinks(text: string, links: GistLink[]): string {
  const onLine = links.filter((l) => l.replacement !== null).sort((a, b) => b.column - a.column);
  let out = text;
  for (const link of onLine) {
    out = out.slice(0, link.column - 1) + (link.replacement as string) + out.slice(link.endColumn - 1);
  }
  return out;
}
