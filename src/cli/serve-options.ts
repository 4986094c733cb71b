import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { readBook, type Book } from '../book/read-book.ts';
import { defaultRuntimeDir, openRuntimeDir } from '../terminal/runtime-dir.ts';
import { serveTerminal, type TerminalServer, type ServeTerminalOptions } from '../terminal/serve-terminal.ts';
import { writeOpenFile } from '../terminal/write-open-file.ts';
import { UsageError } from './errors.ts';
import { parseFlags } from './parse-flags.ts';

/** What `bookrun serve` and `bookrun dev` take: the same flags, checked the same way (`bookrun connect` shares the checks). */
export interface ServeOptions {
  port: number;
  open: boolean;
  /** Absolute folder the shells start in. */
  cwd: string;
  book: Book;
}

/**
 * Parses `[--port N] [--no-open] [--cwd DIR] [--config FILE]`; `defaultPort` is used without `--port`
 * and `minPort` is the lowest port accepted (0 means "any free one"). Bad input throws {@link UsageError}, `--help`
 * `HelpRequested`.
 */
export async function parseServeOptions(args: string[], usage: string, defaultPort: number, minPort: number): Promise<ServeOptions> {
  const { values, positionals } = parseFlags(
    args,
    {
      port: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      cwd: { type: 'string' },
      config: { type: 'string' },
    },
    usage,
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}\n${usage}`);
  const port = checkPort(values.port, usage, defaultPort, minPort);
  const cwd = checkShellFolder(values.cwd);
  const book = await readBook({ config: values.config });
  return { port, open: !values['no-open'], cwd, book };
}

/** `--port N` as a number (`defaultPort` without it); below `minPort` or above 65535 throws {@link UsageError}. */
export function checkPort(value: string | undefined, usage: string, defaultPort: number, minPort: number): number {
  if (value === undefined) return defaultPort;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < minPort || port > 65535) {
    throw new UsageError(`--port ${value}: expected a port number from ${minPort}${minPort === 0 ? ' (any free one)' : ''} to 65535\n${usage}`);
  }
  return port;
}

/** `--cwd DIR` (default: the current folder) as an absolute folder that exists: the shells start there. */
export function checkShellFolder(value: string | undefined): string {
  const cwd = path.resolve(value ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UsageError(`--cwd ${value}: no such folder: the shells start there`);
  return cwd;
}

/**
 * Starts the terminal server on `options.port`, a port in use or needing privileges being the user's to fix
 * (exit 2, `anyPort` saying how to ask for any free one).
 */
export async function listenTerminal(options: ServeTerminalOptions, anyPort: string): Promise<TerminalServer> {
  try {
    return await serveTerminal(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${options.port} is in use: pick another with --port N (${anyPort})`);
    if (code === 'EACCES') throw new UsageError(`port ${options.port} needs privileges: pick one above 1023 with --port N`);
    throw error;
  }
}

/**
 * Resolves at the first ctrl+c (SIGINT), SIGTERM or SIGHUP. Listen before the URL is out: a SIGTERM right after
 * it must still end every shell.
 */
export function untilStopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
  });
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
