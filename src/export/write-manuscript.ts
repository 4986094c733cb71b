import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Manuscript, ManuscriptFinding } from './to-manuscript.ts';

/**
 * Writes a planned manuscript into `outDir` and copies its images from the book root. Images that do not
 * exist are returned as findings (nothing is half-copied: the files are checked first).
 */
export async function writeManuscript(manuscript: Manuscript, root: string, outDir: string): Promise<ManuscriptFinding[]> {
  const missing: ManuscriptFinding[] = manuscript.images
    .filter((image) => !existsSync(path.join(root, image.from)))
    .map((image) => ({ file: image.file, line: image.line, rule: 'image-missing', message: `image ${image.from} does not exist: add it or fix the path` }));
  for (const file of manuscript.files) {
    const target = path.join(outDir, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
  for (const image of manuscript.images) {
    const from = path.join(root, image.from);
    if (!existsSync(from)) continue;
    const target = path.join(outDir, image.to);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(from, target);
  }
  return missing;
}
