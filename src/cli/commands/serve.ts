import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { listenTerminal, openBrowser, parseServeOptions, untilStopSignal } from '../serve-options.ts';

const USAGE = 'usage: bookrun serve [--port N] [--no-open] [--cwd DIR] [--config FILE]';

/**
 * `bookrun serve`: the built book and a locked-down local terminal from one loopback origin. Runs until
 * ctrl+c (SIGINT) or SIGTERM, then ends every shell it started.
 */
export default async function serve(args: string[]): Promise<number> {
  const options = await parseServeOptions(args, USAGE, 0, 0);
  const { port, cwd, book } = options;
  const staticDir = path.join(book.root, 'build');
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new UsageError(`${path.relative(process.cwd(), staticDir) || 'build'}: no built site here: run npx bookrun build first`);
  }

  const server = await listenTerminal({ host: '127.0.0.1', port, cwd, staticDir, book }, 'or --port 0 for any free one');
  const stopped = untilStopSignal();
  console.log(`bookrun: ${server.url}`);
  console.log(`bookrun: shells start in ${cwd}; only this machine can connect, with the token in the URL. Stop with ctrl+c.`);
  const opened = options.open ? openBrowser(server.url) : null;

  await stopped;
  console.log('bookrun: stopping: ending every shell');
  await server.close();
  opened?.dispose();
  return 0;
}
