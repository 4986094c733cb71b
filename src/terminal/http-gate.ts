import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { TOKEN_SUBPROTOCOL_PREFIX } from '../core/terminal-protocol.ts';
import { checkHost, checkOrigin } from './check-request.ts';
import { checkToken } from './check-token.ts';
import { SECURITY_HEADERS, serveStatic } from './serve-static.ts';

/** What the gate decides about a WebSocket upgrade. */
export type UpgradeDecision =
  | { kind: 'refuse'; status: 403 | 404 | 503; text: string; /** Wait this long first (a bad token's own backoff). */ delayMs: number }
  /** `vouched`: the upgrade carried the right token (the handshake then admits it ahead of the cap). */
  | { kind: 'accept'; vouched: boolean };

/** The token a page offered in `Sec-WebSocket-Protocol` (`bookrun.token.TOKEN`), or null. */
export function offeredToken(headers: IncomingHttpHeaders): string | null {
  const offered = headers['sec-websocket-protocol'];
  if (typeof offered !== 'string') return null;
  for (const protocol of offered.split(',')) {
    const p = protocol.trim();
    if (p.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return p.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  }
  return null;
}

/** Options of {@link checkUpgrade}. */
export interface UpgradeRules {
  port: number;
  allowedOrigins: readonly string[];
  /** Whether the server's own loopback origins may connect (false under `bookrun connect`). */
  ownOrigins?: boolean;
  token: string;
  closing: boolean;
  badTokenDelayMs: number;
}

/**
 * The checks of a WebSocket upgrade, in order: Host (DNS rebinding), the path `/terminal`, Origin (other web
 * pages), the server stopping, and a token offered in the upgrade (right: vouched; wrong: refused after the
 * bad token's delay). No cap here: unauthenticated sockets are the handshake's business, and never crowd out
 * the reader.
 */
export function checkUpgrade(req: Pick<IncomingMessage, 'headers' | 'url'>, rules: UpgradeRules): UpgradeDecision {
  if (!checkHost(req.headers.host, rules.port)) return { kind: 'refuse', status: 403, text: 'Forbidden', delayMs: 0 };
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (pathname !== '/terminal') return { kind: 'refuse', status: 404, text: 'Not Found', delayMs: 0 };
  if (!checkOrigin(req.headers.origin, rules.port, rules.allowedOrigins, rules.ownOrigins ?? true)) return { kind: 'refuse', status: 403, text: 'Forbidden', delayMs: 0 };
  if (rules.closing) return { kind: 'refuse', status: 503, text: 'Service Unavailable', delayMs: 0 };
  const token = offeredToken(req.headers);
  if (token === null) return { kind: 'accept', vouched: false };
  if (!checkToken(token, rules.token)) return { kind: 'refuse', status: 403, text: 'Forbidden', delayMs: rules.badTokenDelayMs };
  return { kind: 'accept', vouched: true };
}

/** Answers a refused upgrade with a plain HTTP response and closes the connection. */
function refuse(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  const headers = [`HTTP/1.1 ${status} ${text}`, 'Connection: close', 'Content-Type: text/plain; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}

/** Options of {@link httpGate}. */
export interface HttpGateOptions {
  /** The rules as they are now (the port is known once listening; `closing` changes on close). */
  rules: () => UpgradeRules;
  /** The built site served from the same origin; none: only `/terminal`. */
  staticDir?: string;
  /** An upgrade that passed the gate. */
  accept: (req: IncomingMessage, socket: Duplex, head: Buffer, vouched: boolean) => void;
}

/**
 * The HTTP side of the server: every request must name this server on loopback in its Host (else 403), then
 * gets the built site (or 404); every WebSocket upgrade passes {@link checkUpgrade} before the handshake sees it.
 */
export function httpGate(options: HttpGateOptions): {
  request: (req: IncomingMessage, res: ServerResponse) => void;
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
} {
  const request = (req: IncomingMessage, res: ServerResponse) => {
    if (!checkHost(req.headers.host, options.rules().port)) {
      res.writeHead(403, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('forbidden: unknown Host\n');
      return;
    }
    if (options.staticDir) {
      serveStatic(req, res, options.staticDir).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
      return;
    }
    res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found: this server only has /terminal\n');
  };
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const decision = checkUpgrade(req, options.rules());
    if (decision.kind === 'accept') return options.accept(req, socket, head, decision.vouched);
    if (decision.delayMs === 0) return refuse(socket, decision.status, decision.text);
    const timer = setTimeout(() => refuse(socket, decision.status, decision.text), decision.delayMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
  return { request, upgrade };
}
