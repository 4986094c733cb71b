import type { Chapter, Diagnostic } from '../core/model.ts';

/**
 * The `figure-todo` rule: a draft figure (`Figure 17-TODO: TODO`, or a caption that is an author note) is
 * reported at its caption, naming the label it will get. Missing images (`image-missing`) and numbers out of
 * order (`figure-number`) come from the parser's figures phase.
 */
export function checkFigures(chapter: Pick<Chapter, 'figures'>): Diagnostic[] {
  return chapter.figures
    .filter((figure) => figure.todo)
    .map((figure) => {
      const what = figure.kind === 'diagram' ? 'diagram' : 'image';
      const written = figure.written ? `Figure ${figure.written.chapter === null ? '' : `${figure.written.chapter}-`}${figure.written.number}` : figure.label;
      return {
        line: figure.captionFrom?.line ?? figure.line,
        column: 1,
        rule: 'figure-todo',
        severity: 'warning' as const,
        message: `${written} is a draft figure (${what}${figure.caption ? `, caption "${figure.caption}"` : ''}): finish it and caption it as ${figure.label}: … before publishing`,
      };
    });
}
