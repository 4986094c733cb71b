import { readPublishedBook } from '../../terminal/read-published-book.ts';
import { toPairingUrl } from '../../terminal/to-pairing-url.ts';
import { UsageError } from '../errors.ts';
import { parseFlags } from '../parse-flags.ts';
import { checkPort, checkShellFolder, listenTerminal, openBrowser, untilStopSignal } from '../serve-options.ts';

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
    },
    USAGE,
  );
  if (positionals.length === 0) throw new UsageError(`which book? pass its address, as your browser shows it\n${USAGE}`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}: one BOOK_URL only\n${USAGE}`);
  const port = checkPort(values.port, USAGE, 0, 0);
  const cwd = checkShellFolder(values.cwd);

  // Before anything listens: an unreachable book, or one without plans, is the reader's to fix (exit 2).
  const published = await readPublishedBook(positionals[0]!);

  const server = await listenTerminal({ host: '127.0.0.1', port, cwd, book: null, published }, 'or leave it out for any free one');
  const stopped = untilStopSignal();
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
