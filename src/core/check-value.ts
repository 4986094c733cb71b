/**
 * Values are data. A placeholder value, a capture or a page input is typed into an interactive shell as
 * part of a command line, so a control character in it would act as a key, not as text: `ESC [201~` ends
 * bracketed paste, `^U`/`^W`/DEL erase what was typed, `^C` interrupts, a newline or carriage return
 * submits the line, and C1 controls (`0x9B` is a one-byte CSI) start escape sequences in some terminals.
 * Quoting cannot help, because these act in the terminal's line discipline and readline before bash ever
 * sees a quote. So a value may hold any character except:
 *
 * - the C0 controls U+0000–U+001F other than TAB (U+0009): this includes LF and CR,
 * - DEL (U+007F),
 * - the C1 controls U+0080–U+009F.
 *
 * Pure; the CLI, the values file reader, the terminal server, the page and the runner's captures all use it.
 */

/** Why a value was refused: the first offending character and where it is. */
export interface ValueProblem {
  /** 0-based index (in UTF-16 code units) of the first refused character. */
  index: number;
  /** Its code point. */
  codePoint: number;
  /** A readable name: `ESC (U+001B)`, `newline (U+000A)`, `DEL (U+007F)`. */
  name: string;
  /** One sentence for messages: what is wrong and what a value may hold. */
  message: string;
}

const C0_NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x03: 'ctrl+c',
  0x04: 'ctrl+d',
  0x08: 'backspace',
  0x0a: 'newline',
  0x0d: 'carriage return',
  0x15: 'ctrl+u',
  0x17: 'ctrl+w',
  0x1b: 'ESC',
};

/** True for the characters a value may not hold (see the module comment). */
export function isRefusedCharacter(codePoint: number): boolean {
  return (codePoint < 0x20 && codePoint !== 0x09) || codePoint === 0x7f || (codePoint >= 0x80 && codePoint <= 0x9f);
}

function nameOf(codePoint: number): string {
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  if (codePoint === 0x7f) return `DEL (${hex})`;
  if (codePoint >= 0x80) return `a C1 control character (${hex})`;
  const name = C0_NAMES[codePoint] ?? `ctrl+${String.fromCharCode(codePoint + 0x40).toLowerCase()}`;
  return `${name} (${hex})`;
}

/** The wording every refusal ends with, so the CLI, the server and the page say the same thing. */
export const VALUE_RULE = 'a value may hold any printable character and tabs, but no control characters, newlines or DEL (they would act as keys in the terminal)';

/**
 * Checks one value; null when it may be typed into a shell. Every control character is refused, wherever
 * it sits, including a trailing newline (trim values read from files before checking them, if you mean to).
 */
export function checkValue(value: string): ValueProblem | null {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (!isRefusedCharacter(code)) continue;
    const name = nameOf(code);
    return { index: i, codePoint: code, name, message: `holds ${name} at character ${i + 1}: ${VALUE_RULE}` };
  }
  return null;
}
