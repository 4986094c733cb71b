/** Geometry attributes whose numbers mermaid writes with up to 17 digits. */
const GEOMETRY = /(\s(?:d|points|transform|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|width|height|viewBox)=")([^"]*)"/g;

/** A number rounded to 2 decimals (a hundredth of a pixel: nothing a screen or a print shows). */
function round(text: string): string {
  return text.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (n) => {
    const value = Math.round(Number(n) * 100) / 100;
    return String(Object.is(value, -0) ? 0 : value);
  });
}

/**
 * mermaid's SVG as a file of its own. mermaid sizes it for its page (`width="100%"` and a `max-width` style),
 * which an `<img>`, a PDF tool or an image viewer reads as "300 pixels wide": the drawing's own size (its
 * viewBox) becomes its width and height, and scaling down stays the embedding page's business
 * (`max-width: 100%`). Its geometry is rounded to hundredths of a pixel and the edges' `data-points` (mermaid's
 * own bookkeeping, unused by a viewer) dropped: about half the size of a flowchart, for pages that carry it.
 */
export function toStandaloneSvg(svg: string): string {
  const sized = svg.replace(/^<svg\b[^>]*>/, (open) => {
    const box = /\bviewBox="\s*[-\d.e]+[\s,]+[-\d.e]+[\s,]+([\d.e]+)[\s,]+([\d.e]+)\s*"/.exec(open);
    if (!box) return open;
    const width = Math.ceil(Number(box[1]));
    const height = Math.ceil(Number(box[2]));
    return open
      .replace(/\swidth="[^"]*"/, '')
      .replace(/\sheight="[^"]*"/, '')
      .replace(/\sstyle="max-width:\s*[\d.]+px;?"/, '')
      .replace(/^<svg\b/, `<svg width="${width}" height="${height}"`);
  });
  return sized.replace(/\sdata-points="[^"]*"/g, '').replace(GEOMETRY, (_, name: string, value: string) => `${name}${round(value)}"`);
}
