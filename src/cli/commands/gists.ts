import path from 'node:path';
import { resolveVariant } from '../../core/book-config.ts';
import { planChapter } from '../../core/plan-chapter.ts';
import { createWriteGuard } from '../../book/create-write-guard.ts';
import { openOutputFolder } from '../../book/open-output-folder.ts';
import { readBook } from '../../book/read-book.ts';
import { readChapters } from '../../export/read-chapters.ts';
import { writeGists } from '../../export/write-gists.ts';
import { toNormalCommand } from '../../core/parse-gist-commands.ts';
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
    },
    USAGE,
  );
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
  // The book's gists live in `gists.dir` (default `gists/`; a Leanpub book's often beside its chapters).
  const outDir = values.out ? path.resolve(values.out) : path.join(book.root, book.config.gistsDir);
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
  const counts = { match: 0, layout: 0, drifted: 0, missing: 0, none: 0 };
  for (const r of results) {
    if (r.status === 'no-commands') {
      counts.none += 1;
      continue;
    }
    if (r.syntaxError) {
      failed = true;
      console.error(`${rel(r.file)}: generated from ${r.chapter} but bash -n rejects it: ${r.syntaxError}`);
    }
    if (!values.check) {
      console.log(`${r.status === 'written' && !r.syntaxError ? 'wrote' : r.syntaxError ? 'not written' : 'unchanged'} ${rel(r.file)}`);
      continue;
    }
    const how = `run \`npx bookrun gists${values.variant ? ` --variant ${values.variant}` : ''}${values.out ? ` --out ${values.out}` : ''}\``;
    if (r.status === 'unchanged') counts.match += 1;
    else if (r.status === 'missing') {
      counts.missing += 1;
      failed = true;
      console.error(`${rel(r.file)}: missing: ${r.chapter} has commands but no gist here: ${how} and commit it`);
    } else if (r.drift && r.drift.lacks.length + r.drift.extra.length > 0) {
      counts.drifted += 1;
      failed = true;
      const n = r.drift.lacks.length + r.drift.extra.length;
      console.error(`${rel(r.file)}: ${n} command${n === 1 ? '' : 's'} differ from ${r.chapter}:`);
      for (const c of r.drift.lacks) console.error(`  lacks  ${c.chapterLine ? `${r.chapter}:${c.chapterLine}` : r.chapter}  ${firstLine(c.text)}`);
      for (const c of r.drift.extra) console.error(`  extra  ${rel(r.file)}:${c.line}  ${firstLine(c.text)}`);
    } else if (r.ours) {
      // bookrun's own gists match what it generates byte for byte; comments and layout included.
      failed = true;
      console.error(`${rel(r.file)}: differs from what ${r.chapter} generates (comments or layout only): ${how} and commit it`);
    } else {
      // The author's own published gist: same commands, their own comments and layout.
      counts.layout += 1;
    }
  }
  if (values.check) {
    const parts = [`${counts.match + counts.layout} match${counts.layout > 0 ? ` (${counts.layout} with comments or layout of their own)` : ''}`];
    if (counts.drifted > 0) parts.push(`${counts.drifted} drifted`);
    if (counts.missing > 0) parts.push(`${counts.missing} missing`);
    if (counts.none > 0) parts.push(`${counts.none} chapter${counts.none === 1 ? ' has' : 's have'} no commands`);
    (failed ? console.error : console.log)(`${results.length} chapters, gists in ${rel(outDir)}/: ${parts.join(', ')}`);
  }
  if (failed) throw new FailedError();
  return 0;
}

/** A command as one line for the report: continuations joined, the rest of a heredoc or script cut. */
function firstLine(text: string): string {
  const [first, ...rest] = toNormalCommand(text).split('\n');
  return rest.length > 0 ? `${first} …` : first!;
}
