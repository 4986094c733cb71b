/**
 * A chapter as a blog post: what `bookrun export blog` renders as an HTML fragment, a preview page or
 * WordPress block-editor markup. Plain data, made by the pure `toBlogPost`; inline text is already HTML.
 */

/** A Leanpub aside as a call-out: its kind (`W>` → warning) and title (a heading inside the aside). */
export type CalloutType = 'info' | 'warning' | 'tip' | 'error' | 'question' | 'discussion' | 'exercise' | 'aside' | 'note';

/** One block of the post's body. Inline content (`html`, `caption`, cells) is HTML, escaped. */
export type BlogBlock =
  | { kind: 'heading'; depth: number; id: string | null; html: string }
  | { kind: 'paragraph'; html: string; align?: 'center' }
  | { kind: 'list'; ordered: boolean; start: number | null; items: BlogBlock[][] }
  /** A code block: the text exactly as readers copy it (the chosen variant's commands only, when there is one). */
  | { kind: 'code'; lang: string | null; text: string; line: number }
  /** An image or a drawn diagram, with its caption (`Figure 17-3: …`, as HTML). */
  | { kind: 'figure'; src: string; alt: string; caption: string | null; line: number }
  | { kind: 'callout'; type: CalloutType; title: string | null; blocks: BlogBlock[] }
  | { kind: 'quote'; blocks: BlogBlock[] }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'rule' }
  /** HTML the author wrote, as written. */
  | { kind: 'html'; html: string };

/** A file the post needs beside it: an image of the book to copy, or a diagram to draw. */
export type BlogAsset =
  | { kind: 'image'; from: string; name: string; line: number }
  | { kind: 'diagram'; code: string; name: string; line: number };

/** Something that keeps the chapter from being published as a post (the export refuses without `--draft`). */
export interface BlogFinding {
  line: number;
  rule: string;
  message: string;
}

/** A chapter as a post. */
export interface BlogPost {
  title: string;
  /** The chapter's file name without extension: the post's slug and the name of its files. */
  slug: string;
  /** The first paragraph after the title, as plain text (WordPress's excerpt field). */
  excerpt: string;
  /** The variant whose commands the code blocks hold; null: every command, with its condition shown. */
  variant: string | null;
  blocks: BlogBlock[];
  /** Files to put in the post's folder (`<slug>/`), named as the blocks reference them. */
  assets: BlogAsset[];
  findings: BlogFinding[];
}
