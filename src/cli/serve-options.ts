import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { readBook, type Book } from '../book/read-book.ts';
import { UsageError } from './errors.ts';
import { parseFlags } from './parse-flags.ts';

/** What `bookrun serve` and `bookrun dev` take: the same flags, checked the same way. */
export interface ServeOptions {
  help: boolean;
  port: number;
  open: boolean;
  /** Absolute folder the shells start in. */
  cwd: string;
  book: Book;
}

/**
 * Parses `[--port N] [--no-open] [--cwd DIR] [--config FILE]`; `defaultPort` is used without `--port`
 * and `minPort` is the lowest port accepted (0 means "any free one"). Bad input throws {@link UsageError}.
 */
export async function parseServeOptions(args: string[], usage: string, defaultPort: number, minPort: number): Promise<ServeOptions | { help: true }> {
  const { values, positionals } = parseFlags(
    args,
    {
      port: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      cwd: { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) return { help: true };
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}\n${usage}`);
  let port = defaultPort;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < minPort || port > 65535) {
      throw new UsageError(`--port ${values.port}: expected a port number from ${minPort}${minPort === 0 ? ' (any free one)' : ''} to 65535\n${usage}`);
    }
  }
  const cwd = path.resolve(values.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UsageError(`--cwd ${values.cwd}: no such folder: the shells start there`);
  const book = await readBook({ config: values.config });
  return { help: false, port, open: !values['no-open'], cwd, book };
}

/** Opens `url` in the reader's browser when an opener exists; never fails (the URL is printed anyway). */
export function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? null : 'xdg-open';
  if (!opener) return;
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => console.error('bookrun: could not open a browser: open the URL above yourself'));
    child.unref();
  } catch {
    // no opener: the URL is printed
  }
}
