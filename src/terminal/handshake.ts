import type { WebSocket } from 'ws';
import { parseClientMessage, type AuthMessage } from '../core/terminal-protocol.ts';
import { checkToken } from './check-token.ts';

/** Limits of the unauthenticated phase. */
export interface HandshakeLimits {
  /** Unauthenticated sockets held at once; one more closes the oldest of them (1013), never the newcomer. */
  maxPending: number;
  /** How long a socket has to send a right `auth` frame. */
  timeoutMs: number;
  /** How long a socket that sent a bad token waits before it is closed (it alone: nobody else waits). */
  badTokenDelayMs: number;
}

export const DEFAULT_HANDSHAKE_LIMITS: HandshakeLimits = { maxPending: 16, timeoutMs: 3000, badTokenDelayMs: 1000 };

/** A refused socket gets its close frame, and a short while to answer it; then it is cut (no 30 s linger). */
export function refuseSocket(socket: WebSocket, code: number, reason: string): void {
  socket.close(code, reason);
  setTimeout(() => socket.terminate(), 500).unref();
}

/**
 * The unauthenticated phase of every socket: its first frame must be `auth` with the right token, within
 * `timeoutMs`. Unauthenticated sockets have a small cap of their own and never count against the reader's:
 * when the cap is full, the oldest unauthenticated socket makes room, so a local process holding sockets open
 * cannot keep the reader out. A socket that offered the right token in its upgrade request (`vouched`, see
 * `TERMINAL_SUBPROTOCOL`) is outside the cap altogether: nothing another client does can crowd it out.
 *
 * A bad token closes its own socket after `badTokenDelayMs`; no other socket, address or later attempt waits.
 * There is no per-address rule: on 127.0.0.0/8 an attacker picks any source address, and a global one would
 * let anyone lock the reader out. Guessing is hopeless anyway: the token has 256 random bits.
 */
export class Handshake {
  private readonly token: string;
  private readonly limits: HandshakeLimits;
  private readonly onAuthenticated: (socket: WebSocket, auth: AuthMessage) => void;
  /** Unauthenticated, unvouched sockets, oldest first. */
  private readonly waiting = new Set<WebSocket>();
  private peak = 0;

  constructor(token: string, limits: HandshakeLimits, onAuthenticated: (socket: WebSocket, auth: AuthMessage) => void) {
    this.token = token;
    this.limits = limits;
    this.onAuthenticated = onAuthenticated;
  }

  /** Unauthenticated sockets held now. */
  get pending(): number {
    return this.waiting.size;
  }

  /** The most unauthenticated sockets ever held at once. */
  get peakPending(): number {
    return this.peak;
  }

  /** Takes a new socket through the handshake; `vouched` when its upgrade carried the right token. */
  admit(socket: WebSocket, vouched: boolean): void {
    if (!vouched) {
      for (const oldest of this.waiting) {
        if (this.waiting.size < this.limits.maxPending) break;
        this.waiting.delete(oldest);
        refuseSocket(oldest, 1013, 'too many unauthenticated connections: send the token at once');
      }
      this.waiting.add(socket);
      this.peak = Math.max(this.peak, this.waiting.size);
    }
    const timers: NodeJS.Timeout[] = [];
    const settle = () => {
      for (const t of timers) clearTimeout(t);
      this.waiting.delete(socket);
      socket.off('message', first);
    };
    timers.push(setTimeout(() => refuseSocket(socket, 1008, `authenticate within ${this.limits.timeoutMs / 1000} s`), this.limits.timeoutMs));
    socket.once('close', settle);
    const first = (raw: Buffer, isBinary: boolean) => {
      // Only the first frame is read here; whatever follows a refusal (a right token after a wrong one) never is.
      socket.off('message', first);
      if (socket.readyState !== socket.OPEN) return;
      const parsed = isBinary ? null : parseClientMessage(raw.toString('utf8'));
      if (!parsed || 'error' in parsed || parsed.type !== 'auth') {
        settle();
        refuseSocket(socket, 1008, 'the first message must be {"type":"auth","token":…}');
        return;
      }
      if (!checkToken(parsed.token, this.token)) {
        for (const t of timers.splice(0)) clearTimeout(t);
        timers.push(setTimeout(() => refuseSocket(socket, 1008, 'bad token: open the URL bookrun printed'), this.limits.badTokenDelayMs));
        return;
      }
      settle();
      socket.off('close', settle);
      this.onAuthenticated(socket, parsed);
    };
    socket.on('message', first);
  }

  /** Closes every socket still in the handshake (the server is stopping). */
  closeAll(): void {
    for (const socket of this.waiting) socket.terminate();
    this.waiting.clear();
  }
}
