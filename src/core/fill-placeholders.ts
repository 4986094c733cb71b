import { checkValue, type ValueProblem } from './check-value.ts';
import { escapeRegExp } from './escape-reg-exp.ts';
import { quoteShellValue } from './quote-shell.ts';

/**
 * What a placeholder becomes: a value (checked, then shell-quoted), `{ display }` text for showing a command
 * that will not run as shown (`--dry-run` writes `<captured at line 17>`), or undefined to leave `NAME=[...]`.
 */
export type PlaceholderValue = string | { display: string } | undefined;

/** A command with its placeholders filled, or the first value that may not be typed into a shell. */
export type PlaceholderFill =
  | {
      kind: 'filled';
      command: string;
      /** Names the lookup had no value for: their `NAME=[...]` is still in the command. */
      missing: string[];
    }
  | {
      kind: 'refused';
      /** The placeholder whose value was refused. */
      name: string;
      problem: ValueProblem;
      /** `TEAM: the value holds ctrl+u (U+0015) at character 1: a value may hold …`. */
      message: string;
    };

/**
 * Fills `NAME=[...]` with `NAME=value` for every placeholder `names` lists, the one way every caller (the
 * runner, `--dry-run`, the terminal server) does it. Each value is checked with {@link checkValue} first:
 * a value holding a control character is refused, never typed. Pure.
 */
export function fillPlaceholders(command: string, names: readonly string[], lookup: (name: string) => PlaceholderValue): PlaceholderFill {
  let out = command;
  const missing: string[] = [];
  for (const name of names) {
    const value = lookup(name);
    if (value === undefined) {
      missing.push(name);
      continue;
    }
    let text: string;
    if (typeof value === 'string') {
      const problem = checkValue(value);
      if (problem) return { kind: 'refused', name, problem, message: `${name}: the value ${problem.message}` };
      text = quoteShellValue(value);
    } else {
      text = value.display;
    }
    out = out.replace(new RegExp(`\\b${escapeRegExp(name)}=\\[\\.\\.\\.\\]`, 'g'), () => `${name}=${text}`);
  }
  return { kind: 'filled', command: out, missing };
}
