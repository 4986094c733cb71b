import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFolder } from '../book/open-output-folder.ts';
import type { BookConfig } from '../core/book-config.ts';
import { checkGistDrift, type GistDrift } from '../core/check-gist-drift.ts';
import { chapterGistName } from '../core/gist-links.ts';
import type { Plan } from '../core/model.ts';
import { parseGistCommands, toNormalCommand } from '../core/parse-gist-commands.ts';
import { spawnBashChecks } from '../lint/spawn-bash-syntax.ts';
import type { ReadChapter } from './read-chapters.ts';
import { toGist } from './to-gist.ts';

/** A command the published gist lacks, with the chapter line it comes from (when one step holds it as written). */
export interface LackingCommand {
  text: string;
  /** Line in the chapter, or null when the gist writes the step otherwise (an editor's file, a `cwd`). */
  chapterLine: number | null;
}

/** One generated gist and what happened to it. */
export interface GistResult {
  /** Absolute path of the gist file. */
  file: string;
  chapter: string;
  /**
   * `written` / `unchanged` when writing; `stale` / `missing` / `unchanged` with `check`; `no-commands` for a
   * chapter with nothing to run (a preface), which gets no gist.
   */
  status: 'written' | 'unchanged' | 'stale' | 'missing' | 'no-commands';
  /** bash's complaint when the generated script does not parse (a bookrun bug or a broken command). */
  syntaxError: string | null;
  /**
   * With `check`, for a stale gist: the commands it lacks and has extra, comments and layout aside. Empty
   * lists mean it differs only in comments or layout.
   */
  drift: { lacks: LackingCommand[]; extra: GistDrift['extra'] } | null;
  /** Whether bookrun wrote the file (its folder's manifest lists it), rather than the author. */
  ours: boolean;
}

/** The gist file name: `progressive-delivery.sh`, or `progressive-delivery.eks-serverless.sh` for a variant. */
export function gistFileName(chapterFile: string, variant?: string): string {
  const name = chapterGistName(chapterFile);
  return variant ? name.replace(/\.sh$/, `.${variant}.sh`) : name;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** What the published gist lacks and has extra, command by command, the lacking ones traced to chapter lines. */
async function driftOf(item: ReadChapter, generated: string, published: string): Promise<GistResult['drift']> {
  const { shSyntaxParser } = await import('../book/sh-syntax-parser.ts');
  const [ours, theirs] = await Promise.all([parseGistCommands(generated, shSyntaxParser), parseGistCommands(published, shSyntaxParser)]);
  const drift = checkGistDrift(ours, theirs);
  const steps = item.chapter.steps.map((s) => ({ line: s.line, normal: toNormalCommand(s.command) }));
  return {
    lacks: drift.lacks.map((c) => ({ text: c.text, chapterLine: steps.find((s) => s.normal === c.normal)?.line ?? null })),
    extra: drift.extra,
  };
}

/**
 * Writes (or with `check`, compares) the gist of each chapter in the output folder `out` (opened through
 * the write guard, or for `check` only read). Every generated script is checked with `bash -n` before it is
 * written, and every file is checked to be bookrun's before any is written: a refusal leaves the folder as
 * it was. A chapter without commands gets no gist. With `check`, a stale gist comes with its drift: the
 * commands the file lacks and has extra (an author's published gists drift from their chapters).
 */
export async function writeGists(
  chapters: ReadChapter[],
  config: BookConfig,
  options: { out: OutputFolder; plan?: (chapter: ReadChapter) => Plan; check?: boolean },
): Promise<GistResult[]> {
  const listed = new Set(options.out.listed());
  const drafts = chapters.map((item) => {
    const plan = options.plan?.(item);
    const name = gistFileName(item.chapter.file, plan?.variant.name);
    const empty = item.chapter.steps.length === 0;
    return { item, name, empty, text: empty ? '' : toGist(item.chapter, config, { plan, displayPath: item.key }) };
  });
  // Every gist through `bash -n`, all in one bash process.
  const checks = await spawnBashChecks(drafts.filter((d) => !d.empty).map((d) => d.text));
  let next = 0;
  const generated = drafts.map((d) => {
    if (d.empty) return { ...d, syntaxError: null };
    const bash = checks[next++]!;
    return { ...d, syntaxError: bash.ok ? null : (bash.stderr || 'bash -n failed').trim() };
  });
  if (!options.check) await options.out.check(generated.filter((g) => !g.empty && g.syntaxError === null).map((g) => ({ file: g.name, data: g.text })));
  const results: GistResult[] = [];
  for (const { item, text, name, syntaxError, empty } of generated) {
    const file = path.join(options.out.dir, name);
    const ours = listed.has(name);
    if (empty) {
      results.push({ file, chapter: item.key, status: 'no-commands', syntaxError: null, drift: null, ours });
      continue;
    }
    const current = await readText(file);
    let status: GistResult['status'];
    let drift: GistResult['drift'] = null;
    if (options.check) {
      status = current === null ? 'missing' : current === text ? 'unchanged' : 'stale';
      if (status === 'stale') drift = await driftOf(item, text, current!);
    } else if (current === text) {
      // Listed in the manifest from now on, so a later change of the chapter may replace it.
      await options.out.write(name, text);
      status = 'unchanged';
    } else {
      if (syntaxError === null) await options.out.write(name, text);
      status = 'written';
    }
    results.push({ file, chapter: item.key, status, syntaxError, drift, ours: ours || status === 'written' });
  }
  return results;
}
