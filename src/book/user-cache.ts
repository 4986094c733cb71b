import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * bookrun's folder in the user's own cache folder (`$XDG_CACHE_HOME/bookrun`, else `~/.cache/bookrun`): what
 * only this user's bookrun may write, as opposed to a book's `.bookrun/`, which arrives with a clone of anyone's
 * repository. Null with `BOOKRUN_CACHE=off`.
 */
export function userCacheDir(): string | null {
  if (process.env.BOOKRUN_CACHE === 'off') return null;
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'bookrun');
}

/** Makes `dir` (and its parents) and keeps it private (0700). */
export function makePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** The key of each cache folder this process used (a test may point `XDG_CACHE_HOME` elsewhere). */
const keys = new Map<string, string | null>();

/**
 * A random key of this user's (`key` in {@link userCacheDir}, 0600, made on first use), which the chapter cache
 * puts into the name of every entry: an entry someone else wrote into a book's `.bookrun/cache/` (committed with
 * `git add -f` and cloned) is never looked up, so what a command takes from the cache (the steps `bookrun run`
 * types) is what this user's bookrun parsed. Null when the folder cannot be read or written: the cache is off.
 */
export function userCacheKey(): string | null {
  const dir = userCacheDir();
  if (!dir) return null;
  if (!keys.has(dir)) keys.set(dir, readOrMakeKey(dir));
  return keys.get(dir)!;
}

function readOrMakeKey(dir: string): string | null {
  const file = path.join(dir, 'key');
  const read = () => {
    const text = readFileSync(file, 'utf8').trim();
    return /^[0-9a-f]{64}$/.test(text) ? text : null;
  };
  try {
    return read();
  } catch {
    // none yet
  }
  try {
    makePrivateFolder(dir);
    // Made whole beside it, then linked into place: two processes making it at once agree on the first.
    const temp = path.join(dir, `.key-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    writeFileSync(temp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
    return read();
  } catch (error) {
    if (process.env.BOOKRUN_DEBUG) console.error(`bookrun: no cache (its key cannot be kept in ${dir}): ${(error as Error).message}`);
    return null;
  }
}
