import type { Plan } from './model.ts';
import { toPlannedStep, type PublishedPlan } from './published-plan.ts';

/** A published chapter's plan for one variant, or why there is none. */
export type PublishedChapterPlan = { kind: 'plan'; plan: Plan } | { kind: 'refused'; message: string };

/**
 * The plan of a published chapter for variant `name`: the same {@link Plan} `planChapter` made at build time,
 * so the terminal judges a step the way `bookrun run` does. Refuses a variant the book does not have. Pure.
 */
export function planPublishedChapter(published: PublishedPlan, name: string): PublishedChapterPlan {
  const variant = published.variants.find((v) => v.name === name);
  if (!variant) {
    return { kind: 'refused', message: `unknown variant ${JSON.stringify(name)}: this book's variants are ${published.variants.map((v) => v.name).join(', ')}` };
  }
  return {
    kind: 'plan',
    plan: {
      version: 1,
      chapter: { ...published.chapter },
      variant,
      steps: published.steps.map((s) => toPlannedStep(s, name)),
      placeholders: published.placeholders,
      notes: [],
      checklist: [],
      diagnostics: [],
    },
  };
}
