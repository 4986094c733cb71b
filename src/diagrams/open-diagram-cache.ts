import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { WriteGuard } from '../book/create-write-guard.ts';
import { BOOKRUN_DIR } from '../book/ensure-bookrun-folder.ts';
import type { OutputFolder } from '../book/open-output-folder.ts';

/** What is cached of one diagram: its SVG, its PNG, or the error mermaid gave for it. */
export type CachedFormat = 'svg' | 'png' | 'error';

/** The drawings of a book's diagrams by cache key, under `.bookrun/diagrams/`. */
export interface DiagramCache {
  /** Absolute folder. */
  readonly dir: string;
  read(key: string, format: CachedFormat): Promise<Buffer | null>;
  write(key: string, format: CachedFormat, data: string | Uint8Array): Promise<void>;
}

/** `.bookrun/diagrams` of a book root. */
export function diagramCacheDir(root: string): string {
  return path.join(root, BOOKRUN_DIR, 'diagrams');
}

const EXTENSION: Record<CachedFormat, string> = { svg: '.svg', png: '.png', error: '.error.txt' };

/**
 * Opens the book's diagram cache, `.bookrun/diagrams/<key>.svg|.png|.error.txt`, through the write guard (its
 * manifest lists every drawing; writes are atomic, so a crash never leaves half a PNG to be served later).
 * Reading needs no guard: a missing or unreadable file is a miss.
 */
export async function openDiagramCache(root: string, guard: WriteGuard): Promise<DiagramCache> {
  const dir = diagramCacheDir(root);
  let folder: OutputFolder | null = null;
  return {
    dir,
    async read(key, format) {
      try {
        return await readFile(path.join(dir, key + EXTENSION[format]));
      } catch {
        return null;
      }
    },
    async write(key, format, data) {
      // Opened on the first write: a book whose drawings are all cached never touches the folder.
      folder ??= await guard.openFolder(dir, { flag: "the chapters out of .bookrun/ (bookrun's own folder), or" });
      await folder.write(key + EXTENSION[format], data);
    },
  };
}
