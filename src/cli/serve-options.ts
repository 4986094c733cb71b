import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { readBook, type Book } from '../book/read-book.ts';
import { defaultRuntimeDir, openRuntimeDir } from '../terminal/runtime-dir.ts';
import { writeOpenFile } from '../terminal/write-open-file.ts';
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

/** The opener file {@link openBrowser} wrote; `dispose` removes it (the server stopped). */
export interface OpenedBrowser {
  /** The 0600 file the opener was given (null when there is no opener here or it could not be written). */
  file: string | null;
  dispose(): void;
}

/**
 * Opens `url` (which holds the token) in the reader's browser without ever putting it in a process's arguments,
 * where `ps` shows it to every user of the machine: writes `open-PORT.html` (0600) in the runtime folder, a page
 * that sends the browser on to `url`, and hands the opener (`xdg-open`, `open`) that file's path, as Jupyter does.
 * The file is removed by `dispose`, when this process exits, or (after a crash) by the next server. Never fails:
 * the URL is printed anyway.
 */
export function openBrowser(url: string, options: { runtimeDir?: string } = {}): OpenedBrowser {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? null : 'xdg-open';
  if (!opener) return { file: null, dispose: () => undefined };
  let file: string;
  try {
    file = writeOpenFile(openRuntimeDir(options.runtimeDir ?? defaultRuntimeDir()), url);
  } catch (error) {
    console.error(`bookrun: could not open a browser (${(error as Error).message}): open the URL above yourself`);
    return { file: null, dispose: () => undefined };
  }
  const remove = () => rmSync(file, { force: true });
  process.once('exit', remove);
  try {
    const child = spawn(opener, [file], { stdio: 'ignore', detached: true });
    child.on('error', () => console.error('bookrun: could not open a browser: open the URL above yourself'));
    child.unref();
  } catch {
    // no opener: the URL is printed
  }
  return {
    file,
    dispose() {
      process.off('exit', remove);
      remove();
    },
  };
}
