import { quoteShell } from '../core/quote-shell.ts';
import { SENTINEL_OSC } from './sentinel-scanner.ts';

/** What of the session's options the rc file depends on. */
export interface ShellRcOptions {
  /** The user's rc file, sourced first. */
  rcfile?: string;
  /** A reader's terminal (echo, readline, the rc file's prompt) rather than a headless one. */
  interactiveEcho?: boolean;
}

/**
 * The rc file bash reads at start: the user's rc file, then bookrun's settings and the sentinel protocol
 * (see {@link SentinelScanner}). Written to a private temporary file, so nothing of the setup is typed (or
 * echoed) into the terminal.
 */
export function toShellRc(nonce: string, options: ShellRcOptions): string {
  const OSC = SENTINEL_OSC;
  const lines = ['# bookrun shell session setup (deleted once bash has read it)'];
  if (options.rcfile) lines.push(`[ -r ${quoteShell(options.rcfile)} ] && . ${quoteShell(options.rcfile)}`);
  if (!options.interactiveEcho) {
    lines.push('stty -echo 2>/dev/null', "PS1=''", "PS2=''", "PS4='+ '", 'unset HISTFILE');
  }
  // PS2 (bash wants more input: a quote, heredoc or `\\` continues) carries its own sentinel, so lines are
  // typed one at a time, each after bash asked for it, like a reader typing.
  lines.push(`PS2=$'\\e]${OSC};bookrun;${nonce};more\\a'"$PS2"`);
  // The prompt command prints the status of the last command inside an OSC escape carrying a per-session
  // nonce: a command's own output cannot fake it, and it survives `clear`, colours and missing newlines.
  // After an interrupt, a ctrl+c may land on the prompt and print one prompt too many: the runner types
  // `__bookrun_sync N` and skips everything up to its marker.
  lines.push(`__bookrun_sync() { builtin printf '\\033]${OSC};bookrun;%s;sync-%s\\007' ${nonce} "$1"; }`);
  lines.push(
    `__bookrun_prompt() { local s=$?; builtin printf '\\033]${OSC};bookrun;%s;%s\\007' ${nonce} "$s"; return $s; }`,
    'PROMPT_COMMAND="__bookrun_prompt${PROMPT_COMMAND:+;$PROMPT_COMMAND}"',
  );
  // Headless, a chapter's `source ~/.bashrc` or prompt tool must not take the sentinels away (the run
  // would hang) nor put a prompt before every output: bash refuses, with a one-line message.
  if (!options.interactiveEcho) lines.push('readonly PS1 PS2 PROMPT_COMMAND');
  return lines.join('\n') + '\n';
}
