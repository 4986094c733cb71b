import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's `bin/bookrun.mjs`: tests run the real CLI, as a user would. */
export const BOOKRUN_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/bookrun.mjs');

/** What a finished `bookrun` process left: its exit code (or signal) and both streams. */
export interface BookrunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bookrun ARGS` in `cwd` as its own process (NO_COLOR set, `env` added to this process's) and
 * resolves once it has exited; `onSpawn` gets its pid (to signal it).
 */
export function runBookrun(args: string[], cwd: string, options: { env?: Record<string, string | undefined>; onSpawn?: (pid: number) => void } = {}): Promise<BookrunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BOOKRUN_BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.onSpawn?.(child.pid!);
  });
}
