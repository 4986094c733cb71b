import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { toVariantCss, toVariantScript } from './to-variant-css.ts';

/** Options of {@link bookrunSitePlugin}. */
export interface BookrunSiteOptions {
  variants: string[];
  defaultVariant: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The bookrun Docusaurus plugin: the variant CSS and the pre-paint variant script in <head>, and the
 * theme components that mount the variant picker on chapters and the terminal panel on every page.
 */
export default function bookrunSitePlugin(_context: LoadContext, options: BookrunSiteOptions): Plugin {
  return {
    name: 'bookrun-site',
    getThemePath: () => path.join(here, 'theme'),
    getClientModules: () => [path.join(here, 'client/site.css')],
    injectHtmlTags: () => ({
      headTags: [
        { tagName: 'style', attributes: { 'data-bookrun': 'variants' }, innerHTML: toVariantCss(options.variants, options.defaultVariant) },
        { tagName: 'script', innerHTML: toVariantScript(options.variants, options.defaultVariant) },
      ],
    }),
  };
}
