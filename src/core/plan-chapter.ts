import { DEFAULT_TEARDOWN_SECTIONS, type BookConfig } from './book-config.ts';
import { teardownSteps } from './is-teardown-step.ts';
import type { Chapter, Plan, Variant } from './model.ts';
import { conditionHolds } from './parse-condition.ts';

/**
 * The plan of a chapter for one variant: every step, each marked `included` when its condition holds
 * for the variant, and `teardown` when it deletes what the chapter created (see `isTeardownStep`). Pure: the same
 * chapter and variant always give the same plan.
 */
export function planChapter(chapter: Chapter, variant: Variant, config: Pick<BookConfig, 'unknownConditions'> & Partial<Pick<BookConfig, 'teardownSections'>>): Plan {
  const sections = config.teardownSections ?? DEFAULT_TEARDOWN_SECTIONS;
  const teardown = teardownSteps(chapter.steps, chapter.headings, sections);
  return {
    version: 1,
    chapter: { title: chapter.title, file: chapter.file },
    variant,
    // Object.assign, not a spread with more keys after it: the same object (keys in the same order), made
    // several times faster by V8 (a book's plan copies thousands of steps).
    steps: chapter.steps.map((step, i) =>
      Object.assign({}, step, {
        included: conditionHolds(step.condition, variant, config),
        teardown: teardown[i]!,
        condition: step.condition?.text ?? null,
        when: step.condition,
      }),
    ),
    placeholders: chapter.placeholders.map((p) => ({ name: p.name, line: p.line, step: p.step, description: p.description })),
    notes: chapter.notes,
    checklist: chapter.checklist.map((c) => ({ text: c.text, checked: c.checked, line: c.line })),
    diagnostics: chapter.diagnostics,
  };
}
