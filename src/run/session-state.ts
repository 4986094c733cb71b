import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Session state for `--from` resumes: after each step the runner asks bash to dump its variables
 * (exported or not), functions and working directory to a file; a resumed run replays the dump, filtered
 * of bash's own and bookrun's variables, in a fresh shell before the first step it runs.
 */

/** Defines `__bookrun_save FILE LINE` in a session; it keeps `$?` as the step left it. */
export const STATE_SETUP =
  '__bookrun_save() { local __bookrun_s=$?; { builtin printf \'#bookrun-state %s\\n\' "$2"; builtin printf \'builtin cd -- %q\\n\' "$PWD"; builtin declare -p; builtin declare -f; } >"$1" 2>/dev/null; return $__bookrun_s; }';

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The command that saves a session's state after the step at `line`. */
export function toStateSaveCommand(file: string, line: number): string {
  return `__bookrun_save ${shellQuote(file)} ${line}`;
}

/** Variables a restore must not touch: bash's own, the terminal's, and bookrun's sentinel settings. */
const FILTER = `
__bookrun_file=$1
builtin source "$__bookrun_file" >/dev/null 2>&1
{ builtin read -r __bookrun_header; builtin read -r __bookrun_cd; } <"$__bookrun_file"
builtin printf '%s\\n' "$__bookrun_cd"
for __bookrun_n in $(compgen -v); do
  case $__bookrun_n in
    BASH*|PS1|PS2|PS3|PS4|PROMPT_COMMAND|PROMPT_DIRTRIM|HIST*|SHELLOPTS|BASHOPTS|EUID|UID|PPID|SHLVL|_|COLUMNS|LINES) continue ;;
    RANDOM|SRANDOM|SECONDS|EPOCHREALTIME|EPOCHSECONDS|LINENO|OLDPWD|PWD|TERM|IFS|OPTIND|OPTARG|OPTERR|FUNCNAME|GROUPS) continue ;;
    DIRSTACK|PIPESTATUS|COMP_*|COMPREPLY|MAILCHECK|HOSTNAME|HOSTTYPE|MACHTYPE|OSTYPE|__bookrun*) continue ;;
  esac
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
  const result = spawnSync('bash', ['--noprofile', '--norc', '-c', FILTER, 'bookrun-state', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0 && !result.stdout) return null;
  return { line: Number(m[1]), script: result.stdout };
}
