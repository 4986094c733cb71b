import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { docusaurusBin, docusaurusCwd, docusaurusEnv, packageFile } from '../../site/package-paths.ts';
import { findSiteConfig } from '../../site/find-site-config.ts';
import { serveTerminal, type TerminalServer } from '../../terminal/serve-terminal.ts';
import { UsageError } from '../errors.ts';
import { openBrowser, parseServeOptions } from '../serve-options.ts';

const USAGE = 'usage: bookrun dev [--port N] [--no-open] [--cwd DIR] [--config FILE]';

/** Preloaded into the dev server: it ends itself when `bookrun dev` is gone, even after a SIGKILL. */
const watchdog = pathToFileURL(packageFile('cli/exit-with-parent.mjs')).href;

/** Waits until the dev server answers on its port (or the child exits). */
async function waitForDevServer(child: ChildProcess, url: string): Promise<boolean> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const response = await fetch(url);
      if (response.status < 500) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits for the dev server's group to end after SIGTERM; SIGKILL to the group after 10 s. */
async function childEnded(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const pid = child.pid;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * `bookrun dev` (what `npm start` runs): the Docusaurus dev server (author notes and the chapter status box
 * shown) and the local terminal server together. The page gets the terminal's token in the URL fragment
 * bookrun prints (and opens), and the terminal server allows the dev server's origin.
 */
export default async function dev(args: string[]): Promise<number> {
  const options = await parseServeOptions(args, USAGE, 3000, 1);
  const { port, cwd, book } = options;
  const devOrigins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];

  let server: TerminalServer;
  try {
    server = await serveTerminal({ host: '127.0.0.1', port: 0, cwd, book, allowedOrigins: devOrigins });
  } catch (error) {
    throw new UsageError(`cannot start the terminal server: ${(error as Error).message}`);
  }

  // A generated-files folder of this dev server's own, so `bookrun build` can run beside it without swapping
  // the dev site's config for the production one, and the author's root gets no `.docusaurus/`. Docusaurus
  // joins the name to the site folder (the book's root), hence relative.
  const generated = mkdtempSync(path.join(os.tmpdir(), 'bookrun-dev-generated-'));
  const argv = ['--import', watchdog, docusaurusBin(), 'start', book.root, '--config', findSiteConfig(book.root), '--port', String(port), '--host', 'localhost', '--no-open'];
  const child = spawn(process.execPath, argv, {
    cwd: docusaurusCwd(),
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
    env: {
      ...docusaurusEnv(),
      NODE_ENV: 'development',
      BOOKRUN_SITE_MODE: 'dev',
      BOOKRUN_CONFIG: book.configFile,
      BOOKRUN_TERMINAL_URL: `ws://127.0.0.1:${server.port}/terminal`,
      BOOKRUN_DEV_GENERATED: generated,
      DOCUSAURUS_GENERATED_FILES_DIR_NAME: path.relative(book.root, generated),
      // Nor the bundler's persistent cache (node_modules/.cache), which builds of other books and modes
      // share; the dev server keeps its cache in memory (starting takes about a second longer).
      DOCUSAURUS_NO_PERSISTENT_CACHE: 'true',
    },
  });
  const stopChild = () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };

  const pageUrl = `http://localhost:${port}/#token=${server.token}`;
  void waitForDevServer(child, `http://localhost:${port}/`).then((up) => {
    if (!up) return;
    console.log(`bookrun: ${pageUrl}`);
    console.log(`bookrun: shells start in ${cwd}; terminal server on 127.0.0.1:${server.port}. Stop with ctrl+c.`);
    if (options.open) openBrowser(pageUrl);
  });

  const code = await new Promise<number>((resolve) => {
    child.once('exit', (exitCode) => resolve(exitCode ?? 0));
    const stop = () => {
      stopChild();
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
  });
  stopChild();
  console.log('bookrun: stopping: ending every shell');
  await Promise.all([server.close(), childEnded(child)]);
  rmSync(generated, { recursive: true, force: true });
  return code;
}
