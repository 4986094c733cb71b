import path from 'node:path';
import { resolveVariant } from '../../core/book-config.ts';
import { planChapter } from '../../core/plan-chapter.ts';
import { createWriteGuard } from '../../book/create-write-guard.ts';
import { openOutputFolder } from '../../book/open-output-folder.ts';
import { readBook } from '../../book/read-book.ts';
import { readChapters } from '../../export/read-chapters.ts';
import { writeGists } from '../../export/write-gists.ts';
import { FailedError, UsageError } from '../errors.ts';
import { parseFlags } from '../parse-flags.ts';

const USAGE = 'usage: bookrun gists [FILE…|--all] [--out DIR] [--variant NAME] [--check] [--config FILE]';

/**
 * `bookrun gists`: one `.sh` per chapter with every command in order (default: every chapter of the book,
 * into `gists/` beside bookrun.yaml). `--variant` writes a flattened script for one variant; `--check`
 * exits 1 when the files on disk differ from what the chapters generate.
 */
export default async function gists(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      all: { type: 'boolean', default: false },
      out: { type: 'string' },
      variant: { type: 'string' },
      check: { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.all && positionals.length > 0) throw new UsageError(`give chapter files or --all, not both\n${USAGE}`);
  const book = await readBook({ config: values.config, near: positionals[0] });
  let variant;
  if (values.variant !== undefined) {
    const lookup = resolveVariant(book.config, values.variant);
    if (!lookup.ok) throw new UsageError(lookup.message);
    variant = lookup.variant;
  }
  const chapters = await readChapters(book, positionals);
  if (chapters.length === 0) throw new UsageError(`the book has no chapters: list them under chapters in ${book.config.file}`);
  const outDir = values.out ? path.resolve(values.out) : path.join(book.root, 'gists');
  // --check only reads; writing goes through the guard (never into sources, never over a file not bookrun's).
  const out = values.check
    ? await openOutputFolder(outDir, { instead: 'pass --out another folder' })
    : await createWriteGuard(book, { extraChapters: chapters.map((c) => c.file) }).openFolder(outDir, { flag: '--out' });
  const results = await writeGists(chapters, book.config, {
    out,
    check: values.check,
    plan: variant ? (item) => planChapter(item.chapter, variant, book.config) : undefined,
  });
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  let failed = false;
  for (const r of results) {
    if (r.syntaxError) {
      failed = true;
      console.error(`${rel(r.file)}: generated from ${r.chapter} but bash -n rejects it: ${r.syntaxError}`);
    }
    if (values.check && r.status !== 'unchanged') {
      failed = true;
      console.error(`${rel(r.file)}: ${r.status === 'missing' ? 'missing' : 'differs from'} what ${r.chapter} generates: run \`npx bookrun gists${values.variant ? ` --variant ${values.variant}` : ''}\` and commit it`);
    } else if (!values.check) {
      console.log(`${r.status === 'written' && !r.syntaxError ? 'wrote' : r.syntaxError ? 'not written' : 'unchanged'} ${rel(r.file)}`);
    }
  }
  if (values.check && !failed) console.log(`${results.length} gists up to date in ${rel(outDir)}`);
  if (failed) throw new FailedError();
  return 0;
}
