import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWriteGuard } from '../book/create-write-guard.ts';
import { readBook } from '../book/read-book.ts';
import { docusaurusBin, docusaurusCwd, docusaurusEnv } from './package-paths.ts';
import { findSiteConfig } from './find-site-config.ts';

/** Options of {@link buildSite}. */
export interface BuildSiteOptions {
  /** The book config (bookrun.yaml) whose chapters make the site. */
  config: string;
  /** Output folder; default a new temporary one. */
  outDir?: string;
  /** `dev` shows author notes and the status box; default `prod`. */
  mode?: 'dev' | 'prod';
  /** False builds without the bookrun remark plugin (the bench's baseline); default: not when `BOOKRUN_SITE_PLUGIN=off`. */
  plugin?: boolean;
  /** Gets Docusaurus's output as it comes (`bookrun build` shows it); by default it is kept for the error. */
  log?: (text: string) => void;
}

/**
 * Builds the book site with `docusaurus build` in a child process: the site folder is the book's root, the
 * config the one the bookrun package ships, and the generated files go to a folder of the build's own, so
 * parallel builds (tests, bench, `bookrun build`) never share `.docusaurus/` and the author's root stays clean. Docusaurus empties its output
 * folder first, so the folder goes through the write guard: never a source folder (nor one holding one),
 * and only a folder that is empty or holds nothing but what an earlier build listed in its manifest.
 * Resolves to the output folder; rejects with the build's output when it fails, and with an
 * `OutputRefusedError` (exit 2) before anything is deleted.
 */
export async function buildSite(options: BuildSiteOptions): Promise<string> {
  const book = await readBook({ config: options.config });
  const outDir = options.outDir ? path.resolve(options.outDir) : mkdtempSync(path.join(os.tmpdir(), 'bookrun-site-'));
  const out = await createWriteGuard(book).openFolder(outDir, { flag: 'outDir' });
  await out.checkAll();
  // Outside node_modules: the bundler's persistent cache takes anything there for immutable packages and
  // would serve another build's routes. Docusaurus joins the name to the site folder, hence relative.
  const generatedDir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-site-generated-'));
  const generated = path.relative(book.root, generatedDir);
  const env = {
    ...docusaurusEnv(),
    BOOKRUN_CONFIG: book.configFile,
    BOOKRUN_SITE_MODE: options.mode ?? 'prod',
    BOOKRUN_SITE_PLUGIN: (options.plugin ?? process.env.BOOKRUN_SITE_PLUGIN !== 'off') ? 'on' : 'off',
    DOCUSAURUS_GENERATED_FILES_DIR_NAME: generated,
    NODE_ENV: 'production',
    // The bundler's persistent cache is shared by every build of this site folder and keeps resolutions
    // of `@generated/…` from other builds (another book's routes): never use it here.
    DOCUSAURUS_NO_PERSISTENT_CACHE: 'true',
  };
  const code = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const args = [docusaurusBin(), 'build', book.root, '--config', findSiteConfig(book.root), '--out-dir', outDir, '--no-minify'];
    const child = spawn(process.execPath, args, { cwd: docusaurusCwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (d: Buffer) => {
      output += d.toString();
      options.log?.(d.toString());
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (exit) => resolve({ code: exit, output }));
  });
  rmSync(generatedDir, { recursive: true, force: true });
  // Whatever the build left there is bookrun's (it ran it), even after a failure: the next build may replace it.
  await out.adoptAll();
  if (code.code !== 0) throw new Error(`docusaurus build failed (exit ${code.code}):\n${code.output.slice(-4000)}`);
  return outDir;
}
