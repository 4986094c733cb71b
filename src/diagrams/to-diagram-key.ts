import { createHash } from 'node:crypto';
import { MERMAID_CONFIG, MERMAID_VERSION, PNG_SCALE } from './mermaid-config.ts';

/** Bumped when bookrun changes how it draws (the page, the screenshot): every cached drawing is made again. */
const RENDERER_VERSION = 3;

/**
 * A diagram's cache key: the sha256 of its text together with everything that changes the drawing (mermaid's
 * version, bookrun's mermaid settings, the PNG scale). The same diagram in two chapters, or in the site and
 * the manuscript, has one key, so it is drawn once.
 */
export function toDiagramKey(code: string): string {
  const what = JSON.stringify({ renderer: RENDERER_VERSION, mermaid: MERMAID_VERSION, config: MERMAID_CONFIG, scale: PNG_SCALE, code });
  return createHash('sha256').update(what).digest('hex').slice(0, 40);
}
