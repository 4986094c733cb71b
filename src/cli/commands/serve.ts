import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readBook } from '../../book/read-book.ts';
import { serveTerminal, type TerminalServer } from '../../terminal/serve-terminal.ts';
import { UsageError } from '../errors.ts';

const USAGE = 'usage: bookrun serve [--port N] [--no-open] [--cwd DIR] [--config FILE]';

/** Opens `url` in the reader's browser when an opener exists; never fails. */
function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? null : 'xdg-open';
  if (!opener) return;
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {
      console.error('bookrun: could not open a browser: open the URL above yourself');
    });
    child.unref();
  } catch {
    // no opener: the URL is printed
  }
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port ${text}: expected a port number from 0 (any free one) to 65535\n${USAGE}`);
  return port;
}

/**
 * `bookrun serve`: the built book and a locked-down local terminal from one loopback origin. Runs until
 * ctrl+c (SIGINT) or SIGTERM, then ends every shell it started.
 */
export default async function serve(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      cwd: { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}\n${USAGE}`);
  const port = parsePort(values.port);
  const cwd = path.resolve(values.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UsageError(`--cwd ${values.cwd}: no such folder: the shells start there`);
  const book = await readBook({ config: values.config });
  const staticDir = path.join(book.root, 'build');
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new UsageError(`${path.relative(process.cwd(), staticDir) || 'build'}: no built book here: run npm run build first`);
  }

  let server: TerminalServer;
  try {
    server = await serveTerminal({ host: '127.0.0.1', port, cwd, staticDir, book });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use: pick another with --port N (or --port 0 for any free one)`);
    if (code === 'EACCES') throw new UsageError(`port ${port} needs privileges: pick one above 1023 with --port N`);
    throw error;
  }
  console.log(`bookrun: ${server.url}`);
  console.log(`bookrun: shells start in ${cwd}; only this machine can connect, with the token in the URL. Stop with ctrl+c.`);
  if (!values['no-open']) openBrowser(server.url);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
  });
  console.log('bookrun: stopping: ending every shell');
  await server.close();
  return 0;
}
