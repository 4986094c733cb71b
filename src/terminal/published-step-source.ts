import { planPublishedChapter } from '../core/plan-published-chapter.ts';
import type { PublishedIndex, PublishedPlan } from '../core/published-plan.ts';
import type { StepSource } from './step-source.ts';

/** A published book as `bookrun connect` fetched it: its index and every chapter's plan, by chapter key. */
export interface PublishedBook {
  /** The book's URL as the reader gave it, and its origin (the only one the terminal trusts). */
  url: string;
  origin: string;
  index: PublishedIndex;
  plans: Map<string, PublishedPlan>;
}

/**
 * The steps of a published book: only what its build published (fetched once, when `bookrun connect`
 * started), whatever a page asks for. A chapter or variant the plans do not hold is refused.
 */
export function publishedStepSource(book: PublishedBook, env: Record<string, string | undefined> = process.env): StepSource {
  return {
    async plan(chapter, variant) {
      const published = book.plans.get(chapter.replace(/^\.?\//, ''));
      if (!published) {
        return { kind: 'refused', message: `unknown chapter ${JSON.stringify(chapter)}: ${book.url} publishes ${[...book.plans.keys()].join(', ') || 'no chapters'}` };
      }
      return planPublishedChapter(published, variant);
    },
    secrets: () => book.index.secrets.flatMap((name) => env[name] || []),
  };
}
