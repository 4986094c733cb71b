import type { RenderStats } from './render-diagrams.ts';

/** `3 diagrams (1 drawn, 2 from the cache)`, `1 diagram (from the cache)`, `2 diagrams (2 drawn, 1 failed)`: what the CLI prints. */
export function toRenderSummary(stats: RenderStats): string {
  const parts: string[] = [];
  if (stats.rendered > 0) parts.push(`${stats.rendered} drawn`);
  if (stats.cached > 0) parts.push(stats.rendered > 0 || stats.failed > 0 ? `${stats.cached} from the cache` : 'from the cache');
  if (stats.failed > 0) parts.push(`${stats.failed} failed`);
  return `${stats.diagrams} ${stats.diagrams === 1 ? 'diagram' : 'diagrams'} (${parts.join(', ')})`;
}
