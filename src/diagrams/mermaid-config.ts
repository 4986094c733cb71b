import { createRequire } from 'node:module';

/**
 * How bookrun asks mermaid to draw: labels as SVG `<text>` instead of HTML in `<foreignObject>` (so the SVG
 * reads the same in rsvg, PDF tools and `<img>`), a font every Debian machine has (mermaid's own, Trebuchet
 * and Verdana, are not there: Liberation Sans is Arial's metric twin), the ids derived from the diagram
 * (so the same diagram gives the same SVG), and `strict` security (no click handlers, no HTML in labels).
 */
export const MERMAID_CONFIG = {
  startOnLoad: false,
  theme: 'default',
  securityLevel: 'strict',
  deterministicIds: true,
  htmlLabels: false,
  flowchart: { htmlLabels: false },
  themeVariables: { fontFamily: 'Liberation Sans, Arial, Helvetica, sans-serif' },
} as const;

/** PNGs are drawn at twice the CSS size: crisp in print and on high-density screens. */
export const PNG_SCALE = 2;

/** The version of mermaid that draws: part of every diagram's cache key, so an upgrade draws everything again. */
export const MERMAID_VERSION: string = (createRequire(import.meta.url)('mermaid/package.json') as { version: string }).version;
