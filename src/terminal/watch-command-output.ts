import { toPlainText } from '../run/to-plain-text.ts';
import type { Disposable } from '../run/shell-session.ts';
import type { Terminal } from './terminal.ts';

/** readline's "bracketed paste off": bash prints it once it has read a line, before running it. */
const LINE_READ = '\x1b[?2004l';
/** The shell session's status sentinel (src/run/shell-session.ts): what follows is the next prompt. */
const SENTINEL = '\x1b]6973;';
const KEEP = 1_000_000;

/** What a command printed, as seen on the reader's terminal, without the echo of the typed command. */
export interface CommandOutputWatch extends Disposable {
  /** Plain text the command printed, or null when the echo could not be told apart (no bracketed paste). */
  output(): string | null;
  /** Whether `until` matched (the watch was stopped by it). */
  readonly untilMatched: boolean;
}

/**
 * Follows a typed command's output on a reader terminal, skipping the echo of the command itself: with
 * the terminal's echo on, the typed line would otherwise match its own `until` pattern at once, and be
 * compared with the expected output. The command's output starts after readline has read its last line
 * (`lines` lines typed). When `until` matches, the watch is stopped as ctrl+c would.
 *
 * TODO(runner): ShellSession.run with `interactiveEcho` should do this itself (its `until` and `output`
 * include the echoed command today); then delete this file.
 */
export function watchCommandOutput(terminal: Terminal, lines: number, until: RegExp | null): CommandOutputWatch {
  let seen = 0;
  let carry = '';
  let started = false;
  let raw = '';
  let untilMatched = false;
  const listener = terminal.onOutput((text) => {
    if (!started) {
      let rest = carry + text;
      for (;;) {
        const at = rest.indexOf(LINE_READ);
        if (at === -1) break;
        seen += 1;
        rest = rest.slice(at + LINE_READ.length);
        if (seen >= lines) {
          started = true;
          break;
        }
      }
      if (!started) {
        carry = rest.slice(-(LINE_READ.length - 1));
        return;
      }
      text = rest;
    }
    raw += text;
    if (raw.length > 2 * KEEP) raw = raw.slice(-KEEP);
    if (until && !untilMatched) {
      const recent = raw.slice(-65536);
      const end = recent.indexOf(SENTINEL);
      if (until.test(toPlainText(end === -1 ? recent : recent.slice(0, end)))) {
        untilMatched = true;
        terminal.shell.interrupt();
      }
    }
  });
  return {
    get untilMatched() {
      return untilMatched;
    },
    output() {
      if (!started) return null;
      const end = raw.lastIndexOf(SENTINEL);
      return toPlainText(end === -1 ? raw : raw.slice(0, end));
    },
    dispose: () => listener.dispose(),
  };
}
