import path from 'node:path';
import type { Code, Parent, Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';
import type { Chapter } from '../core/model.ts';
import { toFigureCaption } from '../export/to-figure-caption.ts';
import type { DiagramCache } from './open-diagram-cache.ts';
import { renderDiagrams, type RenderStats } from './render-diagrams.ts';
import { toDiagramFigureHtml } from './to-diagram-figure-html.ts';

/** Options of {@link remarkDiagrams}. */
export interface RemarkDiagramsOptions {
  /** Absolute folder of bookrun.yaml: chapter keys are relative to it. */
  root: string;
  /** The book's chapters (keys as in bookrun.yaml): their figures give the diagrams' captions. */
  chapters: readonly string[];
  /** Parses a chapter with the core parser (the one bookrun's remark plugin uses, so the parse is shared). */
  parse: (text: string, key: string) => Promise<Chapter>;
  /** Opens the diagram cache (`.bookrun/diagrams/`), once, when a page first has a diagram. */
  cache: () => Promise<DiagramCache>;
  /** Called with each page's drawing counts (the site build reports them). */
  onStats?: (stats: RenderStats) => void;
}

/**
 * The site's diagrams, drawn at build time: every ```` ```mermaid ```` block becomes its SVG inline, with the
 * figure's caption (`Figure 17-2: …`) under it, drawn by the renderer the manuscript and the blog use and
 * taken from the same cache (an unchanged diagram is never drawn again, and a page ships no mermaid
 * JavaScript). The genre's `Figure NN-M: …` line after the fence becomes the caption. A diagram mermaid
 * refuses stays a code block, with a build message naming its line.
 *
 * Goes after bookrun's own remark plugin in `beforeDefaultRemarkPlugins` (it keeps mermaid blocks as code).
 */
export default function remarkDiagrams(options: RemarkDiagramsOptions) {
  const chapters = new Set(options.chapters.map((c) => path.posix.normalize(c)));
  let cache: Promise<DiagramCache> | null = null;
  // Docusaurus compiles pages in parallel: pages draw one after another, so a cold build starts one browser at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  return async (tree: Root, file: VFile): Promise<void> => {
    const found: Array<{ node: Code; parent: Parent; index: number }> = [];
    const walk = (parent: Parent) => {
      parent.children.forEach((child, index) => {
        if (child.type === 'code' && child.lang === 'mermaid') found.push({ node: child, parent, index });
        else if ('children' in child) walk(child as Parent);
      });
    };
    walk(tree);
    if (found.length === 0) return;

    const key = file.path ? path.relative(options.root, file.path).split(path.sep).join('/') : '';
    const chapter = chapters.has(key) ? await options.parse(String(file.value), key) : null;
    cache ??= options.cache();
    const opened = await cache;
    const { images, stats } = await inTurn(() => renderDiagrams(found.map((f) => f.node.value), { cache: opened, png: false }));
    options.onStats?.(stats);

    const captionLines = new Set<number>();
    const replaced = new Map<Parent, Map<number, RootContent>>();
    for (const { node, parent, index } of found) {
      const line = node.position?.start.line ?? 0;
      const figure = chapter?.figures.find((f) => f.kind === 'diagram' && f.line === line) ?? null;
      const image = images.get(node.value)!;
      if (image.kind === 'error') {
        file.message(`${figure?.label ?? 'a diagram'} cannot be drawn: ${image.message} [diagram-render]`, { place: node.position?.start, ruleId: 'diagram-render', source: 'bookrun' });
        continue;
      }
      if (figure?.captionFrom?.kind === 'text') captionLines.add(figure.captionFrom.line);
      const id = figure && chapter ? (chapter.blocks[figure.block!]?.attributes?.values.id ?? null) : null;
      const html = toDiagramFigureHtml(image.svg, figure ? toFigureCaption(figure) : null, id);
      const map = replaced.get(parent) ?? new Map<number, RootContent>();
      map.set(index, { type: 'html', value: html });
      replaced.set(parent, map);
    }
    for (const [parent, map] of replaced) for (const [index, node] of map) parent.children[index] = node as never;
    // The `Figure 17-3: …` line is the caption now: it is not shown twice.
    if (captionLines.size > 0) tree.children = tree.children.filter((n) => !(n.type === 'paragraph' && captionLines.has(n.position?.start.line ?? -1)));
  };
}
