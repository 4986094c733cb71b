import { link, rm } from 'node:fs/promises';
import { OutputRefusedError } from './output-refused-error.ts';
import { tempFileBeside, writeFileAtomic } from './write-file-atomic.ts';

/**
 * Writes a file that must not exist yet (`bookrun init`'s bookrun.yaml), atomically and without ever
 * replacing one: the content goes to a temporary file beside it, which is then hard-linked to the name
 * (the link fails when the name exists, even when it appeared a moment ago) and removed. Throws
 * {@link OutputRefusedError} (exit 2) when the file exists.
 */
export async function writeNewFile(file: string, data: string, options: { shown: string; instead: string }): Promise<void> {
  const temp = tempFileBeside(file);
  await writeFileAtomic(temp, data);
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new OutputRefusedError(options.shown, `exists: ${options.instead}`);
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}
