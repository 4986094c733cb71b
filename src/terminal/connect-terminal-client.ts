import { WebSocket } from 'ws';
import { decodeOutputFrame, TERMINAL_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, type ClientMessage, type ServerMessage } from '../core/terminal-protocol.ts';

/** Options of {@link connectTerminalClient}. */
export interface TerminalClientOptions {
  /** Origin header (a browser always sends one); default the server's own. */
  origin?: string;
  /** Host header override (to test DNS-rebinding refusals). */
  host?: string;
  /** Acknowledge output as it arrives, as xterm.js's write callback would (default true). */
  ack?: boolean;
  /** Keep all output in {@link TerminalClient.output} (default true; the bench turns it off). */
  keepOutput?: boolean;
  /** Called with every message once it is read (the bench's page reads them here: each frame read once, as a page reads it). */
  onMessage?: (message: ServerMessage) => void;
  /** Source address on 127.0.0.0/8 (a local process picks any; tests use it to come from many addresses). */
  localAddress?: string;
  /**
   * Offer the token in the upgrade request too (`Sec-WebSocket-Protocol: bookrun, bookrun.token.TOKEN`), as the
   * site's page does: such a socket is admitted at once, whatever unauthenticated clients do. The `auth` frame is
   * still sent by the caller.
   */
  upgradeToken?: string;
}

/**
 * A small protocol client (tests, the bench, scripts): a real `ws` socket speaking docs/reference/terminal-protocol.md.
 * It reads output in either format (JSON or binary frames: the caller's `auth` asks for one).
 */
export interface TerminalClient {
  socket: WebSocket;
  messages: ServerMessage[];
  /** Output received per terminal, concatenated. */
  output: Map<number, string>;
  send(message: ClientMessage | Record<string, unknown>): void;
  /** Resolves with the first message (already received or future) matching `predicate`. */
  next<T extends ServerMessage = ServerMessage>(predicate: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<T>;
  /** Resolves once terminal N's output matches. */
  waitOutput(terminal: number, pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/**
 * Connects to `ws://…/terminal`. Resolves once the socket is open, or rejects with the HTTP status of a
 * refused upgrade (`Error('unexpected response 403')`).
 */
export function connectTerminalClient(url: string, options: TerminalClientOptions = {}): Promise<TerminalClient> {
  const u = new URL(url);
  const origin = options.origin ?? `http://${u.host}`;
  const headers: Record<string, string> = {};
  if (options.host) headers.Host = options.host;
  const protocols = options.upgradeToken === undefined ? [] : [TERMINAL_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${options.upgradeToken}`];
  const socket = new WebSocket(url, protocols, { origin, headers, perMessageDeflate: false, localAddress: options.localAddress });
  const messages: ServerMessage[] = [];
  const output = new Map<number, string>();
  const waiters = new Set<() => void>();
  const ack = options.ack ?? true;
  const keep = options.keepOutput ?? true;
  let closeResolve!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (closeResolve = resolve));
  const decoder = new TextDecoder();
  socket.on('message', (raw: Buffer, isBinary: boolean) => {
    let message: ServerMessage;
    if (isBinary) {
      const decoded = decodeOutputFrame(raw, decoder);
      // A frame this client cannot read is kept as an error message, for the test to see.
      message = 'error' in decoded ? { type: 'error', message: decoded.error } : decoded;
    } else message = JSON.parse(raw.toString()) as ServerMessage;
    if (message.type === 'output') {
      if (keep) output.set(message.terminal, (output.get(message.terminal) ?? '') + message.data);
      if (ack) socket.send(JSON.stringify({ type: 'ack', terminal: message.terminal, bytes: message.data.length }));
    } else {
      messages.push(message);
    }
    options.onMessage?.(message);
    for (const w of [...waiters]) w();
  });
  socket.on('close', (code, reason) => {
    closeResolve({ code, reason: reason.toString() });
    for (const w of [...waiters]) w();
  });
  /** Settles once `check` gives a value or an error (re-checked on every message and on close), or at the timeout. */
  const waitUntil = <T>(check: () => { value: T } | { error: Error } | null, timeoutMs: number, timeoutMessage: () => string) =>
    new Promise<T>((resolve, reject) => {
      const settle = () => {
        const result = check();
        if (!result) return;
        done();
        if ('error' in result) reject(result.error);
        else resolve(result.value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(timeoutMessage()));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(settle);
      };
      waiters.add(settle);
      settle();
    });
  const client: TerminalClient = {
    socket,
    messages,
    output,
    closed,
    send(message) {
      socket.send(JSON.stringify(message));
    },
    next<T extends ServerMessage>(predicate: (m: ServerMessage) => boolean, timeoutMs = 10_000) {
      return waitUntil<T>(
        () => {
          const found = messages.find(predicate);
          if (found) return { value: found as T };
          if (socket.readyState === socket.CLOSED) return { error: new Error(`socket closed; messages: ${JSON.stringify(messages).slice(0, 2000)}`) };
          return null;
        },
        timeoutMs,
        () => `no matching message in ${timeoutMs} ms; messages: ${JSON.stringify(messages).slice(0, 2000)}`,
      );
    },
    waitOutput(terminal, pattern, timeoutMs = 10_000) {
      return waitUntil<string>(
        () => {
          const text = output.get(terminal) ?? '';
          return pattern.test(text) ? { value: text } : null;
        },
        timeoutMs,
        () => `terminal ${terminal} output never matched ${pattern}; got: ${JSON.stringify((output.get(terminal) ?? '').slice(-2000))}`,
      );
    },
    async close() {
      if (socket.readyState === socket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => {
      reject(new Error(`unexpected response ${res.statusCode}`));
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}
