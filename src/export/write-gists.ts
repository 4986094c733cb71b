import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFolder } from '../book/open-output-folder.ts';
import type { BookConfig } from '../core/book-config.ts';
import { chapterGistName } from '../core/gist-links.ts';
import type { Plan } from '../core/model.ts';
import type { ReadChapter } from './read-chapters.ts';
import { toGist } from './to-gist.ts';

/** One generated gist and what happened to it. */
export interface GistResult {
  /** Absolute path of the gist file. */
  file: string;
  chapter: string;
  /** `written` / `unchanged` when writing; `stale` / `missing` / `unchanged` with `check`. */
  status: 'written' | 'unchanged' | 'stale' | 'missing';
  /** bash's complaint when the generated script does not parse (a bookrun bug or a broken command). */
  syntaxError: string | null;
}

/** The gist file name: `progressive-delivery.sh`, or `progressive-delivery.eks-serverless.sh` for a variant. */
export function gistFileName(chapterFile: string, variant?: string): string {
  const name = chapterGistName(chapterFile);
  return variant ? name.replace(/\.sh$/, `.${variant}.sh`) : name;
}

/**
 * Writes (or with `check`, compares) the gist of each chapter in the output folder `out` (opened through
 * the write guard). Every generated script is checked with `bash -n` before it is written, and every file
 * is checked to be bookrun's before any is written: a refusal leaves the folder as it was.
 */
export async function writeGists(
  chapters: ReadChapter[],
  config: BookConfig,
  options: { out: OutputFolder; plan?: (chapter: ReadChapter) => Plan; check?: boolean },
): Promise<GistResult[]> {
  const generated = chapters.map((item) => {
    const plan = options.plan?.(item);
    const text = toGist(item.chapter, config, { plan, displayPath: item.key });
    const name = gistFileName(item.chapter.file, plan?.variant.name);
    const bash = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
    const syntaxError = bash.status === 0 ? null : (bash.stderr || 'bash -n failed').trim();
    return { item, text, name, syntaxError };
  });
  if (!options.check) await options.out.check(generated.filter((g) => g.syntaxError === null).map((g) => ({ file: g.name, data: g.text })));
  const results: GistResult[] = [];
  for (const { item, text, name, syntaxError } of generated) {
    const file = path.join(options.out.dir, name);
    let current: string | null = null;
    try {
      current = await readFile(file, 'utf8');
    } catch {
      current = null;
    }
    let status: GistResult['status'];
    if (options.check) status = current === null ? 'missing' : current === text ? 'unchanged' : 'stale';
    else if (current === text) {
      // Listed in the manifest from now on, so a later change of the chapter may replace it.
      await options.out.write(name, text);
      status = 'unchanged';
    } else {
      if (syntaxError === null) await options.out.write(name, text);
      status = 'written';
    }
    results.push({ file, chapter: item.key, status, syntaxError });
  }
  return results;
}
