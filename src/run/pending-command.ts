import { toPlainText } from './to-plain-text.ts';

/** Options of one command (see `ShellSession.run`). */
export interface RunOptions {
  /** End the command (ctrl+c, then harder) after this long; the result is `timed-out`. */
  timeoutMs?: number;
  /** End the command as ctrl+c would once its plain output matches; the result is `interrupted` (reason `until`). */
  until?: RegExp;
  /**
   * End the command as ctrl+c would once this says its plain output (complete lines) is what was expected: a
   * watch's expected output. The result is `interrupted` (reason `expect`). Checked as output arrives, at most
   * every 50 ms (less often when the check is slow), so a chatty watch costs little. `until` wins.
   */
  expect?: (output: string) => boolean;
  /** Raw chunks of the command's output as they arrive (ANSI codes included; in interactive mode the echo too). */
  onOutput?: (chunk: string) => void;
  /** Keep at most this many characters of plain output (the tail). Default 1,000,000. */
  maxOutput?: number;
}

/**
 * What became of one command, zx style: a failure is a value, never an exception. `output` is plain text
 * (no ANSI codes, `\r\n` → `\n`, the sentinel cut; in interactive mode the echoed command is cut too,
 * using readline's bracketed-paste marker).
 */
export type CommandResult =
  | { kind: 'exited'; exitCode: number; output: string; durationMs: number }
  | {
      kind: 'interrupted';
      /**
       * `until`: the pattern matched; `expect`: the output matched what was expected; `interrupt`: someone called
       * interrupt(); `disposed`: the session ended.
       */
      reason: 'until' | 'expect' | 'interrupt' | 'disposed';
      /**
       * The status bash reported after the interrupt (130 for SIGINT); for `disposed`, the shell's own exit
       * status when it ended by itself (an `exit` command); null when the session died first.
       */
      exitCode: number | null;
      output: string;
      durationMs: number;
    }
  | { kind: 'timed-out'; exitCode: number | null; output: string; durationMs: number };

/** Why a command was stopped, once it was. */
export type StopReason = 'until' | 'expect' | 'interrupt' | 'disposed' | 'timeout';

/** readline's "bracketed paste off": it prints it once it has read a line, before bash runs it. */
const LINE_READ = '\x1b[?2004l';

/**
 * One command of a shell session while it runs: the lines still to type, its output so far (the echo of the
 * typed lines cut off in interactive mode), whether its stop conditions (`until`, the expected output) hold,
 * and its result once the prompt is back. The session drives it; it does no I/O of its own.
 */
export class PendingCommand {
  /** The command's lines, typed one by one, each when bash prompts for it. */
  readonly lines: string[];
  next = 0;
  /** Bash asked for more after the last line: the command is incomplete (an unclosed quote or heredoc). */
  incomplete = false;
  /** An interrupt was sent: a stray one may still reach the prompt, so the shell is synced afterwards. */
  signalled = false;
  state: 'running' | 'interrupting' = 'running';
  reason: StopReason | null = null;
  readonly timers: NodeJS.Timeout[] = [];
  readonly started = Date.now();
  /** The raw output so far (its tail when very long). */
  private raw = '';
  private truncated = false;
  /**
   * Interactive echo: readline echoes each typed line, then prints "bracketed paste off" once it has read it.
   * Until then the text is the echo, not output; this holds the end of it, to find the marker.
   */
  private echo: string | null = null;
  /** The echo dropped so far, and whether the marker was ever seen (without bracketed paste it never is). */
  private echoed = '';
  private sawLineRead = false;
  private lastExpectCheck = 0;
  private expectCheckCost = 0;
  private expectTimer: NodeJS.Timeout | null = null;

  constructor(
    command: string,
    readonly options: RunOptions,
    /** Called when a stop condition holds: the session stops the command (reason already set). */
    private readonly onStop: () => void,
    private readonly resolve: (result: CommandResult) => void,
  ) {
    // A chapter saved with CRLF line ends must not hand bash a `\r` at the end of every line.
    this.lines = command.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  }

