import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** The name of a temporary file beside `file`: same folder (so the rename is atomic), hidden, unique. */
export function tempFileBeside(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.bookrun-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `file` atomically: into a new temporary file in the same folder (mode `mode`), flushed,
 * then renamed over `file` (`durable: false` skips the flush, for files a power cut may lose: caches). A reader sees the old file or the new one, never half of one; a failed write
 * leaves the old file as it was and no temporary file behind.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: { mode?: number; durable?: boolean } = {}): Promise<void> {
  const temp = tempFileBeside(file);
  // `wx`: never follow a planted symlink or reuse a file someone else made.
  const handle = await open(temp, 'wx', options.mode ?? 0o644);
  try {
    try {
      await handle.writeFile(data);
      // Flushed to disk before the rename, unless the caller can lose it (a cache: a lost entry is a miss).
      if (options.durable !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * {@link writeFileAtomic} for a file a power cut may lose (a cache), done synchronously: atomic the same way
 * (a new temporary file, then a rename), never flushed. For small files written as a command ends, where the
 * thread pool's round trips cost more than the writes.
 */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: { mode?: number } = {}): void {
  const temp = tempFileBeside(file);
  const fd = openSync(temp, 'wx', options.mode ?? 0o644);
  try {
    try {
      writeFileSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
