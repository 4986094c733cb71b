import type { Disposable, ShellSession } from '../run/shell-session.ts';
import type { RunStatusMessage, TerminalSignal } from '../core/terminal-protocol.ts';
import { readProcessInfo } from './list-session-processes.ts';
import { OutputFrames } from './output-frames.ts';
import { PromptWatch } from './prompt-watch.ts';

/** Output flow control and replay bounds. */
export interface FlowLimits {
  /** Pause the pty when this much sent output is not yet acknowledged (UTF-16 code units, what `ack.bytes` counts). */
  highWatermark: number;
  /** Resume once unacknowledged output falls under this (code units), and the socket's queue under this (bytes). */
  lowWatermark: number;
  /** Output kept for replay on re-attach (code units). */
  scrollback: number;
  /**
   * Pause the pty when the page's socket holds this many bytes not yet handed to the kernel, whatever the page
   * acknowledged: a client that acknowledges without reading cannot make the server queue output without bound.
   */
  maxQueuedBytes: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = { highWatermark: 1 << 20, lowWatermark: 1 << 18, scrollback: 256 * 1024, maxQueuedBytes: 1 << 20 };

/** Where a terminal's output goes while a page is attached. */
export interface TerminalSink {
  output(data: string): void;
  exit(exit: TerminalExit): void;
  /**
   * Whether the page's socket is congested (too much output queued, unsent): the terminal then stops reading
   * its pty until {@link Terminal.refreshFlow} finds it is not.
   */
  congested?(): boolean;
}

/** How a terminal's shell ended. */
export interface TerminalExit {
  exitCode: number | null;
  signal: number | null;
}

/**
 * One reader terminal: a shell session plus what lets it outlive a page — bounded scrollback for
 * re-attach and ack-based flow control so a `yes` cannot grow memory. Output arrives decoded by node-pty's
 * stream decoder (a StringDecoder), so a character split across pty reads is never cut in two.
 */
export class Terminal {
  readonly number: number;
  readonly shell: ShellSession;
  /** Step id of the run in progress, for `status`. */
  running: string | null = null;
  /** The `run` request id of the run in progress. */
  request: string | null = null;
  /** The final status of the last run (for a page that reloaded while it ended). */
  lastRun: RunStatusMessage | null = null;
  /** Set by the run in progress: the reader's ctrl+c stops it, also while it waits between two attempts. */
  stopRun: (() => void) | null = null;
  exited: TerminalExit | null = null;
  /** The reader typed since the shell's last prompt: the line may hold their text (or a command runs). */
  private typedSincePrompt = false;
  private readonly prompts = new PromptWatch();
  private readonly limits: FlowLimits;
  private scrollback: string[] = [];
  private scrollbackLength = 0;
  private sink: TerminalSink | null = null;
  private unacked = 0;
  private paused = false;
  private readonly frames = new OutputFrames((data) => {
    if (this.sink) this.send(data);
  });
  private readonly listeners: Disposable[] = [];
  private disposing: Promise<void> | null = null;
  private readonly dataListeners = new Set<(data: string) => void>();

  constructor(number: number, shell: ShellSession, limits: FlowLimits = DEFAULT_FLOW_LIMITS) {
    this.number = number;
    this.shell = shell;
    this.limits = limits;
    this.listeners.push(
      shell.onData((text) => this.receive(text)),
      shell.onExit((exit) => {
        this.frames.flush();
        this.exited = { exitCode: exit.signal ? null : exit.exitCode, signal: exit.signal ?? null };
        this.sink?.exit(this.exited);
      }),
    );
  }

