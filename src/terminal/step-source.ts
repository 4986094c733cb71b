import type { Plan } from '../core/model.ts';

/** A chapter's plan for one variant, or why a page may not run anything of it. */
export type SourcePlan = { kind: 'plan'; plan: Plan } | { kind: 'refused'; message: string };

/**
 * Where a terminal server finds the steps a page's `run` names: the book on this machine (`bookrun serve`,
 * `bookrun dev`: {@link bookStepSource}) or the plans a published book holds (`bookrun connect`:
 * {@link publishedStepSource}). Either way the page sends only a step id; the command comes from here.
 */
export interface StepSource {
  /** The plan of `chapter` (its key, as the page names it) for `variant`. */
  plan(chapter: string, variant: string): Promise<SourcePlan>;
  /** Values the page is never shown (the book's CI secrets found in this server's environment): `***`. */
  secrets(): string[];
}
