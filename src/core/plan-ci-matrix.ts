import { BookConfigError, listVariants, type BookConfig } from './book-config.ts';
import { quoteShellValue } from './quote-shell.ts';

/** How a CI job gets its variant's cluster. */
export type CiSetup =
  /** Run this shell command (from `ci.setup`, or the setup gist downloaded from its URL). */
  | { kind: 'command'; command: string; source: string }
  /** `ci.setup.<variant>: ""`: the chapters need no cluster (a runnable local chapter). */
  | { kind: 'none' }
  /** No way to set the cluster up yet: the job fails with this message instead of running half set up. */
  | { kind: 'missing'; message: string };

/** One chapter in the CI matrix. */
export interface CiChapter {
  /** As in the book config. */
  file: string;
  /** Short, unique, safe in artifact, job and Tekton task names: the file stem (the path when stems clash). */
  slug: string;
}

/** All jobs of one variant: they run one after another, so two jobs never share the variant's cluster. */
export interface CiVariant {
  name: string;
  /** Safe as a GitHub job id and a Tekton task name prefix. */
  id: string;
  setup: CiSetup;
  /** Always run at the end of each job; null when the book config names none. */
  teardown: string | null;
  chapters: CiChapter[];
}

/** An environment variable every job gets from the CI's secret store. */
export interface CiEnv {
  name: string;
  from: 'secret' | 'var';
  /** The secret's / variable's name in the CI (never its value). */
  key: string;
}

/** The chapters × variants matrix for `bookrun ci`, with everything a CI file needs. */
export interface CiMatrix {
  title: string;
  /** The book config's path (watched by the workflow's push trigger). */
  config: string;
  variants: CiVariant[];
  env: CiEnv[];
  runArgs: string[];
  /** Things the author should fix in the book config (a variant without a setup, no teardown). */
  warnings: string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

function stemOf(file: string): string {
  return file.split('/').pop()!.replace(/\.[^.]*$/, '');
}

/** The URL a setup gist's raw file is downloaded from: a gist page URL gets `/raw/FILE`. */
function rawGistUrl(url: string, file: string): string {
  if (/^https:\/\/gist\.github\.com\/[^/]+\/[0-9a-f]+\/?$/i.test(url)) return `${url.replace(/\/$/, '')}/raw/${file}`;
  return url;
}


function setupOf(config: BookConfig, variant: string): CiSetup {
  if (variant in config.ci.setup) {
    const command = config.ci.setup[variant].trim();
    return command ? { kind: 'command', command, source: `ci.setup.${variant}` } : { kind: 'none' };
  }
  const gist = config.setupGists[variant];
  if (!gist) {
    return { kind: 'missing', message: `no setup for variant ${variant}: add gists.setup.${variant} or ci.setup.${variant} to ${config.file}` };
  }
  const url = config.gists[gist];
  if (!url) {
    return {
      kind: 'missing',
      message: `setup gist ${gist} for variant ${variant} has no URL yet: publish it and set gists.urls.${gist}, or set ci.setup.${variant} in ${config.file}`,
    };
  }
  const target = `"\${RUNNER_TEMP:-/tmp}/${gist}"`;
  return {
    kind: 'command',
    command: `curl -fsSL ${quoteShellValue(rawGistUrl(url, gist))} -o ${target}\nbash ${target}`,
    source: `setup gist ${gist}`,
  };
}

/**
 * Plans the CI matrix of the book: every chapter × every variant, grouped by variant (a variant's jobs share
 * its cluster, so they run one at a time), each with its cluster setup and teardown, and the secrets and
 * variables the jobs get as environment. Throws {@link BookConfigError} for a secret or variable name no CI
 * accepts; a variant without a setup is a warning and a job that fails saying what to add.
 */
export function planCiMatrix(config: BookConfig): CiMatrix {
  if (config.chapters.length === 0) throw new BookConfigError(config.file, 'chapters', 'no chapters: list the chapter files to run on CI');
  const env: CiEnv[] = [];
  for (const [from, map] of [['secret', config.ci.secrets], ['var', config.ci.vars]] as const) {
    const key = from === 'secret' ? 'ci.secrets' : 'ci.vars';
    for (const [name, store] of Object.entries(map)) {
      if (!ENV_NAME.test(name)) throw new BookConfigError(config.file, `${key}.${name}`, 'an environment variable name takes letters, digits and _ only');
      if (!ENV_NAME.test(store) || /^GITHUB_/i.test(store)) {
        throw new BookConfigError(config.file, `${key}.${name}`, `"${store}" is not a valid ${from} name (letters, digits and _, not starting with GITHUB_)`);
      }
      if (env.some((e) => e.name === name)) throw new BookConfigError(config.file, `${key}.${name}`, `${name} is set twice (in ci.secrets and ci.vars): keep one`);
      env.push({ name, from, key: store });
    }
  }
  const stems = config.chapters.map(stemOf);
  const clash = new Set(stems).size !== stems.length;
  const chapters = config.chapters.map((file, i) => ({ file, slug: slugify(clash ? file.replace(/\.[^.]*$/, '') : stems[i]) }));
  const warnings: string[] = [];
  const noTeardown: string[] = [];
  const variants = listVariants(config).map((v): CiVariant => {
    const setup = setupOf(config, v.name);
    if (setup.kind === 'missing') warnings.push(setup.message);
    const teardown = config.ci.teardown[v.name]?.trim() || null;
    if (!teardown && setup.kind !== 'none') noTeardown.push(v.name);
    return { name: v.name, id: slugify(v.name), setup, teardown, chapters };
  });
  if (noTeardown.length > 0) {
    warnings.push(`no teardown for ${noTeardown.join(', ')}: set ci.teardown.<variant> in ${config.file} to delete what the setup creates`);
  }
  const ids = variants.map((v) => v.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new BookConfigError(config.file, 'variants.name', `two variants both become "${dup}" in CI job names: make the name template tell them apart`);
  return { title: config.title, config: config.file, variants, env, runArgs: config.ci.runArgs, warnings };
}
