/**
 * The site of this repository's example book. A book needs no Docusaurus config of its own: `bookrun build`
 * and `bookrun dev` use the one the bookrun package ships, unless the book's root holds a
 * `docusaurus.config.*` (an override, found as Docusaurus finds it). This one is the package's config
 * unchanged, the way an author starts an override (installed: `bookrun/dist/site/docusaurus-config.js`).
 */
export { default } from './src/site/docusaurus-config.ts';
