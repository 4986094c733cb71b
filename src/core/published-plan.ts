import type { Annotations, Expect, FileEdit, NestedShell, Plan, PlannedStep, Variant, WatchReason } from './model.ts';

/**
 * The plans a book's build publishes beside its pages (docs/reference/site.md, "Published plans"), so that
 * `bookrun connect BOOK_URL` runs exactly the steps the book holds, and nothing a page asks for beyond them.
 * Plain data, fetched from the book's origin; {@link parsePublishedPlan} checks it before it is used.
 */

/** Version of the published files; a reader's `bookrun connect` refuses a version it does not know. */
export const PUBLISHED_PLAN_VERSION = 1;

/** The `<meta name>` on every page of the book that holds the URL of the index ({@link PublishedIndex}). */
export const PUBLISHED_PLANS_META = 'bookrun-plans';

/** Folder of the published files inside the build (under the site's base URL). */
export const PUBLISHED_PLANS_DIR = 'bookrun/plans';

/** What of a step's annotations the terminal needs; the rest (labels, skip reasons) stays unpublished. */
export type PublishedAnnotations = Pick<Annotations, 'until' | 'capture' | 'timeoutMs' | 'exitCode' | 'cwd' | 'input' | 'name' | 'skip' | 'teardown'>;

/**
 * One step as published: what the terminal needs to type it and judge it, with the variants it applies to.
 * Never the comments above it (author notes live there) nor anything the page hides.
 */
export interface PublishedStep {
  id: string;
  line: number;
  endLine: number;
  /** The exact source text, as the page shows it. */
  command: string;
  /** `digestStep(command)`: what the page sends with Run. */
  digest: string;
  block: number;
  section: string | null;
  terminal: number;
  watch: boolean;
  watchReason: WatchReason | null;
  retryWhile: string | null;
  eventually: boolean;
  placeholders: string[];
  uses: string[];
  expect: Expect | null;
  annotations: PublishedAnnotations;
  /** Canonical condition text (`eks`, `not eks`), null when it applies everywhere. */
  condition: string | null;
  teardown: boolean;
  /** The variants (names) the step applies to; null: every variant. */
  variants: string[] | null;
  edit?: FileEdit;
  nestedShell?: NestedShell;
}

/** One chapter's published plan: every variant at once. */
export interface PublishedPlan {
  version: typeof PUBLISHED_PLAN_VERSION;
  /** `file` is the chapter key, as in `run.chapter`. */
  chapter: Plan['chapter'];
  /** The book's variants, in matrix order. */
  variants: Variant[];
  steps: PublishedStep[];
  placeholders: Plan['placeholders'];
}

/** The index of a book's published plans (`bookrun/plans/index.json`). */
export interface PublishedIndex {
  version: typeof PUBLISHED_PLAN_VERSION;
  title: string;
  /** Variant names, in matrix order. */
  variants: string[];
  /** Names of the book's CI secrets (never values): a reader's terminal shows their values as `***`. */
  secrets: string[];
  /** Each chapter and where its plan is, relative to the index. */
  chapters: Array<{ chapter: string; plan: string }>;
}

/** A step as the planner made it, from a published one (the variant decides `included`). */
export function toPlannedStep(step: PublishedStep, variant: string): PlannedStep {
  const { variants, digest: _digest, ...rest } = step;
  return {
    ...rest,
    annotations: { ...step.annotations },
    comments: [],
    when: null,
    included: variants === null || variants.includes(variant),
  };
}
