import { DEFAULT_TEARDOWN_SECTIONS, type BookConfig } from './book-config.ts';
import { isTeardownStep } from './is-teardown-step.ts';
import type { Chapter, Plan, Variant } from './model.ts';
import { conditionHolds } from './parse-condition.ts';

/**
 * The plan of a chapter for one variant: every step, each marked `included` when its condition holds
 * for the variant, and `teardown` when it deletes what the chapter created (see `isTeardownStep`). Pure: the same
 * chapter and variant always give the same plan.
 */
export function planChapter(chapter: Chapter, variant: Variant, config: Pick<BookConfig, 'unknownConditions'> & Partial<Pick<BookConfig, 'teardownSections'>>): Plan {
  const sections = config.teardownSections ?? DEFAULT_TEARDOWN_SECTIONS;
  return {
    version: 1,
    chapter: { title: chapter.title, file: chapter.file },
    variant,
    steps: chapter.steps.map((step) => ({
      ...step,
      included: conditionHolds(step.condition, variant, config),
      teardown: isTeardownStep(step, chapter.headings, sections),
      condition: step.condition?.text ?? null,
      when: step.condition,
    })),
    placeholders: chapter.placeholders.map((p) => ({ name: p.name, line: p.line, step: p.step, description: p.description })),
    notes: chapter.notes,
    checklist: chapter.checklist.map((c) => ({ text: c.text, checked: c.checked, line: c.line })),
    diagnostics: chapter.diagnostics,
  };
}
