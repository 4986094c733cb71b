import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Creates `dir` and its missing parents, one at a time, with `mode`. Unlike `mkdir -p` in Node
 * (`recursive: true`), which loops forever on some paths under /proc, it fails at once where a folder
 * cannot be made: the nearest existing ancestor is not a folder (ENOTDIR), or the file system refuses.
 */
export async function makeFolders(dir: string, mode = 0o777): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    try {
      const found = await stat(at);
      if (!found.isDirectory()) throw Object.assign(new Error(`${at} is not a folder`), { code: 'ENOTDIR', path: at });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.unshift(at);
      const parent = path.dirname(at);
      if (parent === at) throw error;
      at = parent;
    }
  }
  for (const folder of missing) {
    try {
      await mkdir(folder, { mode });
    } catch (error) {
      // Another writer made it in between: that is what we wanted.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
