import { existsSync } from 'node:fs';
import path from 'node:path';
import { SITE_CONFIG_FILE } from './package-paths.ts';

/** The file names Docusaurus itself looks for in a site folder, in its order. */
const OWN_CONFIG_NAMES = ['docusaurus.config.ts', 'docusaurus.config.mts', 'docusaurus.config.js', 'docusaurus.config.mjs', 'docusaurus.config.cjs'];

/**
 * The Docusaurus config a book's site is built with: the book's own `docusaurus.config.*` in its root when it
 * has one (an override; Docusaurus's own habit), else the one the bookrun package ships.
 */
export function findSiteConfig(root: string): string {
  for (const name of OWN_CONFIG_NAMES) {
    const file = path.join(root, name);
    if (existsSync(file)) return file;
  }
  return SITE_CONFIG_FILE;
}
