/**
 * Test helper: a page connection that records what the server would send, for the registry's and the message
 * handling's tests (which test those, not the socket: src/terminal/socket-connection.test.ts tests that one).
 */
import type { ServerMessage } from '../core/terminal-protocol.ts';
import type { Disposable } from '../run/shell-session.ts';
import type { PageConnection } from './socket-connection.ts';

export class PageConnectionRecorder implements PageConnection {
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  private readonly sent = new Map<number, number>();
  private readonly acked = new Map<number, number>();

  send(message: ServerMessage): void {
    if (!this.closed) this.messages.push(message);
  }

  output(terminal: number, data: string): void {
    this.sent.set(terminal, (this.sent.get(terminal) ?? 0) + data.length);
    this.send({ type: 'output', terminal, data });
  }

  acknowledge(terminal: number, bytes: number): boolean {
    const total = (this.acked.get(terminal) ?? 0) + bytes;
    this.acked.set(terminal, total);
    return total <= (this.sent.get(terminal) ?? 0);
  }

  congested(): boolean {
    return false;
  }

  onDrain(): Disposable {
    return { dispose: () => undefined };
  }

  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }

  /** Output recorded for terminal N, joined. */
  text(terminal: number): string {
    return this.messages.flatMap((m) => (m.type === 'output' && m.terminal === terminal ? [m.data] : [])).join('');
  }

  /** Resolves once a recorded message matches. */
  async next<T extends ServerMessage>(predicate: (m: ServerMessage) => boolean, polls = 1000): Promise<T> {
    for (let i = 0; i < polls; i++) {
      const found = this.messages.find(predicate);
      if (found) return found as T;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no matching message; got ${JSON.stringify(this.messages).slice(0, 1500)}`);
  }

  /** Resolves once terminal N's output matches. */
  async waitOutput(terminal: number, pattern: RegExp, polls = 1000): Promise<string> {
    for (let i = 0; i < polls; i++) {
      if (pattern.test(this.text(terminal))) return this.text(terminal);
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`terminal ${terminal} never printed ${pattern}; got ${JSON.stringify(this.text(terminal).slice(-1500))}`);
  }
}
