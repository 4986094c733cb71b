import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveTerminal, type TerminalServer } from '../../terminal/serve-terminal.ts';
import { UsageError } from '../errors.ts';
import { openBrowser, parseServeOptions } from '../serve-options.ts';

const USAGE = 'usage: bookrun dev [--port N] [--no-open] [--cwd DIR] [--config FILE]';

/** The folder holding docusaurus.config.ts: the bookrun package itself. */
const siteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

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

/**
 * `bookrun dev` (what `npm start` runs): the Docusaurus dev server (author notes and the chapter status box
 * shown) and the local terminal server together. The page gets the terminal's token in the URL fragment
 * bookrun prints (and opens), and the terminal server allows the dev server's origin.
 */
export default async function dev(args: string[]): Promise<number> {
  const options = await parseServeOptions(args, USAGE, 3000, 1);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const { port, cwd, book } = options;
  const devOrigins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];

  let server: TerminalServer;
  try {
    server = await serveTerminal({ host: '127.0.0.1', port: 0, cwd, book, allowedOrigins: devOrigins });
  } catch (error) {
    throw new UsageError(`cannot start the terminal server: ${(error as Error).message}`);
  }

  const bin = path.join(siteDir, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
  const child = spawn(process.execPath, [bin, 'start', '--port', String(port), '--host', 'localhost', '--no-open'], {
    cwd: siteDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      BOOKRUN_SITE_MODE: 'dev',
      BOOKRUN_CONFIG: path.join(book.root, path.basename(book.config.file)),
      BOOKRUN_TERMINAL_URL: `ws://127.0.0.1:${server.port}/terminal`,
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
  await server.close();
  return code;
}
