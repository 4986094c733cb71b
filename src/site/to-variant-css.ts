/**
 * The CSS that shows each shell step only for its variants. The chosen variant is a data attribute on
 * <html> (set before first paint by {@link toVariantScript}), so switching never re-renders the page and
 * the server-rendered HTML matches the first client render (no hydration error, no layout jump).
 *
 * - `data-bookrun-only="a b"`: shown only when the chosen variant is a or b;
 * - `data-bookrun-unless="a b"`: hidden when it is a or b.
 */
export function toVariantCss(variants: string[], defaultVariant: string): string {
  const rules = variants.map(
    (v) =>
      `html[data-bookrun-variant="${v}"] [data-bookrun-only]:not([data-bookrun-only~="${v}"]),` +
      `html[data-bookrun-variant="${v}"] [data-bookrun-unless~="${v}"]{display:none!important}`,
  );
  rules.push(
    `html:not([data-bookrun-variant]) [data-bookrun-only]:not([data-bookrun-only~="${defaultVariant}"]),` +
      `html:not([data-bookrun-variant]) [data-bookrun-unless~="${defaultVariant}"]{display:none!important}`,
  );
  return rules.join('\n');
}

/** Storage key of the chosen variant (like Docusaurus Tabs' `docusaurus.tab.<groupId>`). */
export const VARIANT_STORAGE_KEY = 'bookrun.variant';

/**
 * An inline script for <head>: picks the variant the way Docusaurus Tabs with groupId + queryString do
 * (the URL's `?variant=` first, then local storage, then the book's default) and marks <html> with it.
 */
export function toVariantScript(variants: string[], defaultVariant: string): string {
  return `(function(){try{var k=${JSON.stringify(VARIANT_STORAGE_KEY)},all=${JSON.stringify(variants)},v=new URLSearchParams(location.search).get('variant');if(all.indexOf(v)<0){v=null;try{v=localStorage.getItem(k)}catch(e){}}if(all.indexOf(v)<0)v=${JSON.stringify(defaultVariant)};document.documentElement.setAttribute('data-bookrun-variant',v)}catch(e){}})();`;
}
