import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { InputError } from '../core/input-error.ts';

/** The runtime folder cannot be used (exit 2 from the CLI, naming the folder and what to do). */
export class RuntimeDirError extends InputError {}

/**
 * The user's bookrun runtime folder, as Jupyter keeps its runtime files: `$BOOKRUN_RUNTIME_DIR`, else
 * `$XDG_DATA_HOME/bookrun/runtime`, else `~/.local/share/bookrun/runtime`. It holds a record per running
 * terminal server and the browser-opener files, each 0600, in a 0700 folder.
 */
export function defaultRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BOOKRUN_RUNTIME_DIR) return path.resolve(env.BOOKRUN_RUNTIME_DIR);
  const data = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(env.HOME || homedir(), '.local', 'share');
  return path.join(data, 'bookrun', 'runtime');
}

/**
 * Creates the runtime folder when missing (0700) and makes sure it is ours and private (chmod 0700 when it is
 * not). Throws {@link RuntimeDirError}, naming the folder, when it cannot be used.
 */
export function openRuntimeDir(dir: string = defaultRuntimeDir()): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = statSync(dir);
    if (!stat.isDirectory()) throw new Error('not a folder');
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) throw new Error('owned by another user');
    if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  } catch (error) {
    throw new RuntimeDirError(`cannot use the runtime folder ${dir} (${(error as Error).message}): set BOOKRUN_RUNTIME_DIR to a private folder of yours`);
  }
  return dir;
}