  /** The next line was typed: in interactive mode its echo comes first. */
  typed(interactive: boolean): void {
    if (interactive) this.echo = '';
  }

  /** Takes in one chunk of the command's output. */
  absorb(chunk: string): void {
    let text = chunk;
    if (this.echo !== null) {
      const buffer = this.echo + text;
      const at = buffer.indexOf(LINE_READ);
      if (at === -1) {
        this.echo = buffer.slice(-(LINE_READ.length - 1));
        if (this.echoed.length < 65536) this.echoed += text;
        return;
      }
      this.echo = null;
      this.sawLineRead = true;
      text = buffer.slice(at + LINE_READ.length);
      if (!text) return;
    }
    const max = this.options.maxOutput ?? 1_000_000;
    this.raw += text;
    if (this.raw.length > 2 * max + 4096) {
      this.raw = this.raw.slice(-(max + 4096));
      this.truncated = true;
    }
    if (this.state !== 'running') return;
    // A watch's pattern is looked for in the recent output: enough for any line, cheap on long watches.
    if (this.options.until) {
      if (this.options.until.test(toPlainText(this.raw.slice(-65536)))) this.stop('until');
      return;
    }
    if (this.options.expect) this.scheduleExpectCheck();
  }

  /** The expected-output check, throttled: now when the last one was long enough ago, else once, a little later. */
  private scheduleExpectCheck(): void {
    if (this.expectTimer) return;
    const interval = Math.max(50, this.expectCheckCost * 10);
    const wait = this.lastExpectCheck + interval - Date.now();
    if (wait <= 0) {
      this.checkExpect();
      return;
    }
    this.expectTimer = setTimeout(() => {
      this.expectTimer = null;
      this.checkExpect();
    }, wait);
    this.timers.push(this.expectTimer);
  }

  private checkExpect(): void {
    if (this.state !== 'running' || !this.options.expect) return;
    const start = Date.now();
    const plain = toPlainText(this.raw);
    // Only complete lines: a line still being written could match as its first half.
    const complete = plain.slice(0, plain.lastIndexOf('\n') + 1);
    const matched = complete !== '' && this.options.expect(complete);
    this.lastExpectCheck = Date.now();
    this.expectCheckCost = this.lastExpectCheck - start;
    if (matched) this.stop('expect');
  }

  private stop(reason: StopReason): void {
    this.reason = reason;
    this.onStop();
  }

  /** The result, once the prompt is back (or the session is gone): `exitCode` is what bash reported. */
  finish(exitCode: number | null): void {
    for (const t of this.timers) clearTimeout(t);
    // Without bracketed paste the echo cannot be told apart: keep it rather than lose the output.
    const raw = !this.sawLineRead && this.echoed ? this.echoed + this.raw : this.raw;
    let output = cap(toPlainText(raw), this.options.maxOutput, this.truncated);
    if (this.incomplete) {
      output += `${output && !output.endsWith('\n') ? '\n' : ''}bookrun: bash waited for more input after the last line: an unclosed quote, heredoc or \\ continuation?\n`;
    }
    const durationMs = Date.now() - this.started;
    if (this.reason === 'timeout') this.resolve({ kind: 'timed-out', exitCode, output, durationMs });
    else if (this.reason) this.resolve({ kind: 'interrupted', reason: this.reason, exitCode, output, durationMs });
    else this.resolve({ kind: 'exited', exitCode: exitCode ?? -1, output, durationMs });
  }
}

/** Keeps the tail of `text` when it is longer than `max` characters, marking the cut. */
function cap(text: string, max = 1_000_000, truncated = false): string {
  if (text.length <= max && !truncated) return text;
  const from = text.length > max ? text.indexOf('\n', text.length - max) + 1 || text.length - max : 0;
  return `[… earlier output cut …]\n${text.slice(from)}`;
}
