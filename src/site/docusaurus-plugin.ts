import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { packageFile } from './package-paths.ts';
import { toVariantCss, toVariantScript } from './to-variant-css.ts';

/** Options of {@link bookrunSitePlugin}. */
export interface BookrunSiteOptions {
  variants: string[];
  defaultVariant: string;
  /** Add the book's home page at `/` (false when the book has pages of its own in `src/pages`). */
  home?: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The bookrun Docusaurus plugin, a theme plugin: the variant CSS and the pre-paint variant script in <head>,
 * the theme components that mount the variant picker on chapters, the Copy/Run shell blocks and the terminal
 * panel on every page (they wrap the classic theme's through `@theme-init`, so a book's own `src/theme`
 * still comes first), and the book's home page.
 */
export default function bookrunSitePlugin(context: LoadContext, options: BookrunSiteOptions): Plugin {
  return {
    name: 'bookrun-site',
    getThemePath: () => path.join(here, 'theme'),
    getClientModules: () => [path.join(here, 'client', 'site.css')],
    async contentLoaded({ actions }) {
      if (options.home === false) return;
      actions.addRoute({ path: context.baseUrl, component: packageFile('site/components/home-page.tsx'), exact: true });
    },
    injectHtmlTags: () => ({
      headTags: [
        { tagName: 'style', attributes: { 'data-bookrun': 'variants' }, innerHTML: toVariantCss(options.variants, options.defaultVariant) },
        { tagName: 'script', innerHTML: toVariantScript(options.variants, options.defaultVariant) },
      ],
    }),
  };
}
