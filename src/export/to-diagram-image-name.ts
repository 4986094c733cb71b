/** The image a chapter's diagram is drawn to, inside the manuscript's `images/`: `diagrams/<chapter>-figure-<M>.png`. */
export function toDiagramImageName(chapterFile: string, figureIndex: number): string {
  const stem = (chapterFile.split('/').pop() ?? chapterFile).replace(/\.(mdx?|markdown|txt)$/i, '');
  return `diagrams/${stem}-figure-${figureIndex}.png`;
}
