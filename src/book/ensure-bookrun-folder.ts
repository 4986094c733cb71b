import { chmod, mkdir, open } from 'node:fs/promises';
import path from 'node:path';

/** bookrun's own folder in a book: session state, saved reports, caches. */
export const BOOKRUN_DIR = '.bookrun';

/**
 * Makes `.bookrun/` in the book root (mode 0700: state and reports are nobody else's) with a `.gitignore`
 * holding `*`, so nothing in it is ever committed by accident, whatever the book's own .gitignore says.
 * An existing `.gitignore` there is left as it is. Returns the folder's path.
 */
export async function ensureBookrunFolder(root: string): Promise<string> {
  const dir = path.join(root, BOOKRUN_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  try {
    const handle = await open(path.join(dir, '.gitignore'), 'wx', 0o600);
    await handle.writeFile('# Written by bookrun: session state and reports stay out of git.\n*\n');
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return dir;
}
