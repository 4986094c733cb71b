import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { OutputFolder } from '../book/open-output-folder.ts';
import type { Manuscript, ManuscriptFinding } from './to-manuscript.ts';

/**
 * Writes a planned manuscript into the output folder `out` (opened through the write guard) and copies its
 * images from the book root. Images that do not exist are returned as findings. Nothing is half-written:
 * the images are looked for and every target is checked to be bookrun's before the first file is written.
 */
export async function writeManuscript(manuscript: Manuscript, root: string, out: OutputFolder): Promise<ManuscriptFinding[]> {
  const missing: ManuscriptFinding[] = manuscript.images
    .filter((image) => !existsSync(path.join(root, image.from)))
    .map((image) => ({ file: image.file, line: image.line, rule: 'image-missing', message: `image ${image.from} does not exist: add it or fix the path` }));
  const images = await Promise.all(
    manuscript.images.filter((image) => existsSync(path.join(root, image.from))).map(async (image) => ({ file: image.to, data: await readFile(path.join(root, image.from)) })),
  );
  const files = [...manuscript.files.map((file) => ({ file: file.path, data: file.content })), ...images];
  await out.check(files);
  for (const { file, data } of files) await out.write(file, data);
  return missing;
}
