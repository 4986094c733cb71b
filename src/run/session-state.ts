import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { quoteShell } from '../core/quote-shell.ts';

/**
 * Session state for `--from` resumes: when a terminal ends, the runner asks bash to write what the
 * chapter set there (the variables it assigned, exported or not, its functions and its working folder) to
 * a file; a resumed run replays it in a fresh shell before the first step it runs.
 *
 * Only what the chapter set: the shell records its variables when it starts, and the save leaves out every
 * variable that still holds the value it started with. The inherited environment (API tokens, cloud keys,
 * `GH_TOKEN`) never reaches the file; a resumed shell inherits it again anyway.
 */

/**
 * The line before each declaration of a dump (a comment to bash): it lets bookrun drop a declaration that holds
 * a secret before the dump is kept (see `toStateWithoutSecrets`).
 */
export const STATE_SEPARATOR = '#bookrun-declaration';

/** Variables neither saved nor restored: bash's own, the terminal's, and bookrun's (a `case` pattern). */
const SHELL_OWN = [
  'BASH*|PS1|PS2|PS3|PS4|PROMPT_COMMAND|PROMPT_DIRTRIM|HIST*|SHELLOPTS|BASHOPTS|EUID|UID|PPID|SHLVL|_|COLUMNS|LINES',
  'RANDOM|SRANDOM|SECONDS|EPOCHREALTIME|EPOCHSECONDS|LINENO|OLDPWD|PWD|TERM|IFS|OPTIND|OPTARG|OPTERR|FUNCNAME|GROUPS',
  'DIRSTACK|PIPESTATUS|COMP_*|COMPREPLY|MAILCHECK|HOSTNAME|HOSTTYPE|MACHTYPE|OSTYPE|__bookrun*',
].join('|');

/**
 * Typed once into each session before the chapter's first step: records the variables the shell starts
 * with (in memory only) and defines `__bookrun_save FILE LINE`, which keeps `$?` as the step left it and
 * works whatever `set -eu` or `IFS` the chapter left behind.
 */
export const STATE_SETUP = `builtin declare -A __bookrun_start
for __bookrun_n in $(compgen -v); do __bookrun_start[$__bookrun_n]=\${!__bookrun_n}; done
__bookrun_save() {
  local __bookrun_s=$? __bookrun_n IFS=$' \\t\\n'
  local -
  builtin set +o errexit +o nounset +o xtrace
  {
    builtin printf '#bookrun-state %s\\n' "$2"
    builtin printf 'builtin cd -- %q\\n' "$PWD"
    for __bookrun_n in $(compgen -v); do
      case $__bookrun_n in ${SHELL_OWN}) continue ;; esac
      if [[ -v "__bookrun_start[$__bookrun_n]" && "\${__bookrun_start[$__bookrun_n]}" == "\${!__bookrun_n}" ]]; then continue; fi
      builtin printf '%s\n' "${STATE_SEPARATOR}"
      builtin declare -p "$__bookrun_n" 2>/dev/null
    done
    for __bookrun_n in $(compgen -A function); do
      case $__bookrun_n in __bookrun*) ;; *) builtin printf '%s\n' "${STATE_SEPARATOR}"; builtin declare -f "$__bookrun_n" ;; esac
    done
  } >"$1" 2>/dev/null
  return $__bookrun_s
}`;

/** The command that saves a session's state after the step at `line` into `file`. */
export function toStateSaveCommand(file: string, line: number): string {
  return `__bookrun_save ${quoteShell(file)} ${line}`;
}

/**
 * Replays a dump in a clean bash (no environment but PATH) and prints what it set: the variables that are
 * new or changed afterwards (never bash's own or bookrun's), the functions and the folder.
 */
const FILTER = `
builtin declare -A __bookrun_start
for __bookrun_n in $(compgen -v); do __bookrun_start[$__bookrun_n]=\${!__bookrun_n}; done
__bookrun_file=$1
builtin source "$__bookrun_file" >/dev/null 2>&1
{ builtin read -r __bookrun_header; builtin read -r __bookrun_cd; } <"$__bookrun_file"
builtin printf '%s\\n' "$__bookrun_cd"
for __bookrun_n in $(compgen -v); do
  case $__bookrun_n in ${SHELL_OWN}) continue ;; esac
  if [[ -v "__bookrun_start[$__bookrun_n]" && "\${__bookrun_start[$__bookrun_n]}" == "\${!__bookrun_n}" ]]; then continue; fi
  builtin declare -p "$__bookrun_n" 2>/dev/null
done
for __bookrun_n in $(compgen -A function); do
  case $__bookrun_n in __bookrun*) ;; *) builtin declare -f "$__bookrun_n" ;; esac
done
`;

/** A saved state: the line of the step after which it was saved, and the bash script that restores it. */
export interface SavedState {
  line: number;
  script: string;
}

/** Reads a state dump and turns it into a restore script (null when there is none or it is unreadable). */
export function readSessionState(file: string): SavedState | null {
  if (!existsSync(file)) return null;
  let header: string;
  try {
    header = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  } catch {
    return null;
  }
  const m = /^#bookrun-state (\d+)$/.exec(header);
  if (!m) return null;
  // Only PATH from this process: its environment (tokens included) must not become part of the script.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const result = spawnSync('bash', ['--noprofile', '--norc', '-c', FILTER, 'bookrun-state', file], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0 && !result.stdout) return null;
  return { line: Number(m[1]), script: result.stdout };
}
