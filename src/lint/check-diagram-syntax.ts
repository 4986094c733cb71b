import type { Chapter, Diagnostic } from '../core/model.ts';
import type { MermaidParser } from '../diagrams/load-mermaid-parser.ts';

/**
 * The `diagram-syntax` rule: every diagram of the chapter (```` ```mermaid ```` fences) through mermaid's own
 * parser (given, so the rule stays testable and mermaid is loaded only for chapters that draw). A bad diagram is
 * an error at its chapter line (the fence's content line plus mermaid's line, counted in the text as written),
 * with mermaid's message; an error mermaid places nowhere is reported at the fence.
 */
export async function checkDiagramSyntax(chapter: Pick<Chapter, 'figures' | 'blocks'>, parse: MermaidParser): Promise<Diagnostic[]> {
  const found: Diagnostic[] = [];
  for (const figure of chapter.figures) {
    if (figure.kind !== 'diagram' || figure.block === null) continue;
    const block = chapter.blocks[figure.block]!;
    const result = await parse(block.value);
    if (result.kind === 'ok') continue;
    const placed = result.line !== null && block.contentLine + result.line - 1 < block.endLine + (block.open ? 1 : 0);
    found.push({
      line: placed ? block.contentLine + result.line! - 1 : block.line,
      column: placed && result.column !== null ? result.column : 1,
      rule: 'diagram-syntax',
      severity: 'error',
      message: `${figure.label} does not parse as a mermaid diagram: ${result.message}`,
    });
  }
  return found;
}
