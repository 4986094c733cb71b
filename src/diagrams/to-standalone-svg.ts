/**
 * mermaid's SVG as a file of its own: mermaid sizes it for its page (`width="100%"` and a `max-width` style),
 * which an `<img>`, a PDF tool or an image viewer reads as "300 pixels wide". The drawing's own size (its
 * viewBox) becomes its width and height; scaling down stays the embedding page's business (`max-width: 100%`).
 */
export function toStandaloneSvg(svg: string): string {
  return svg.replace(/^<svg\b[^>]*>/, (open) => {
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
}
