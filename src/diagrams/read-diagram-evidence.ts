import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DiagramEvidence, DiagramState } from '../core/derive-status.ts';
import type { Chapter } from '../core/model.ts';
import { checkFigures } from '../lint/check-figures.ts';
import { loadMermaidParser, type MermaidParser } from './load-mermaid-parser.ts';
import { diagramCacheDir } from './open-diagram-cache.ts';
import { toDiagramKey } from './to-diagram-key.ts';

/**
 * The evidence behind a chapter's "Diagrams" item, without drawing anything: each diagram parses (mermaid's
 * parser in Node) and was drawn (its drawing is in `.bookrun/diagrams/` under its current key, so a changed
 * diagram counts as not drawn until the next export or site build), or mermaid refused it; the draft figures
 * (`Figure 17-TODO`); the images the parser found missing.
 */
export async function readDiagramEvidence(root: string, chapter: Pick<Chapter, 'figures' | 'blocks' | 'diagnostics'>, options: { parse?: MermaidParser } = {}): Promise<DiagramEvidence> {
  const dir = diagramCacheDir(root);
  const diagrams: DiagramState[] = [];
  for (const figure of chapter.figures) {
    if (figure.kind !== 'diagram' || figure.block === null) continue;
    const code = chapter.blocks[figure.block]!.value;
    const key = toDiagramKey(code);
    const base = { line: figure.line, label: figure.label };
    const refused = await readFile(path.join(dir, `${key}.error.txt`), 'utf8').catch(() => null);
    if (refused !== null) {
      diagrams.push({ ...base, state: 'error', message: refused });
      continue;
    }
    const parsed = await (options.parse ?? (await loadMermaidParser()))(code);
    if (parsed.kind === 'error') diagrams.push({ ...base, state: 'error', message: parsed.message });
    else diagrams.push({ ...base, state: existsSync(path.join(dir, `${key}.svg`)) ? 'drawn' : 'not-drawn' });
  }
  const finding = (d: { line: number; rule: string; message: string }) => ({ line: d.line, rule: d.rule, message: d.message });
  return {
    kind: 'checked',
    diagrams,
    drafts: checkFigures(chapter).map(finding),
    missing: chapter.diagnostics.filter((d) => d.rule === 'image-missing').map(finding),
    figures: chapter.figures.length,
  };
}
