import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Whether this code runs compiled (the installed package: `dist/`, built at pack time) or from the
 * TypeScript sources (this repository, through tsx or Docusaurus's loader).
 */
export const COMPILED = !fileURLToPath(import.meta.url).endsWith('.ts');

/** The bookrun package's own folder: the one holding its package.json, found upwards from this file. */
function findPackageRoot(): string {
  let dir = here;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'bookrun') return dir;
      } catch {
        // not ours
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`bookrun: cannot find the bookrun package above ${here}`);
    dir = parent;
  }
}

/** Absolute path of the bookrun package (this repository, or `node_modules/bookrun`). */
export const PACKAGE_ROOT = findPackageRoot();

/**
 * A file of the package: `source` (relative to `src/`) when running from source, its compiled twin under
 * `dist/` otherwise (`.ts`/`.tsx` become `.js`; other files are copied as they are).
 */
export function packageFile(source: string): string {
  if (!COMPILED) return path.join(PACKAGE_ROOT, 'src', source);
  return path.join(PACKAGE_ROOT, 'dist', source.replace(/\.tsx?$/, '.js'));
}

/** The Docusaurus config the package ships: every book's site is built with it (siteDir = the book's root). */
export const SITE_CONFIG_FILE = packageFile('site/docusaurus-config.ts');

/** The package's static files (the favicon), served before the book's own `static/`. */
export const PACKAGE_STATIC_DIR = COMPILED ? path.join(PACKAGE_ROOT, 'dist', 'static') : path.join(PACKAGE_ROOT, 'static');

const require = createRequire(import.meta.url);

/** `@docusaurus/core`'s folder, wherever npm put it (hoisted into the book's node_modules, or under ours). */
export function docusaurusCoreDir(): string {
  return path.dirname(require.resolve('@docusaurus/core/package.json'));
}

/** Docusaurus's CLI. */
export function docusaurusBin(): string {
  return path.join(docusaurusCoreDir(), 'bin', 'docusaurus.mjs');
}

/**
 * Where Docusaurus runs: the folder whose `node_modules` holds `@docusaurus/core`. Its bundler looks up
 * packages (react, the theme) from the working folder, and the files it generates sit in a temporary
 * folder with no `node_modules` above them.
 */
export function docusaurusCwd(): string {
  return path.resolve(docusaurusCoreDir(), '..', '..', '..');
}

/** The package's version (package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The environment a Docusaurus child process of bookrun's needs beside its own: `NODE_PATH` names the
 * node_modules holding Docusaurus, because Docusaurus resolves React from the site folder (the book's root),
 * and a book need not have a node_modules of its own (a book in a temporary folder, bookrun installed elsewhere).
 */
export function docusaurusEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const modules = path.join(docusaurusCwd(), 'node_modules');
  return { ...env, NODE_PATH: [modules, ...(env.NODE_PATH ? [env.NODE_PATH] : [])].join(path.delimiter) };
}
