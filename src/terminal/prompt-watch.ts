import { SENTINEL_OSC } from '../run/sentinel-scanner.ts';

const PROMPT = new RegExp(`\\x1b\\]${SENTINEL_OSC};bookrun;[0-9a-f]+;\\d+\\x07`);

/**
 * Tells, from a terminal's raw output, when its shell showed a fresh prompt: the prompt command's sentinel
 * (an OSC escape with the command's status, printed before every primary prompt, after ctrl+c at the prompt
 * too). A sentinel cut across two reads is still seen. Never fooled into silence: a command that prints a
 * fake one only makes the terminal look idle a little early, and the foreground check still holds.
 */
export class PromptWatch {
  private tail = '';

  /** Whether `data` (with what came before it) completes a prompt sentinel. */
  push(data: string): boolean {
    // The common case, a chunk of plain output: no escape pending, none in it (no copy, no regular expression).
    if (this.tail === '' && data.indexOf('\x1b]') === -1 && !data.endsWith('\x1b')) return false;
    const text = this.tail + data;
    const seen = PROMPT.test(text);
    const esc = text.lastIndexOf('\x1b');
    // Keep an escape sequence that has not ended yet, for the next read.
    this.tail = esc !== -1 && text.length - esc < 64 && !text.includes('\x07', esc) ? text.slice(esc) : '';
    return seen;
  }
}
