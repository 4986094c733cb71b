import { FailedError } from './errors.ts';
import { InputError } from '../core/input-error.ts';
import { HelpRequested, toFlagError } from './parse-flags.ts';
import { flushChapterCaches } from '../book/chapter-cache.ts';

/** A CLI command: gets its arguments (after the command name), returns the exit code. */
export type Command = (args: string[]) => Promise<number>;

/** Commands are loaded lazily so `bookrun plan` never pays for the terminal server or Docusaurus. */
const commands: Record<string, { summary: string; load: () => Promise<{ default: Command }> }> = {
  init: { summary: 'init [--dir DIR]                              write bookrun.yaml for a book (chapters from manuscript/Book.txt)', load: () => import('./commands/init.ts') },
  plan: { summary: 'plan FILE [--variant NAME] [--json]          show the steps of a chapter for one variant', load: () => import('./commands/plan.ts') },
  run: { summary: 'run FILE --variant NAME [...]                 run a chapter headless and check its outputs', load: () => import('./commands/run.ts') },
  lint: { summary: 'lint [FILE…] [--format text|json]             check chapters for author notes, shell errors, style', load: () => import('./commands/lint.ts') },
  gists: { summary: 'gists [FILE…|--all] [--out DIR] [--check]     write the chapters\' commands as gist .sh files', load: () => import('./commands/gists.ts') },
  export: { summary: 'export leanpub [FILE…] [--out DIR] [--draft] write a Leanpub manuscript\n  bookrun export blog FILE [--variant NAME] [--format html|wordpress] […]  write one chapter as a blog post', load: () => import('./commands/export.ts') },
  dev: { summary: 'dev [--port N] [--no-open]                    the book\'s site (dev server, author notes) with a local terminal', load: () => import('./commands/dev.ts') },
  build: { summary: 'build [--out DIR]                             build the book\'s site into build/', load: () => import('./commands/build.ts') },
  serve: { summary: 'serve [--port N] [--no-open] [--cwd DIR]      serve the built site with a local terminal', load: () => import('./commands/serve.ts') },
  connect: { summary: 'connect BOOK_URL [--port N] [--no-open] [--cwd DIR] run a published book\'s steps in your terminal', load: () => import('./commands/connect.ts') },
  status: { summary: 'status [--json] [--reports DIR]               the chapter checklists, derived from evidence', load: () => import('./commands/status.ts') },
  ci: { summary: 'ci github|tekton [--out FILE]                 generate a chapters × variants CI matrix', load: () => import('./commands/ci.ts') },
};

function help(): string {
  const lines = Object.values(commands).map((c) => `  bookrun ${c.summary}`);
  return [
    'bookrun: run, check and publish hands-on technical books',
    '',
    'Usage:',
    ...lines,
    '',
    'Every command finds the book config (bookrun.yaml) upwards from the chapter it was given, then from the current',
    'directory, or takes --config FILE.',
    'Exit codes: 0 ok, 1 a check failed, 2 usage or input error.',
  ].join('\n');
}

/** Maps errors to exit codes: the only place that decides them. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(help());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    const { packageVersion } = await import('../site/package-paths.ts');
    console.log(`bookrun ${packageVersion()}`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`bookrun: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    const mod = await command.load();
    const code = await mod.default(rest);
    await flushChapterCaches();
    return code;
  } catch (caught) {
    // `--help`, read by parseFlags for every command: its usage, and nothing else done.
    if (caught instanceof HelpRequested) {
      console.log(caught.usage);
      return 0;
    }
    // Every command reads its flags with parseFlags; a raw parseArgs error is worded the same way here.
    const error = toFlagError(caught, `run bookrun ${name} --help for its flags`);
    if (error instanceof InputError) {
      console.error(`bookrun ${name}: ${error.message}`);
      return 2;
    }
    if (error instanceof FailedError) {
      // The command ran and found problems: what it parsed may be kept (bad input keeps nothing).
      await flushChapterCaches();
      if (error.message) console.error(error.message);
      return 1;
    }
    throw error;
  }
}