  /** Output not yet acknowledged by the attached page (for tests and the bench). */
  get unacknowledged(): number {
    return this.unacked;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Listens to decoded output (whether or not a page is attached). */
  onOutput(listener: (data: string) => void): Disposable {
    this.dataListeners.add(listener);
    return { dispose: () => this.dataListeners.delete(listener) };
  }

  /** Attaches a page: replays the scrollback, then live output. Replaces any previous page. */
  attach(sink: TerminalSink): void {
    // What was gathered for no page is in the scrollback, which the new page gets whole.
    this.frames.discard();
    this.sink = sink;
    const replay = this.scrollback.join('');
    this.unacked = 0;
    if (replay) this.send(replay);
    else this.updateFlow();
    if (this.exited) sink.exit(this.exited);
  }

  /** Detaches the page: output keeps going to the bounded scrollback only. */
  detach(sink?: TerminalSink): void {
    if (sink && this.sink !== sink) return;
    this.frames.discard();
    this.sink = null;
    this.unacked = 0;
    this.updateFlow();
  }

  /** The reader's keystrokes (`input`), typed into the shell as they are. */
  input(data: string): void {
    if (this.exited) return;
    this.typedSincePrompt = true;
    this.shell.write(data);
  }

  /**
   * Why a step may not be typed here now, or null when the shell sits at a prompt with an empty line: a step of
   * the book still runs, a program the reader started holds the terminal (its foreground process group is not the
   * shell's), or the reader typed at the prompt since it appeared (the step would be typed after their text).
   */
  busy(): string | null {
    if (this.exited) return 'its shell has exited';
    if (this.running) return `it is still running ${this.running}`;
    const info = readProcessInfo(this.shell.pid);
    if (info && info.tpgid > 0 && info.tpgid !== this.shell.pid) {
      const job = readProcessInfo(info.tpgid);
      return `${job ? `\`${job.comm}\`` : 'a program'} is running in it`;
    }
    if (this.typedSincePrompt) return 'you typed at its prompt since it appeared';
    return null;
  }

  /** The page wrote `count` code units of output (xterm.js write callback). */
  ack(count: number): void {
    this.unacked = Math.max(0, this.unacked - count);
    this.updateFlow();
  }

  private receive(text: string): void {
    if (!text) return;
    if (this.prompts.push(text)) this.typedSincePrompt = false;
    this.keep(text);
    for (const listener of this.dataListeners) listener(text);
    if (this.sink) this.frames.push(text);
  }

  private send(data: string): void {
    this.unacked += data.length;
    this.sink!.output(data);
    this.updateFlow();
  }

  /** Re-checks whether to read the pty (the socket's queue drained, or filled). */
  refreshFlow(): void {
    this.updateFlow();
  }

  private updateFlow(): void {
    const congested = this.sink?.congested?.() ?? false;
    const over = this.sink !== null && (this.unacked > this.limits.highWatermark || congested);
    const under = this.sink === null || (this.unacked < this.limits.lowWatermark && !congested);
    if (over && !this.paused) {
      this.paused = true;
      this.shell.pause();
    } else if (under && this.paused) {
      this.paused = false;
      this.shell.resume();
    }
  }

  private keep(text: string): void {
    this.scrollback.push(text);
    this.scrollbackLength += text.length;
    const max = this.limits.scrollback;
    while (this.scrollbackLength > max && this.scrollback.length > 0) {
      const first = this.scrollback[0];
      const excess = this.scrollbackLength - max;
      if (first.length <= excess) {
        this.scrollback.shift();
        this.scrollbackLength -= first.length;
      } else {
        // Cut at a line start when one is near, so the replay does not begin mid escape sequence.
        let cut = excess;
        const newline = first.indexOf('\n', excess);
        if (newline !== -1 && newline - excess < 4096) cut = newline + 1;
        // Never leave half a surrogate pair.
        const code = first.charCodeAt(cut);
        if (code >= 0xdc00 && code <= 0xdfff) cut += 1;
        this.scrollback[0] = first.slice(cut);
        this.scrollbackLength -= cut;
      }
    }
  }

  /**
   * Signals the foreground job as the terminal would: SIGINT is the ctrl+c key (during a step, the shell
   * session's interrupt, so the step reports `interrupted`); the others go to the foreground process group,
   * never to the shell itself.
   */
  signal(signal: TerminalSignal): void {
    if (this.exited) return;
    if (signal === 'SIGINT') {
      if (this.running) {
        this.stopRun?.();
        this.shell.interrupt();
      }
      else this.shell.write('\x03');
      return;
    }
    const info = readProcessInfo(this.shell.pid);
    // Never the shell itself: SIGTERM/SIGKILL there would end the reader's terminal, not the job.
    if (!info || info.tpgid <= 0 || info.tpgid === this.shell.pid) return;
    try {
      process.kill(-info.tpgid, signal);
    } catch {
      // the job already ended
    }
  }

  /** Ends the shell's whole session and stops listening. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      await this.shell.dispose();
      this.frames.discard();
      for (const l of this.listeners) l.dispose();
      this.dataListeners.clear();
    })();
    return this.disposing;
  }
}
