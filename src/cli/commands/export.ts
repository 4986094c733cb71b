import { existsSync } from 'node:fs';
import path from 'node:path';
import { createWriteGuard } from '../../book/create-write-guard.ts';
import { readBook } from '../../book/read-book.ts';
import { readBookChapter } from '../../book/read-book-chapter.ts';
import { toCrosslinkIds } from '../../core/to-crosslink-ids.ts';
import { spawnLintChecks } from '../../lint/spawn-lint-checks.ts';
import { readChapters } from '../../export/read-chapters.ts';
import { toManuscript, type ManuscriptFinding, type ManuscriptInput } from '../../export/to-manuscript.ts';
import { writeManuscript } from '../../export/write-manuscript.ts';
import { openDiagramCache } from '../../diagrams/open-diagram-cache.ts';
import { toRenderSummary } from '../../diagrams/to-render-summary.ts';
import { FailedError, UsageError } from '../errors.ts';
import { parseFlags } from '../parse-flags.ts';

const USAGE = 'usage: bookrun export leanpub [FILE…] [--out DIR] [--format lfm|markua] [--draft] [--config FILE]';

/** Where the manuscript goes without `--out`: a folder of its own, outside the sources and the site's `build/`. */
export const DEFAULT_LEANPUB_OUT = path.join('publish', 'leanpub');

/** Where the export target (`leanpub`, `blog`) is among the arguments: the first one that is no flag nor a flag's value. */
function targetIndex(args: string[]): number {
  const valued = new Set(['--out', '--format', '--config', '--variant', '--image-base']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return i + 1 < args.length ? i + 1 : -1;
    if (!arg.startsWith('-')) return i;
    if (valued.has(arg)) i++;
  }
  return -1;
}

function formatFinding(f: ManuscriptFinding): string {
  return `${f.file}:${f.line} ${f.message} [${f.rule}]`;
}

/**
 * `bookrun export leanpub`: the book (or the chapters named) as a Leanpub manuscript in `publish/leanpub/`
 * beside bookrun.yaml (or `--out DIR`), written through the write guard: never into a source folder (a
 * Leanpub-layout book's own `manuscript/` included), never over a file bookrun did not write. Refuses
 * (exit 1, each finding as `FILE:LINE`) while author notes, unchecked review items, unresolved gist links,
 * lint errors or dead crosslinks remain, unless `--draft`.
 */
export default async function exportCommand(args: string[]): Promise<number> {
  // `export blog` has flags of its own (issue 14): it reads them itself.
  const blog = targetIndex(args);
  if (blog >= 0 && args[blog] === 'blog') return (await import('./export-blog.ts')).default(args.filter((_, i) => i !== blog));
  const { values, positionals } = parseFlags(
    args,
    {
      out: { type: 'string' },
      format: { type: 'string' },
      draft: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    USAGE,
  );
  const [target, ...files] = positionals;
  if (target !== 'leanpub') throw new UsageError(`${target === undefined ? 'missing' : `unknown`} export target${target ? ` "${target}"` : ''}: leanpub or blog\n${USAGE}`);
  if (values.format !== undefined && values.format !== 'lfm' && values.format !== 'markua') {
    throw new UsageError(`--format must be lfm or markua, got "${values.format}"`);
  }
  const book = await readBook({ config: values.config, near: files[0] });
  const config = book.config;
  const format = (values.format as 'lfm' | 'markua' | undefined) ?? config.leanpub.format;

  const inputs: ManuscriptInput[] = [];
  const list = book.bookList;
  // A Leanpub book's own Book.txt says which files are in the book, in which order and matter.
  const matterOf = new Map(list?.chapters.map((c) => [c.key, c.matter]) ?? []);
  const matterChapters = async (keys: string[], matter: 'front' | 'back') => {
    for (const key of keys) {
      const file = path.resolve(book.root, key);
      if (!existsSync(file)) throw new UsageError(`${config.file}: leanpub.${matter}matter lists ${key}, which does not exist`);
      inputs.push({ chapter: (await readBookChapter(book, file, key)).chapter, key, matter });
    }
  };
  if (files.length === 0) await matterChapters(config.leanpub.frontmatter, 'front');
  // Book.txt's chapters in its order (readChapters would put bookrun.yaml's first); else those named, or the book's.
  const chapters =
    files.length === 0 && list
      ? await Promise.all(list.chapters.map((c) => readBookChapter(book, path.join(book.root, c.key), c.key)))
      : await readChapters(book, files);
  for (const item of chapters) inputs.push({ chapter: item.chapter, key: item.chapter.file, matter: matterOf.get(item.key) ?? 'main' });
  if (files.length === 0) await matterChapters(config.leanpub.backmatter, 'back');
  if (inputs.length === 0) throw new UsageError(`nothing to export: list chapters under chapters in ${config.file}`);
  const left = files.length === 0 && list ? config.chapters.filter((key) => !matterOf.has(key)) : [];
  // Book.txt's matter files (`frontmatter.txt` holding `{frontmatter}`) are written again, as Leanpub expects.
  const settings = list && list.matterFiles.length > 0 ? { ...config, leanpub: { ...config.leanpub, matter: true } } : config;

  // The output folder is checked before the (slow) lint: a refusal costs nothing.
  const outDir = values.out ? path.resolve(values.out) : path.join(book.root, DEFAULT_LEANPUB_OUT);
  const guard = createWriteGuard(book, { extraChapters: chapters.map((c) => c.file) });
  const out = await guard.openFolder(outDir, { flag: '--out' });
  const rel = path.relative(process.cwd(), outDir) || '.';

  const ids = new Set<string>();
  for (const input of inputs) toCrosslinkIds(input.chapter, ids);
  // The pure lint rules, the parser's shell syntax (mvdan/sh) among them; bash -n and ShellCheck on every
  // command are `bookrun lint`'s (on a 1 MB book they cost five times the export itself).
  for (const input of inputs) input.lint = await spawnLintChecks(input.chapter, config, { ids, shell: false });
  const manuscript = toManuscript(inputs, settings, { format });

  if (manuscript.findings.length > 0 && !values.draft) {
    for (const f of manuscript.findings) console.error(formatFinding(f));
    console.error(`export refused: ${manuscript.findings.length} findings keep the manuscript from being published; fix them, or pass --draft to export anyway`);
    throw new FailedError();
  }
  const written = await writeManuscript(manuscript, book.root, out, { diagrams: await openDiagramCache(book.root, guard) });
  const missing = written.findings;
  const findings = [...manuscript.findings, ...missing];
  if (findings.length > 0) {
    for (const f of findings) console.error(formatFinding(f));
    console.error(`draft: ${findings.length} findings left (listed above)`);
  }
  for (const key of left) console.error(`${key}: not in ${list!.file}, so not exported (add it to ${path.basename(list!.file)} to publish it)`);
  const drawn = written.diagrams ? `, ${toRenderSummary(written.diagrams)}` : '';
  console.log(`wrote ${rel}/Book.txt and ${manuscript.files.length - 1} files (${format}), ${written.images} images${drawn}`);
  if (missing.length > 0 && !values.draft) throw new FailedError(`export incomplete: ${missing.length} images missing`);
  return 0;
}
