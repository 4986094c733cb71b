import { describe, expect, it } from 'vitest';
import { toStandaloneSvg } from './to-standalone-svg.ts';

describe('toStandaloneSvg', () => {
  it('gives the SVG its own size, drops the page-only style and mermaid\'s data-points, rounds the geometry', () => {
    const svg = '<svg id="m" width="100%" xmlns="http://www.w3.org/2000/svg" style="max-width: 556.0859375px;" viewBox="0.000003814697265625 0 556.0859375 159.984375"><path d="M120.52262141842368,162.0859375L124.6" data-points="W3sieCI6MT" style="stroke-width: 1;"/><text x="12.5" y="-0.1em">x 1.23456</text></svg>';
    expect(toStandaloneSvg(svg)).toBe(
      '<svg width="557" height="160" id="m" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 556.09 159.98"><path d="M120.52,162.09L124.6" style="stroke-width: 1;"/><text x="12.5" y="-0.1em">x 1.23456</text></svg>',
    );
  });

  it('leaves an SVG without a viewBox as mermaid drew it', () => {
    expect(toStandaloneSvg('<svg width="100%"><g/></svg>')).toBe('<svg width="100%"><g/></svg>');
  });
});
