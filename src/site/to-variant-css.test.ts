import { describe, expect, it } from 'vitest';
import { toDocsLayout } from './to-docs-layout.ts';
import { toVariantCss, toVariantScript } from './to-variant-css.ts';

const variants = ['gke-static', 'eks-static'];

/** Runs the <head> script against a stand-in page and returns the variant it put on <html>. */
function pick(search: string, stored: string | null): string | undefined {
  const attributes: Record<string, string> = {};
  const page = {
    location: { search },
    localStorage: { getItem: () => stored },
    document: { documentElement: { setAttribute: (k: string, v: string) => (attributes[k] = v) } },
    URLSearchParams,
  };
  new Function(...Object.keys(page), toVariantScript(variants, 'gke-static'))(...Object.values(page));
  return attributes['data-bookrun-variant'];
}

describe('toVariantScript', () => {
  it('takes the URL first, then storage, then the default, ignoring unknown names', () => {
    expect(pick('?variant=eks-static', 'gke-static')).toBe('eks-static');
    expect(pick('', 'eks-static')).toBe('eks-static');
    expect(pick('?variant=nope', 'also-nope')).toBe('gke-static');
    expect(pick('', null)).toBe('gke-static');
  });
});

describe('toVariantCss', () => {
  it('hides steps of other variants for every variant, and for the default before the script ran', () => {
    const css = toVariantCss(variants, 'gke-static');
    expect(css).toContain('html[data-bookrun-variant="eks-static"] [data-bookrun-only]:not([data-bookrun-only~="eks-static"])');
    expect(css).toContain('html:not([data-bookrun-variant]) [data-bookrun-only]:not([data-bookrun-only~="gke-static"])');
  });
});

describe('toDocsLayout', () => {
  it('serves chapters from their common folder', () => {
    expect(toDocsLayout(['docs/a.md', 'docs/b.md'])).toEqual({ dir: 'docs', include: ['a.md', 'b.md'] });
    expect(toDocsLayout(['docs/a.md', 'extra/b.md'])).toEqual({ dir: '.', include: ['docs/a.md', 'extra/b.md'] });
    expect(toDocsLayout(['book/ch/a.md'])).toEqual({ dir: 'book/ch', include: ['a.md'] });
  });
});
