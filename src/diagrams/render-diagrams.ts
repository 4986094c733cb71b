import { spawnDiagramRenderer, type DiagramRenderer } from './spawn-diagram-renderer.ts';
import type { DiagramCache } from './open-diagram-cache.ts';
import { toDiagramKey } from './to-diagram-key.ts';

/** One diagram's drawing, or why there is none. */
export type DiagramImage =
  | { kind: 'ok'; key: string; svg: string; png: Uint8Array | null }
  | { kind: 'error'; key: string; message: string };

/** How many diagrams were drawn in the browser and how many came from the cache (what `npm run bench` counts). */
export interface RenderStats {
  /** Distinct diagrams asked for. */
  diagrams: number;
  /** Drawn in the browser now. */
  rendered: number;
  /** Taken from `.bookrun/diagrams/` (errors mermaid gave before included). */
  cached: number;
  failed: number;
}

/** Options of {@link renderDiagrams}. */
export interface RenderDiagramsOptions {
  cache: DiagramCache;
  /** Also a PNG for each (the manuscript and the blog; the site needs only SVG). */
  png: boolean;
  /** Starts the browser (tests count the starts); default {@link spawnDiagramRenderer}. */
  spawn?: () => Promise<DiagramRenderer>;
}

/**
 * Draws diagrams (mermaid text) with a cache: a diagram whose key ({@link toDiagramKey}) is in `.bookrun/diagrams/`
 * is never drawn again, the same text asked twice is drawn once, and the browser starts only when something is
 * missing (once for all of them) and is closed, pass or fail. What mermaid refuses is cached too (it would refuse
 * it again); a timeout or a missing browser is not. Results are keyed by the diagram's text.
 */
export async function renderDiagrams(codes: string[], options: RenderDiagramsOptions): Promise<{ images: Map<string, DiagramImage>; stats: RenderStats }> {
  const images = new Map<string, DiagramImage>();
  const unique = [...new Set(codes)];
  const stats: RenderStats = { diagrams: unique.length, rendered: 0, cached: 0, failed: 0 };
  const missing: Array<{ code: string; key: string }> = [];
  for (const code of unique) {
    const key = toDiagramKey(code);
    const error = await options.cache.read(key, 'error');
    if (error) {
      images.set(code, { kind: 'error', key, message: error.toString('utf8') });
      stats.cached++;
      stats.failed++;
      continue;
    }
    const svg = await options.cache.read(key, 'svg');
    const png = options.png ? await options.cache.read(key, 'png') : null;
    if (svg && (!options.png || png)) {
      images.set(code, { kind: 'ok', key, svg: svg.toString('utf8'), png: png ? new Uint8Array(png) : null });
      stats.cached++;
    } else missing.push({ code, key });
  }
  if (missing.length === 0) return { images, stats };

  let renderer: DiagramRenderer;
  try {
    renderer = await (options.spawn ?? spawnDiagramRenderer)();
  } catch (error) {
    for (const { code, key } of missing) images.set(code, { kind: 'error', key, message: (error as Error).message });
    stats.failed += missing.length;
    return { images, stats };
  }
  try {
    for (const { code, key } of missing) {
      // The PNG is drawn with the SVG even when only the SVG is asked for: the next export then draws nothing.
      const drawn = await renderer.render(code, { id: `mermaid-${key.slice(0, 12)}`, png: true });
      stats.rendered++;
      if (drawn.kind === 'error') {
        stats.failed++;
        images.set(code, { kind: 'error', key, message: drawn.message });
        if (drawn.cause === 'mermaid') await options.cache.write(key, 'error', drawn.message);
        continue;
      }
      await options.cache.write(key, 'svg', drawn.svg);
      if (drawn.png) await options.cache.write(key, 'png', drawn.png);
      images.set(code, { kind: 'ok', key, svg: drawn.svg, png: drawn.png });
    }
  } finally {
    await renderer.close();
  }
  return { images, stats };
}
