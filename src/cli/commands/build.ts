import path from 'node:path';
import { readBook } from '../../book/read-book.ts';
import { buildSite } from '../../site/build-site.ts';
import { InputError } from '../../core/input-error.ts';
import { FailedError, UsageError } from '../errors.ts';
import { parseFlags } from '../parse-flags.ts';

const USAGE = 'usage: bookrun build [--out DIR] [--dev] [--config FILE]';

/** Docusaurus's lines worth an author's eye: warnings and errors (broken links, images), not its progress. */
function isNotable(line: string): boolean {
  return /\[(WARNING|ERROR)\]|^Error\b|broken/i.test(line);
}

/**
 * `bookrun build`: the book's site, built into `build/` of the book's root (or `--out DIR`) through the write
 * guard: the public site (no author notes, no status box) unless `--dev`. Docusaurus's warnings (broken
 * links and images) are shown; its progress lines are not.
 */
export default async function build(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      out: { type: 'string' },
      dev: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": bookrun build builds the whole book\n${USAGE}`);
  const book = await readBook({ config: values.config });
  const outDir = values.out ? path.resolve(values.out) : path.join(book.root, 'build');
  const shown = path.relative(process.cwd(), outDir) || '.';
  const started = Date.now();
  let pending = '';
  const log = (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (isNotable(line)) console.error(line);
  };
  try {
    await buildSite({ config: book.configFile, outDir, mode: values.dev ? 'dev' : 'prod', log });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new FailedError(`bookrun build: ${(error as Error).message}`);
  }
  console.log(`bookrun build: wrote the site of ${book.config.chapters.length} chapter(s) to ${shown}/ in ${((Date.now() - started) / 1000).toFixed(1)} s; serve it with npx bookrun serve`);
  return 0;
}
