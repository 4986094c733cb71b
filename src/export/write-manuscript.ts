import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { OutputFolder } from '../book/open-output-folder.ts';
import type { DiagramCache } from '../diagrams/open-diagram-cache.ts';
import { renderDiagrams, type RenderDiagramsOptions, type RenderStats } from '../diagrams/render-diagrams.ts';
import type { Manuscript, ManuscriptFinding } from './to-manuscript.ts';

/** Options of {@link writeManuscript}. */
export interface WriteManuscriptOptions {
  /** Where drawn diagrams are kept (`.bookrun/diagrams/`); needed when the manuscript has diagrams. */
  diagrams?: DiagramCache;
  /** How the browser is started (tests count the starts). */
  spawn?: RenderDiagramsOptions['spawn'];
}

/** What {@link writeManuscript} did: what is missing (images that do not exist, diagrams that could not be drawn) and the drawing counts. */
export interface WrittenManuscript {
  findings: ManuscriptFinding[];
  /** Images copied. */
  images: number;
  /** Diagrams drawn now and taken from the cache; null when the manuscript has none. */
  diagrams: RenderStats | null;
}

/**
 * Writes a planned manuscript into the output folder `out` (opened through the write guard), copies its
 * images from the book root and draws its diagrams as PNGs (through the diagram cache: an unchanged diagram
 * is never drawn again). Images that do not exist and diagrams that cannot be drawn are returned as findings.
 * Nothing is half-written: the images are looked for, the diagrams drawn and every target checked to be
 * bookrun's before the first file is written.
 */
export async function writeManuscript(manuscript: Manuscript, root: string, out: OutputFolder, options: WriteManuscriptOptions = {}): Promise<WrittenManuscript> {
  const findings: ManuscriptFinding[] = manuscript.images
    .filter((image) => !existsSync(path.join(root, image.from)))
    .map((image) => ({ file: image.file, line: image.line, rule: 'image-missing', message: `image ${image.from} does not exist: add it or fix the path` }));
  const images = await Promise.all(
    manuscript.images.filter((image) => existsSync(path.join(root, image.from))).map(async (image) => ({ file: image.to, data: await readFile(path.join(root, image.from)) })),
  );
  const drawings: Array<{ file: string; data: Uint8Array }> = [];
  let stats: RenderStats | null = null;
  if (manuscript.diagrams.length > 0) {
    if (!options.diagrams) throw new Error('bookrun bug: a manuscript with diagrams is written without a diagram cache');
    const drawn = await renderDiagrams(manuscript.diagrams.map((d) => d.code), { cache: options.diagrams, png: true, spawn: options.spawn });
    stats = drawn.stats;
    for (const diagram of manuscript.diagrams) {
      const image = drawn.images.get(diagram.code)!;
      if (image.kind === 'ok' && image.png) drawings.push({ file: diagram.to, data: image.png });
      else findings.push({ file: diagram.file, line: diagram.line, rule: 'diagram-render', message: `the diagram cannot be drawn: ${image.kind === 'error' ? image.message : 'no PNG'}` });
    }
  }
  const files = [...manuscript.files.map((file) => ({ file: file.path, data: file.content })), ...images, ...drawings];
  await out.check(files);
  for (const { file, data } of files) await out.write(file, data);
  return { findings, images: images.length, diagrams: stats };
}
