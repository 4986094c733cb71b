import type { BookConfig } from './book-config.ts';
import type { Chapter, Plan, Variant } from './model.ts';
import { conditionHolds } from './parse-condition.ts';

/**
 * The plan of a chapter for one variant: every step, each marked `included` when its condition holds
 * for the variant. Pure: the same chapter and variant always give the same plan.
 */
export function planChapter(chapter: Chapter, variant: Variant, config: Pick<BookConfig, 'unknownConditions'>): Plan {
  return {
    version: 1,
    chapter: { title: chapter.title, file: chapter.file },
    variant,
    steps: chapter.steps.map((step) => ({
      ...step,
      included: conditionHolds(step.condition, variant, config),
      condition: step.condition?.text ?? null,
      when: step.condition,
    })),
    placeholders: chapter.placeholders.map((p) => ({ name: p.name, line: p.line, step: p.step, description: p.description })),
    notes: chapter.notes,
    checklist: chapter.checklist.map((c) => ({ text: c.text, checked: c.checked, line: c.line })),
    diagnostics: chapter.diagnostics,
  };
}
