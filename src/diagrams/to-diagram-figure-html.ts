import { escapeHtml } from '../export/escape-html.ts';

/**
 * A drawn diagram as the site shows it: the SVG as an image of its own (a `data:` URL, so there is nothing to
 * load and nothing for the page's scripts or the HTML minifier to touch: an inline SVG's `<style>` would be
 * rewritten by the minifier and no longer match what React hydrates), scaled down to the column on a phone,
 * on a white ground of its own (mermaid draws dark text on no background, and the site has a dark mode),
 * with the figure's caption under it and as the image's text alternative.
 */
export function toDiagramFigureHtml(svg: string, caption: string | null, id?: string | null): string {
  const figureId = id ? ` id="${escapeHtml(id)}"` : '';
  const body = svg.replace(/^<\?xml[^>]*>\s*/, '');
  const size = /^<svg\b[^>]*?\swidth="(\d+)"[^>]*?\sheight="(\d+)"/.exec(body);
  const dimensions = size ? ` width="${size[1]}" height="${size[2]}"` : '';
  const src = `data:image/svg+xml;base64,${Buffer.from(body, 'utf8').toString('base64')}`;
  const alt = escapeHtml(caption ?? 'Diagram');
  return `<figure class="bookrun-diagram"${figureId} style="margin:1.5rem 0;text-align:center"><img src="${src}" alt="${alt}"${dimensions} style="box-sizing:border-box;max-width:100%;height:auto;background:#fff;border-radius:6px;padding:8px" />${caption ? `<figcaption style="font-size:0.9em;opacity:0.8;margin-top:0.5rem">${escapeHtml(caption)}</figcaption>` : ''}</figure>`;
}
