/**
 * Builds the compiled JavaScript the bookrun package ships (`npm pack` runs it as `prepack`), into `dist/`:
 *
 * - `dist/bookrun.js` (+ `dist/chunks/`): the CLI, one bundle with its pure-JS dependencies inlined and every
 *   command in a chunk of its own, loaded when it runs. A whole `bookrun plan` process then loads a handful of
 *   files instead of some two hundred (remark alone is a hundred small modules): module loading was most of
 *   its time. Native and WASM packages (node-pty, sh-syntax), the site's (Docusaurus, React) and zx stay
 *   imports of the installed packages.
 * - `dist/site/**`, `dist/status/**`, … : the book site, one `.js` per source file, imports rewritten to
 *   `.js`: what Docusaurus loads (the config, the plugins, the theme components and client modules, compiled
 *   from TSX, since Docusaurus compiles nothing inside node_modules but paths naming "docusaurus").
 * - the site's CSS, the dev watchdog (`cli/exit-with-parent.mjs`) and the favicon, copied.
 *
 * `tsx scripts/build-package.ts [--out DIR]`; prints what it wrote. Failures are values: the exit code says.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');

/**
 * What the CLI bundle leaves to the installed packages: native code, WASM, the site's toolchain, and the packages
 * that load files of their own at run time (playwright-core's injected scripts, mermaid's browser bundle).
 */
const EXTERNAL = ['node-pty', 'sh-syntax', 'zx', 'ws', 'playwright-core', 'mermaid', 'dompurify', '@docusaurus/*', 'react', 'react-dom', 'prism-react-renderer', '@xterm/*'];

/** Entry points of what Docusaurus loads: the config, and the components its routes and theme name. */
const SITE_ENTRIES = [
  'site/docusaurus-config.ts',
  'site/theme/Root.tsx',
  'site/theme/DocItem/Content/index.tsx',
  'site/theme/CodeBlock/index.tsx',
  'site/theme/MDXComponents/A.tsx',
  'site/components/home-page.tsx',
  'status/book-status-page.tsx',
];

/** Assets copied as they are (relative to src/). */
const ASSETS = ['site/client/site.css', 'site/client/custom.css', 'site/client/online.css', 'cli/exit-with-parent.mjs'];

/**
 * What identifies this build: the package's version and a hash of every source file. The chapter cache
 * keys its entries with it, so a new bookrun never serves a chapter parsed by an older one.
 */
function buildId(): string {
  const hash = createHash('sha256');
  hash.update((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version);
  const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => /\.(ts|tsx|mjs|css)$/.test(f) && !f.includes('.test.')).sort();
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(path.join(src, file)));
  return hash.digest('hex').slice(0, 16);
}

/** Keeps every import an import; relative ones point to the compiled `.js` twin. */
const perFile: Plugin = {
  name: 'per-file',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (args.path.startsWith('.')) return { path: args.path.replace(/\.tsx?$/, '.js'), external: true };
      return { path: args.path, external: true };
    });
  },
};

/** The source files the site's entries reach (through relative imports), found by a bundling pass. */
async function siteSources(): Promise<string[]> {
  const result = await build({
    entryPoints: SITE_ENTRIES.map((e) => path.join(src, e)),
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    outdir: path.join(root, 'dist-unused'),
    packages: 'external',
    external: ['*.css'],
    jsx: 'automatic',
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs)
    .map((input) => path.resolve(root, input))
    .filter((file) => file.startsWith(src + path.sep) && /\.tsx?$/.test(file));
}

export async function buildPackage(out = path.join(root, 'dist')): Promise<{ ok: true; files: number } | { ok: false; message: string }> {
  try {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const define = { __BOOKRUN_BUILD_ID__: JSON.stringify(buildId()) };
    // The parser on its own, as CommonJS: src/book/load-parse-chapter.ts runs it through vm.Script with V8's
    // code cached from an earlier process (ES modules get no code cache in Node 20).
    const parser = await build({
      entryPoints: [path.join(src, 'core/parse-chapter.ts')],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20.19',
      outfile: path.join(out, 'parser', 'parse-chapter.cjs'),
      legalComments: 'linked',
      define,
      metafile: true,
      logLevel: 'warning',
    });
    const cli = await build({
      entryPoints: { bookrun: path.join(src, 'cli/bin.ts') },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20.19',
      outdir: out,
      chunkNames: 'chunks/[name]-[hash]',
      external: EXTERNAL,
      // CommonJS dependencies bundled into ESM still call require() for Node's own modules.
      banner: { js: "import { createRequire as __bookrunCreateRequire } from 'node:module'; const require = __bookrunCreateRequire(import.meta.url);" },
      legalComments: 'linked',
      // Chunks sit in dist/chunks/; the parser's bundle in dist/parser/.
      define: { ...define, __BOOKRUN_PARSER_BUNDLE__: JSON.stringify('../parser/parse-chapter.cjs') },
      metafile: true,
      logLevel: 'warning',
    });
    const sources = await siteSources();
    const site = await build({
      entryPoints: sources,
      outbase: src,
      outdir: out,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'es2022',
      jsx: 'automatic',
      plugins: [perFile],
      define,
      metafile: true,
      logLevel: 'warning',
    });
    for (const asset of ASSETS) cpSync(path.join(src, asset), path.join(out, asset));
    cpSync(path.join(root, 'static', 'img', 'favicon.svg'), path.join(out, 'static', 'img', 'favicon.svg'));
    writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
    const files = Object.keys(parser.metafile.outputs).length + Object.keys(cli.metafile.outputs).length + Object.keys(site.metafile.outputs).length + ASSETS.length + 2;
    return { ok: true, files };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const out = at > 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]!) : path.join(root, 'dist');
  const result = await buildPackage(out);
  if (!result.ok) {
    console.error(`build-package: ${result.message}`);
    process.exit(1);
  }
  console.log(`build-package: wrote ${result.files} files to ${path.relative(process.cwd(), out) || '.'}${existsSync(path.join(out, 'bookrun.js')) ? '' : ' (no CLI bundle?)'}`);
}
