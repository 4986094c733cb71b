/** How a terminal's pty reads are gathered into page frames. */
export interface FrameOptions {
  /** A frame is sent at once when it reaches this many code units, and never holds more (but for one longer read). */
  frameMax: number;
  /** While output streams, reads are gathered this long (ms) before a frame goes out. */
  streamWindowMs: number;
  /** A frame of at least this many code units means output is streaming (a pty read is at most ~4 KiB). */
  streamFrame: number;
}

/**
 * 64 KiB frames; 4 ms windows while streaming (VS Code's terminal buffers its pty output 5 ms, always). Measured in
 * `npm run bench -- terminal`: one frame per pty read (~4 KiB) cost the server a `writev` and the page a parse and
 * an ack per read, and held the stream at ~0.75× raw node-pty.
 */
export const DEFAULT_FRAME_OPTIONS: FrameOptions = { frameMax: 64 * 1024, streamWindowMs: 4, streamFrame: 2048 };

/**
 * Gathers a terminal's output into frames for its page. A read that follows quiet goes out before the next
 * event-loop turn (a keystroke's echo, a prompt, the first line of a step's output: no added latency); reads
 * that follow a large frame closely are gathered for `streamWindowMs` or up to `frameMax` code units, so a
 * stream costs a frame per window instead of one per pty read.
 */
export class OutputFrames {
  private readonly send: (data: string) => void;
  private readonly options: FrameOptions;
  private pending = '';
  private scheduled: { kind: 'immediate'; handle: NodeJS.Immediate } | { kind: 'timer'; handle: NodeJS.Timeout } | null = null;
  private lastFrameLength = 0;
  private lastFrameAt = -Infinity;

  constructor(send: (data: string) => void, options: FrameOptions = DEFAULT_FRAME_OPTIONS) {
    this.send = send;
    this.options = options;
  }

  /** Output to send (in order, never split or reordered). */
  push(text: string): void {
    if (!text) return;
    // A frame holds at most frameMax code units (unless one read alone is longer): what is gathered goes first.
    if (this.pending && this.pending.length + text.length > this.options.frameMax) this.flush();
    this.pending += text;
    if (this.pending.length >= this.options.frameMax) return this.flush();
    if (this.scheduled) return;
    const streaming = this.lastFrameLength >= this.options.streamFrame && performance.now() - this.lastFrameAt < this.options.streamWindowMs;
    this.scheduled = streaming
      ? { kind: 'timer', handle: setTimeout(() => this.flush(), this.options.streamWindowMs) }
      : { kind: 'immediate', handle: setImmediate(() => this.flush()) };
  }

  /** Sends what is gathered now. */
  flush(): void {
    this.cancel();
    if (!this.pending) return;
    const data = this.pending;
    this.pending = '';
    this.lastFrameLength = data.length;
    this.lastFrameAt = performance.now();
    this.send(data);
  }

  /** Drops what is gathered (its page went away: the scrollback has it) and any scheduled frame. */
  discard(): void {
    this.cancel();
    this.pending = '';
  }

  private cancel(): void {
    if (!this.scheduled) return;
    if (this.scheduled.kind === 'timer') clearTimeout(this.scheduled.handle);
    else clearImmediate(this.scheduled.handle);
    this.scheduled = null;
  }
}
