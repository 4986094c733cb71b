import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { readPublishedBook } from '../../terminal/read-published-book.ts';
import { serveTerminal, type TerminalServer } from '../../terminal/serve-terminal.ts';
import { toPairingUrl } from '../../terminal/to-pairing-url.ts';
import { UsageError } from '../errors.ts';
import { parseFlags } from '../parse-flags.ts';
import { openBrowser } from '../serve-options.ts';

const USAGE = 'usage: bookrun connect BOOK_URL [--port N] [--no-open] [--cwd DIR]';

/**
 * `bookrun connect BOOK_URL`, for readers of a published book: fetches the plans the book published, starts the
 * loopback terminal server trusting exactly BOOK_URL's origin (and running only those plans' steps), prints one
 * line `bookrun: URL` (BOOK_URL with the pairing in its fragment) and opens it. Needs no bookrun.yaml. Runs until
 * ctrl+c (SIGINT) or SIGTERM, then ends every shell it started.
 */
export default async function connect(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      port: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      cwd: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`which book? pass its address, as your browser shows it\n${USAGE}`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}: one BOOK_URL only\n${USAGE}`);
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port ${values.port}: expected a port number from 0 (any free one) to 65535\n${USAGE}`);
  }
  const cwd = path.resolve(values.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UsageError(`--cwd ${values.cwd}: no such folder: the shells start there`);

  // Before anything listens: an unreachable book, or one without plans, is the reader's to fix (exit 2).
  const published = await readPublishedBook(positionals[0]!);

  let server: TerminalServer;
  try {
    server = await serveTerminal({ host: '127.0.0.1', port, cwd, book: null, published });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use: pick another with --port N (or leave it out for any free one)`);
    if (code === 'EACCES') throw new UsageError(`port ${port} needs privileges: pick one above 1023 with --port N`);
    throw error;
  }
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
  });
  const url = toPairingUrl(published.url, server.port, server.token);
  console.log(`bookrun: ${url}`);
  const chapters = published.plans.size;
  console.error(`bookrun: ${chapters} chapter${chapters === 1 ? '' : 's'} of "${published.index.title}"; shells start in ${cwd}; only ${published.origin} can use them. Stop with ctrl+c.`);
  const opened = values['no-open'] ? null : openBrowser(url);

  await stopped;
  console.error('bookrun: stopping: ending every shell');
  await server.close();
  opened?.dispose();
  return 0;
}
