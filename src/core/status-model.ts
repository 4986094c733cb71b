/**
 * The types of `bookrun status`: run reports as `bookrun run` writes them, what a checklist item means,
 * and the derived status of every chapter (the JSON contract of `bookrun status --json`, documented in
 * docs/reference/status.md: fields may be added, never removed).
 */

/** One step of a run report (only the fields `bookrun status` reads are typed; the rest pass through). */
export interface RunReportStep {
  id: string;
  line: number;
  status: 'passed' | 'failed' | 'skipped' | 'interrupted';
  [field: string]: unknown;
}

/** A run report, as `bookrun run --report FILE.json` writes it (and saves under the reports folder). */
export interface RunReport {
  version: 1;
  chapter: { title: string; file: string; sha256: string };
  variant: { name: string; values: Record<string, string> };
  status: 'passed' | 'failed';
  startedAt: string;
  durationMs: number;
  steps: RunReportStep[];
}

/** A run report and the file it was read from (relative to the current directory, for messages). */
export interface ReportFile {
  path: string;
  report: RunReport;
}

/** What bookrun can prove about a checklist item, from its text. */
export type ItemRule =
  /** "Code review static GKE": the newest report of each named variant passed for the current text. */
  | { kind: 'code-review'; variants: string[] }
  /** "Gist": the committed gist equals what the chapter generates. */
  | { kind: 'gist' }
  /** "Review titles": the heading-case lint rule is clean. */
  | { kind: 'review-titles' }
  /** "Text review": no author notes (`TODO:`, `NOTE:`, `(TODO:)` links) left. */
  | { kind: 'text-review' }
  /** "Add to Book.txt": the chapter is in the exported Book.txt (the book config's chapter order). */
  | { kind: 'book-order' }
  /** "Diagrams": every diagram of the chapter parses and was drawn, no figure is a draft, no image is missing. */
  | { kind: 'diagrams' }
  /** "Publish on TechnologyConversations.com" (the book config's `blog.name`): a blog export exists for the current text. */
  | { kind: 'blog'; blog: string }
  /** Anything else (Write, Proofread, Diagrams…): the author's tick; `note` says why when it looked derivable. */
  | { kind: 'manual'; note?: string };

/**
 * The state of one item. Derived items: `passed`, `failed`, `stale` (the newest report is for an older
 * text of the chapter), `not-run` (no report). Items from the author's tick: `done`, `todo`.
 */
export type ItemState = 'passed' | 'failed' | 'stale' | 'not-run' | 'done' | 'todo';

/** The evidence of one variant behind a "Code review" item. */
export interface VariantEvidence {
  variant: string;
  state: 'passed' | 'failed' | 'stale' | 'not-run';
  /** The newest report for the chapter and variant, when there is one. */
  report: {
    path: string;
    status: 'passed' | 'failed';
    startedAt: string;
    durationMs: number;
    sha256: string;
    /** Lines of the failed steps. */
    failedLines: number[];
  } | null;
}

/** A finding behind a lint-derived item. */
export interface Finding {
  line: number;
  rule: string;
  message: string;
}

/** One checklist item of one chapter, with its state and the evidence behind it. */
export interface StatusItem {
  text: string;
  /** Line in the chapter's `## TODO` list; null for an item bookrun adds because the chapter has no list. */
  line: number | null;
  kind: ItemRule['kind'];
  /** The author's tick; null when the item is not in the chapter's list. */
  checked: boolean | null;
  /** True when the state comes from evidence, false when it is the author's tick. */
  derived: boolean;
  state: ItemState;
  /** The verdict: `passed` or `done`. */
  done: boolean;
  /** A derived item whose verdict differs from the author's tick. */
  disagrees: boolean;
  /** One line a person reads: what was checked and what was found. */
  evidence: string;
  /** Code review items: one entry per variant the item names. */
  variants?: VariantEvidence[];
  /** Lint-derived items: what the rules found. */
  findings?: Finding[];
}

/** The status of one chapter of the book. */
export interface ChapterStatus {
  /** As in the book config (`docs/progressive-delivery.md`). */
  file: string;
  title: string;
  /** sha256 of the chapter's current text: a report counts when its `chapter.sha256` equals it. */
  sha256: string;
  /** Line of the chapter's `## TODO` heading; null when it has none (bookrun then lists the items it can prove). */
  checklistLine: number | null;
  items: StatusItem[];
  counts: { done: number; total: number; disagreements: number };
}

/** `bookrun status --json`. */
export interface BookStatus {
  version: 1;
  book: { title: string; config: string };
  /** The folder the reports were read from. */
  reportsDir: string;
  variants: string[];
  chapters: ChapterStatus[];
  /** How many report files were read, and those that belong to no chapter or variant of the book. */
  reports: { read: number; unmatched: Array<{ path: string; reason: string }> };
}
