import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options of {@link buildSite}. */
export interface BuildSiteOptions {
  /** The book config (bookrun.yaml) whose chapters make the site. */
  config: string;
  /** Output folder; default a new temporary one. */
  outDir?: string;
  /** `dev` shows author notes and the status box; default `prod`. */
  mode?: 'dev' | 'prod';
  /** False builds without the bookrun remark plugin (the bench's baseline). */
  plugin?: boolean;
}

const siteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Builds the book site with `docusaurus build` in a child process, with its own generated-files folder so
 * parallel builds (tests, bench, `npm run build`) never share `.docusaurus/`. Resolves to the output folder;
 * rejects with the build's output when it fails.
 */
export function buildSite(options: BuildSiteOptions): Promise<string> {
  const outDir = options.outDir ?? mkdtempSync(path.join(os.tmpdir(), 'bookrun-site-'));
  // Outside node_modules: the bundler's persistent cache takes anything there for immutable packages and
  // would serve another build's routes. Docusaurus joins the name to the site folder, hence relative.
  const generatedDir = mkdtempSync(path.join(os.tmpdir(), 'bookrun-site-generated-'));
  const generated = path.relative(siteDir, generatedDir);
  const env = {
    ...process.env,
    BOOKRUN_CONFIG: path.resolve(options.config),
    BOOKRUN_SITE_MODE: options.mode ?? 'prod',
    BOOKRUN_SITE_PLUGIN: options.plugin === false ? 'off' : 'on',
    DOCUSAURUS_GENERATED_FILES_DIR_NAME: generated,
    NODE_ENV: 'production',
    // The bundler's persistent cache is shared by every build of this site folder and keeps resolutions
    // of `@generated/…` from other builds (another book's routes): never use it here.
    DOCUSAURUS_NO_PERSISTENT_CACHE: 'true',
  };
  const bin = path.join(siteDir, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'build', '--out-dir', outDir, '--no-minify'], { cwd: siteDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(generatedDir, { recursive: true, force: true });
      if (code === 0) resolve(outDir);
      else reject(new Error(`docusaurus build failed (exit ${code}):\n${output.slice(-4000)}`));
    });
  });
}
