import type { WebSocket } from 'ws';
import type { OutputFormat, ServerMessage } from '../core/terminal-protocol.ts';
import type { Disposable } from '../run/shell-session.ts';
import { refuseSocket } from './handshake.ts';

/** Counters of the whole server, kept by its sockets (for `stats()`, tests and the bench). */
export interface OutputCounters {
  /** Output sent to pages, in code units, since the server started. */
  sentOutput: number;
  /** The most bytes one socket ever held unsent (not yet handed to the kernel). */
  peakQueuedBytes: number;
}

/** Limits of one socket's output queue, in bytes. */
export interface QueueLimits {
  /** Congested above this. */
  maxQueuedBytes: number;
  /** No longer congested once under this. */
  lowWatermark: number;
}

/** What the session registry and the message handling need of a page's connection. */
export interface PageConnection {
  send(message: ServerMessage): void;
  /** Terminal output (counted for the ack check and the queue bound). */
  output(terminal: number, data: string): void;
  /** Records an ack; false when it goes beyond what was sent (the caller closes the connection). */
  acknowledge(terminal: number, bytes: number): boolean;
  congested(): boolean;
  onDrain(listener: () => void): Disposable;
  close(code: number, reason: string): void;
}

/**
 * One authenticated page socket. Counts what it sent and what the page acknowledged, per terminal number, over
 * the socket's whole life: a page can never rightly acknowledge more than it was sent, so an ack beyond that is a
 * lie (or a bug) and closes the socket. Watches its own unsent queue (ws `bufferedAmount`), so a terminal stops
 * reading its pty while the page does not read, whatever it acknowledges. Output goes in the format the page
 * asked for in `auth` (JSON text frames, or binary frames: the terminal's number, then UTF-8).
 */
export class SocketConnection implements PageConnection {
  readonly socket: WebSocket;
  readonly format: OutputFormat;
  private readonly limits: QueueLimits;
  private readonly counters: OutputCounters;
  private readonly sent = new Map<number, number>();
  private readonly acked = new Map<number, number>();
  private readonly drainListeners = new Set<() => void>();
  private wasCongested = false;

  constructor(socket: WebSocket, limits: QueueLimits, counters: OutputCounters, format: OutputFormat = 'json') {
    this.socket = socket;
    this.format = format;
    this.limits = limits;
    this.counters = counters;
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** Bytes the socket holds that the kernel has not taken yet. */
  get queuedBytes(): number {
    return this.socket.bufferedAmount;
  }

  send(message: ServerMessage): void {
    if (this.open) this.socket.send(JSON.stringify(message), () => this.written());
  }

  /** Sends terminal output, counting it for the ack check and the queue bound. */
  output(terminal: number, data: string): void {
    if (!this.open) return;
    this.sent.set(terminal, (this.sent.get(terminal) ?? 0) + data.length);
    this.counters.sentOutput += data.length;
    if (this.format === 'binary') {
      const frame = Buffer.allocUnsafe(1 + Buffer.byteLength(data, 'utf8'));
      frame[0] = terminal;
      frame.write(data, 1, 'utf8');
      this.socket.send(frame, { binary: true }, () => this.written());
    } else this.send({ type: 'output', terminal, data });
    this.counters.peakQueuedBytes = Math.max(this.counters.peakQueuedBytes, this.queuedBytes);
  }

  /** Records an ack; false when it takes the page beyond what it was sent for that terminal (close the socket). */
  acknowledge(terminal: number, bytes: number): boolean {
    const total = (this.acked.get(terminal) ?? 0) + bytes;
    if (total > (this.sent.get(terminal) ?? 0)) return false;
    this.acked.set(terminal, total);
    return true;
  }

  /** Too much is queued: above the limit, and until it drains under the low watermark (hysteresis). */
  congested(): boolean {
    const queued = this.queuedBytes;
    this.wasCongested = queued > (this.wasCongested ? this.limits.lowWatermark : this.limits.maxQueuedBytes);
    return this.wasCongested;
  }

  /** Called when the queue drained after being congested (terminals then read their ptys again). */
  onDrain(listener: () => void): Disposable {
    this.drainListeners.add(listener);
    return { dispose: () => this.drainListeners.delete(listener) };
  }

  /** Closes the socket with `code` and `reason`; a peer that does not answer the close is cut soon after. */
  close(code: number, reason: string): void {
    refuseSocket(this.socket, code, reason);
  }

  private written(): void {
    if (this.wasCongested && this.queuedBytes < this.limits.lowWatermark) {
      this.wasCongested = false;
      for (const listener of [...this.drainListeners]) listener();
    }
  }
}
