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
  /** The published URL from the book config's gists manifest, or null when the gist has none yet. */
  resolved: string | null;
  /** True when the target written by the author is not a usable URL (`TODO:`, `TODO: Viktor`, empty). */
  placeholder: boolean;
  /** The Markdown to write instead (`[gke-jx-gloo.sh](https://gist…)`), or null when nothing can be filled. */
  replacement: string | null;
}

const LINK = /\[([^\]\n]*)\]\(([^)\n]*)\)/g;
const GIST_URL = /^https?:\/\/gist\.github(usercontent)?\.com\//i;
const CHAPTER_GIST = /\bcommands\b.*\bavailable\b.*\bgist\b/i;
const SH_FILE = /([A-Za-z0-9._-]+\.sh)\b/;

/** The gist file name of a chapter: its file name with `.sh` instead of `.md` (`progressive-delivery.sh`). */
export function chapterGistName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.(md|markdown|mdx|txt)$/i, '') + '.sh';
}

function isPlaceholderTarget(url: string): boolean {
  const target = url.trim();
  return target === '' || /todo/i.test(target) || target === '#' || !/^(https?:|\/|\.|#|[A-Za-z0-9_-]+\/)/.test(target);
}

/** Lines inside code blocks (fences included): links there are code, not links. */
function codeLines(chapter: Chapter): Set<number> {
  const inCode = new Set<number>();
  for (const block of chapter.blocks) for (let l = block.line; l <= block.endLine; l++) inCode.add(l);
  return inCode;
}

/**
 * Finds every link in a chapter's prose that points to a gist: link text or target naming a `.sh` file,
 * a `gist.github.com` target, or the link in the "commands … are available in the … Gist" sentence
 * (the chapter's own gist). Resolves each from the book config's gists manifest (`gists.urls`).
 *
 * Scans the source lines rather than the Markdown tree because authors' placeholder targets
 * (`[TODO: Viktor](TODO: Viktor)`) contain spaces, which CommonMark does not accept as a link.
 */
export function findGistLinks(chapter: Pick<Chapter, 'file' | 'lines' | 'blocks'>, config: Pick<BookConfig, 'gists'>): GistLink[] {
  const inCode = codeLines(chapter as Chapter);
  const own = chapterGistName(chapter.file);
  const found: GistLink[] = [];
  chapter.lines.forEach((text, index) => {
    const line = index + 1;
    if (inCode.has(line)) return;
    for (const match of text.matchAll(LINK)) {
      if (match.index > 0 && text[match.index - 1] === '!') continue; // an image
      const [whole, linkText, url] = match as unknown as [string, string, string];
      let kind: GistLinkKind | null = null;
      let gist: string | null = null;
      const named = SH_FILE.exec(linkText) ?? SH_FILE.exec(url.split(/[?#]/)[0] ?? '');
      if (named) {
        kind = 'file';
        gist = named[1] ?? null;
      } else if (GIST_URL.test(url.trim())) {
        kind = 'url';
        const byUrl = Object.entries(config.gists).find(([, u]) => u !== null && sameUrl(u, url));
        gist = byUrl ? byUrl[0] : null;
      } else if (CHAPTER_GIST.test(text)) {
        kind = 'chapter';
        gist = own;
      }
      if (kind === null) continue;
      const resolved = gist !== null ? (config.gists[gist] ?? null) : GIST_URL.test(url.trim()) ? url.trim() : null;
      const placeholder = isPlaceholderTarget(url);
      const label = kind === 'chapter' && /todo/i.test(linkText) ? (gist ?? linkText) : linkText;
      const replacement = resolved !== null ? `[${label}](${resolved})` : null;
      found.push({
        kind,
        line,
        column: match.index + 1,
        endColumn: match.index + whole.length + 1,
        text: linkText,
        url,
        gist,
        resolved,
        placeholder,
        replacement,
      });
    }
  });
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
