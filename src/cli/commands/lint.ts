import { existsSync } from 'node:fs';
import { readBook } from '../../book/read-book.ts';
import { toCrosslinkIds } from '../../core/to-crosslink-ids.ts';
import { spawnLintChecks } from '../../lint/spawn-lint-checks.ts';
import { toLintReport } from '../../lint/to-lint-report.ts';
import { toVFile } from '../../lint/to-vfile.ts';
import { readChapters } from '../../export/read-chapters.ts';
import { FailedError, UsageError } from '../errors.ts';
import { parseFlags } from '../parse-flags.ts';

const USAGE = 'usage: bookrun lint [FILE…] [--format text|json] [--no-shell] [--config FILE]';

/**
 * `bookrun lint`: the chapters named (default: the whole book) checked for author notes, pasted output,
 * shell syntax and ShellCheck findings per command, heading case, unknown conditions, unexplained
 * placeholders, endless watches, dead crosslinks, open fences and unpublished gists. Exit 1 on errors.
 */
export default async function lint(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      format: { type: 'string', default: 'text' },
      'no-shell': { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    USAGE,
  );
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, got "${values.format}"`);
  const book = await readBook({ config: values.config, near: positionals[0] });
  const chapters = await readChapters(book, positionals);
  // Crosslinks may point anywhere in the book: collect the ids of every chapter.
  // (book chapters that do not exist yet are left out here: linting the named ones must still work).
  const present = book.chapterPaths.filter((f) => existsSync(f) && !chapters.some((c) => c.file === f));
  const everything = positionals.length === 0 ? chapters : [...chapters, ...(await readChapters(book, present))];
  if (chapters.length === 0) throw new UsageError(`nothing to lint: name a chapter or list chapters in ${book.config.file}`);
  const ids = new Set<string>();
  for (const item of everything) toCrosslinkIds(item.chapter, ids);
  const files = [];
  for (const item of chapters) {
    const diagnostics = await spawnLintChecks(item.chapter, book.config, { ids, shell: !values['no-shell'] });
    files.push(toVFile(item.chapter.file, diagnostics));
  }
  process.stdout.write(toLintReport(files, values.format));
  if (files.some((f) => f.messages.some((m) => m.fatal === true))) throw new FailedError();
  return 0;
}
