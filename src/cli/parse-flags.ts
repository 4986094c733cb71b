import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggestName } from '../core/suggest-name.ts';
import { UsageError } from './errors.ts';

/** `--help` (`-h`), which every command takes: {@link parseFlags} adds it. */
const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** A command was asked for its usage (`--help`): the CLI prints `usage` and exits 0, the command does nothing. */
export class HelpRequested extends Error {
  readonly usage: string;

  constructor(usage: string) {
    super('help requested');
    this.usage = usage;
  }
}

/**
 * The one way a command reads its flags: Node's `parseArgs` (strict, positionals allowed), with its raw
 * messages turned into bookrun's (see {@link toFlagError}). Bad flags throw {@link UsageError} (exit 2);
 * `--help` (added to every command's flags) throws {@link HelpRequested}.
 */
export function parseFlags<const O extends FlagOptions>(args: string[], options: O, usage: string) {
  const all = { ...options, ...HELP };
  let parsed;
  try {
    parsed = parseArgs<{ args: string[]; options: O & typeof HELP; allowPositionals: true; strict: true }>({ args, options: all, allowPositionals: true, strict: true });
  } catch (error) {
    throw toFlagError(error, usage, all);
  }
  if ((parsed.values as { help?: boolean }).help) throw new HelpRequested(usage);
  return parsed;
}

/** The flags a command takes, as `parseArgs` describes them. */
export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** `--name` (or `-n`) of every flag a command takes, for suggestions. */
function flagNames(options: FlagOptions): string[] {
  return Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
}

/**
 * A `parseArgs` error as bookrun words it: `unknown flag --varient: did you mean --variant?`, `--variant
 * needs a value`, `--json takes no value`, each followed by the usage. Anything else is returned as it is.
 */
export function toFlagError(error: unknown, usage: string, options?: FlagOptions): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = (error as Error | undefined)?.message ?? '';
  // `Unknown option '--varient'…`, `Option '-h, --help' does not take an argument`: the long name wins.
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const flag = /--[^\s=<]+/.exec(quoted)?.[0] ?? /-[^\s=<,]+/.exec(quoted)?.[0];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    const name = flag.split('=')[0]!;
    const guess = options ? suggestName(name, flagNames(options)) : null;
    return new UsageError(`unknown flag ${name}${guess ? `: did you mean ${guess}?` : ''}\n${usage}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    if (/does not take an argument/.test(message)) return new UsageError(`${flag} takes no value\n${usage}`);
    return new UsageError(`${flag} needs a value (${flag} VALUE)\n${usage}`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError(`unexpected argument: ${message.replace(/^Unexpected argument '([^']*)'.*$/s, '$1')}\n${usage}`);
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return new UsageError(`${message}\n${usage}`);
  return error;
}
