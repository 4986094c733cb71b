import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureBookrunFolder } from '../../book/ensure-bookrun-folder.ts';
import { findChapterFiles } from '../../book/find-chapter-files.ts';
import { findUnlistedChapters } from '../../book/find-unlisted-chapters.ts';
import { readBookChapter } from '../../book/read-book-chapter.ts';
import { readBookList } from '../../book/read-book-list.ts';
import { CONFIG_NAME, LEANPUB_BOOK_LIST, type Book } from '../../book/read-book.ts';
import { parseYamlText } from '../../book/read-yaml-file.ts';
import { writeNewFile } from '../../book/write-new-file.ts';
import { listVariants, parseBookConfig } from '../../core/book-config.ts';
import { chapterGistName } from '../../core/gist-links.ts';
import { GENRE_ALIASES, GENRE_DIMENSIONS, planInitConfig, type InitPlan } from '../../core/plan-init-config.ts';
import { toInitYaml } from '../../core/to-init-yaml.ts';
import { UsageError } from '../errors.ts';
import { parseFlags } from '../parse-flags.ts';

const USAGE = 'usage: bookrun init [--dir DIR]';

/** The book's title: the first `# ` heading of its README, else its folder's name in words. */
function bookTitle(root: string): string {
  try {
    const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(readFileSync(path.join(root, 'README.md'), 'utf8'));
    if (heading) return heading[1]!;
  } catch {
    // no README
  }
  return path.basename(root).replace(/[-_]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

/** The folder the chapters' own gists sit in (`manuscript/01-intro.sh` beside `01-intro.md`), or null. */
function gistsBesideChapters(root: string, keys: string[]): string | null {
  for (const key of keys) {
    const dir = path.posix.dirname(key);
    if (existsSync(path.join(root, dir, chapterGistName(key)))) return dir === '.' ? '.' : dir;
  }
  return null;
}

function report(plan: InitPlan, chapters: string, unlisted: string[], gistsDir: string | null, variants: string[]): string[] {
  const lines = [`  chapters: ${chapters}`];
  if (unlisted.length > 0) lines.push(`  not in the book (files beside the chapters it does not list): ${unlisted.join(', ')}`);
  const dims = plan.dimensions.map((d) => `${d.name} = ${d.values.join(', ')}`).join(' × ');
  lines.push(`  variants: ${dims}: ${variants.length} variant(s), default ${variants[0]}`);
  for (const p of plan.padded) lines.push(`    ${p.value} was added to ${p.dimension}: no chapter names another value, and its conditions need a case where they do not hold`);
  if (plan.unplaced.length > 0) {
    lines.push('  condition tokens that fit no dimension (listed in bookrun.yaml; make them aliases or values):');
    for (const u of plan.unplaced) lines.push(`    "${u.token}" at ${u.places.map((p) => `${p.file}:${p.line}`).join(', ')}`);
  }
  const setup = Object.entries(plan.setup);
  lines.push(setup.length > 0 ? `  setup gists: ${setup.map(([v, g]) => `${v} ← ${g}`).join(', ')}` : '  setup gists: none linked from the chapters');
  if (gistsDir) lines.push(`  gists: the chapters' own .sh files in ${gistsDir === '.' ? 'the book root' : `${gistsDir}/`} (bookrun gists --check compares them)`);
  return lines;
}

/**
 * `bookrun init [--dir DIR]`: writes bookrun.yaml for a book that has none: the chapters (`manuscript/Book.txt`
 * itself when it exists, so the author keeps one list, else the Markdown files found), the variant matrix
 * inferred from the conditions the chapters use, the setup gists from their gist links, and where their
 * gists are. Makes `.bookrun/`, which ignores itself in git. Exit 2 and nothing changed when a bookrun.yaml
 * exists. Never touches a chapter, Book.txt or Sample.txt.
 */
export default async function init(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { dir: { type: 'string' } }, USAGE);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": pass the book's folder with --dir\n${USAGE}`);
  const root = path.resolve(values.dir ?? process.cwd());
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--dir ${values.dir}: no such folder`);
  const configFile = path.join(root, CONFIG_NAME);
  const shown = path.relative(process.cwd(), configFile) || CONFIG_NAME;
  if (existsSync(configFile)) throw new UsageError(`${shown} exists: bookrun init never replaces it (nothing was changed); edit it, or move it away to start again`);

  const listFile = path.join(root, LEANPUB_BOOK_LIST);
  const list = await readBookList(root, listFile, { required: false, shown: LEANPUB_BOOK_LIST });
  const keys = list ? list.chapters.map((c) => c.key) : await findChapterFiles(root);
  if (keys.length === 0) {
    throw new UsageError(`${path.relative(process.cwd(), root) || '.'}: no chapters found (no ${LEANPUB_BOOK_LIST}, and no Markdown files in manuscript/, docs/ or the folder itself): write ${LEANPUB_BOOK_LIST}, or pass --dir the book's folder`);
  }
  // Read the chapters with the genre's dimensions, so each condition token finds its dimension.
  const reading = parseBookConfig(
    { chapters: keys, variants: { dimensions: Object.fromEntries(GENRE_DIMENSIONS.map((d) => [d.name, d.values])) }, conditions: { aliases: GENRE_ALIASES, unknown: { severity: 'info' } } },
    CONFIG_NAME,
  );
  const book: Book = { config: reading, root, configFile, chapterPaths: keys.map((k) => path.join(root, k)), bookList: list };
  const chapters = await Promise.all(keys.map(async (key) => ({ key, chapter: (await readBookChapter(book, path.join(root, key), key)).chapter })));
  const plan = planInitConfig(chapters);
  const gistsDir = gistsBesideChapters(root, keys);
  const text = toInitYaml({ title: bookTitle(root), chapters: list ? LEANPUB_BOOK_LIST : keys, plan, gistsDir });
  // What init writes must read back as a valid config: a bug here would otherwise reach the author.
  const check = parseYamlText(text);
  if (!check.ok) throw new Error(`bookrun init wrote invalid YAML (a bookrun bug): ${check.kind === 'invalid' ? check.message : ''}`);
  const proposed = parseBookConfig(check.data, CONFIG_NAME);
  const variants = listVariants(proposed).map((v) => v.name);

  await writeNewFile(configFile, text, { shown, instead: 'bookrun init never replaces it; edit it, or move it away to start again' });
  await ensureBookrunFolder(root);
  const unlisted = await findUnlistedChapters(book);
  console.log(`bookrun init: wrote ${shown}`);
  for (const line of report(plan, list ? `${LEANPUB_BOOK_LIST} (${keys.length} chapters, in its order)` : `${keys.length} found: ${keys.join(', ')}`, unlisted, gistsDir, variants)) console.log(line);
  console.log('  .bookrun/ (run reports, state, caches) ignores itself in git');
  console.log('Next: read bookrun.yaml, then `npx bookrun status` (the checklist), `npx bookrun dev` (the site with a terminal).');
  return 0;
}
