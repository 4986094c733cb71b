import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, homedir, tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  MAX_CLIENT_FRAME,
  MAX_TERMINALS_PER_SESSION,
  PROTOCOL_VERSION,
  parseClientMessage,
  type ClientMessage,
  type RunMessage,
  type ServerMessage,
} from '../core/terminal-protocol.ts';
import type { Book } from '../book/read-book.ts';
import { spawnShellSession } from '../run/shell-session.ts';
import { AuthLimiter, DEFAULT_AUTH_LIMITS, type AuthLimits } from './auth-limiter.ts';
import { checkHost, checkOrigin } from './check-request.ts';
import { checkToken, createToken } from './check-token.ts';
import { runTerminalStep } from './run-terminal-step.ts';
import { SECURITY_HEADERS, serveStatic } from './serve-static.ts';
import { DEFAULT_FLOW_LIMITS, Terminal, type FlowLimits, type TerminalSink } from './terminal.ts';

/** Options of {@link serveTerminal}. */
export interface ServeTerminalOptions {
  /** Host name in the printed URL: `127.0.0.1` (default), `localhost` or `::1`. The server binds loopback only. */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** The token pages must send; default: a new 256-bit random one. */
  token?: string;
  /** Folder the shells start in. */
  cwd: string;
  /** A built site (Docusaurus `build/`) served from the same origin; none: only `/terminal`. */
  staticDir?: string;
  /** Extra origins allowed to open `/terminal` (the Docusaurus dev server, `http://localhost:3000`). */
  allowedOrigins?: string[];
  /** The book whose chapters `run` requests name; null refuses every run. */
  book: Book | null;
  /** The reader's bash rc file, sourced first; default `~/.bashrc` when it exists; null for none. */
  rcfile?: string | null;
  /** Environment of the shells (default: this process's). */
  env?: Record<string, string | undefined>;
  /** How long a page's shells outlive its socket, waiting for a reload to re-attach. Default 30 s. */
  reattachGraceMs?: number;
  /** How long a new socket has to authenticate. Default 5 s. */
  authTimeoutMs?: number;
  flowLimits?: Partial<FlowLimits>;
  authLimits?: Partial<AuthLimits>;
  /** Terminals across all pages. Default 8. */
  maxTerminals?: number;
  /** Open sockets (authenticated or not). Default 8. */
  maxConnections?: number;
}

/** A running terminal server. */
export interface TerminalServer {
  /** `http://127.0.0.1:PORT/#token=TOKEN`: the token in the fragment, never sent to a server or Referer. */
  url: string;
  /** The origin pages load from, `http://127.0.0.1:PORT`. */
  origin: string;
  token: string;
  port: number;
  /** Addresses actually listened on (loopback only). */
  addresses: AddressInfo[];
  /** Shells currently running (for tests and `status`). */
  terminals(): Terminal[];
  /** Ends every shell (whole process groups), closes every socket and stops listening. */
  close(): Promise<void>;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** A page's terminals: they survive a reload for the grace period. */
interface Session {
  id: string;
  terminals: Map<number, Terminal>;
  socket: WebSocket | null;
  /** The sink each terminal writes to while this session's page is attached. */
  sinks: Map<number, TerminalSink>;
  graceTimer: NodeJS.Timeout | null;
  detachedAt: number;
}

/** `1` → `SIGHUP`, for the `exit` message. */
function signalName(signal: number | null): string | null {
  if (signal === null || signal === 0) return null;
  const found = Object.entries(constants.signals).find(([, n]) => n === signal);
  return found ? found[0] : String(signal);
}

function send(socket: WebSocket | null, message: ServerMessage): void {
  if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

function refuse(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  const headers = [
    `HTTP/1.1 ${status} ${text}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}

/**
 * The rc file of the reader's terminals: their own rc file, then what makes book commands behave as
 * typed. History expansion off, so a `!` inside a command (`sed -e "s@x@y!@g"`) is not an event; bracketed
 * paste on, which is how a step's output is told apart from the echo of its command.
 */
function writeTerminalRc(userRc: string | null): string {
  const file = path.join(tmpdir(), `bookrun-terminal-rc-${process.pid}-${randomBytes(6).toString('hex')}.sh`);
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const lines = ['# bookrun serve: rc file of the reader terminals (deleted when the server stops)'];
  if (userRc) lines.push(`[ -r ${quote(userRc)} ] && . ${quote(userRc)}`);
  lines.push('set +H', "bind 'set enable-bracketed-paste on' 2>/dev/null");
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts the local terminal server: the built book (when `staticDir` is given) and the WebSocket
 * `/terminal` from one loopback origin. See docs/reference/terminal-protocol.md for the protocol and the
 * security model (token, Origin and Host checks, rate limits, caps).
 */
export async function serveTerminal(options: ServeTerminalOptions): Promise<TerminalServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_NAMES.has(host)) throw new Error(`serveTerminal: host must be a loopback name (127.0.0.1, localhost, ::1), got ${host}`);
  const token = options.token ?? createToken();
  const flow: FlowLimits = { ...DEFAULT_FLOW_LIMITS, ...options.flowLimits };
  const limiter = new AuthLimiter({ ...DEFAULT_AUTH_LIMITS, ...options.authLimits });
  const graceMs = options.reattachGraceMs ?? 30_000;
  const authTimeoutMs = options.authTimeoutMs ?? 5_000;
  const maxTerminals = options.maxTerminals ?? 8;
  const maxConnections = options.maxConnections ?? 8;
  const allowedOrigins = options.allowedOrigins ?? [];
  const defaultRc = path.join(homedir(), '.bashrc');
  const userRc = options.rcfile === undefined ? (existsSync(defaultRc) ? defaultRc : null) : options.rcfile;
  const sessions = new Map<string, Session>();
  const sockets = new Set<WebSocket>();
  let port = options.port ?? 0;
  let closing = false;

  const allTerminals = () => [...sessions.values()].flatMap((s) => [...s.terminals.values()]);

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (!checkHost(req.headers.host, port)) {
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

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME * 3, perMessageDeflate: false });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!checkHost(req.headers.host, port)) return refuse(socket, 403, 'Forbidden');
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== '/terminal') return refuse(socket, 404, 'Not Found');
    if (!checkOrigin(req.headers.origin, port, allowedOrigins)) return refuse(socket, 403, 'Forbidden');
    if (closing) return refuse(socket, 503, 'Service Unavailable');
    if (sockets.size >= maxConnections) return refuse(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  };

  const detachSession = (session: Session, socket: WebSocket) => {
    if (session.socket !== socket) return;
    for (const [n, sink] of session.sinks) session.terminals.get(n)?.detach(sink);
    session.sinks.clear();
    session.socket = null;
    session.detachedAt = Date.now();
    if (session.terminals.size === 0) {
      sessions.delete(session.id);
      return;
    }
    session.graceTimer = setTimeout(() => void endSession(session), graceMs);
    session.graceTimer.unref?.();
  };

  const endSession = async (session: Session) => {
    if (session.graceTimer) clearTimeout(session.graceTimer);
    sessions.delete(session.id);
    await Promise.all([...session.terminals.values()].map((t) => t.dispose()));
    session.terminals.clear();
  };

  const pickSession = (requested: string | undefined): Session => {
    if (requested) {
      const found = sessions.get(requested);
      if (found) return found;
    } else {
      // A page that does not remember its session id still gets its shells back after a reload.
      const detached = [...sessions.values()].filter((s) => s.socket === null).sort((a, b) => b.detachedAt - a.detachedAt);
      if (detached[0]) return detached[0];
    }
    const session: Session = {
      id: randomBytes(12).toString('base64url'),
      terminals: new Map(),
      socket: null,
      sinks: new Map(),
      graceTimer: null,
      detachedAt: 0,
    };
    sessions.set(session.id, session);
    return session;
  };

  const attachTerminal = (session: Session, socket: WebSocket, terminal: Terminal, attached: boolean) => {
    const n = terminal.number;
    const sink: TerminalSink = {
      output: (data) => send(socket, { type: 'output', terminal: n, data }),
      exit: (exit) => send(socket, { type: 'exit', terminal: n, exitCode: exit.exitCode, signal: signalName(exit.signal) }),
    };
    session.sinks.set(n, sink);
    send(socket, { type: 'opened', terminal: n, attached });
    terminal.attach(sink);
  };

  /** `announce`: answer `opened` even when this page already has the terminal (an explicit `open`). */
  const openTerminal = (session: Session, socket: WebSocket, number: number, cols?: number, rows?: number, announce = true): Terminal | string => {
    const existing = session.terminals.get(number);
    if (existing && !existing.exited) {
      if (cols && rows) existing.shell.resize(cols, rows);
      if (session.sinks.has(number)) {
        if (announce) send(socket, { type: 'opened', terminal: number, attached: true });
      } else attachTerminal(session, socket, existing, true);
      return existing;
    }
    if (existing) {
      // Its shell ended (the reader typed `exit`): a new one takes the number.
      session.terminals.delete(number);
      session.sinks.delete(number);
      void existing.dispose();
    }
    const open = allTerminals().filter((t) => !t.exited).length;
    if (open >= maxTerminals) return `too many terminals (${open} open on this server, at most ${maxTerminals}): close one first`;
    const shell = spawnShellSession({ cwd: options.cwd, cols: cols ?? 80, rows: rows ?? 24, interactiveEcho: true, rcfile, env: options.env });
    const terminal = new Terminal(number, shell, flow);
    session.terminals.set(number, terminal);
    attachTerminal(session, socket, terminal, false);
    shell.onExit(() => {
      // Background jobs of an exited shell must not linger either.
      void terminal.dispose();
    });
    return terminal;
  };

  const onConnection = (socket: WebSocket, req: IncomingMessage) => {
    sockets.add(socket);
    const address = req.socket.remoteAddress ?? 'unknown';
    let session: Session | null = null;
    const authTimer = setTimeout(() => socket.close(1008, `authenticate within ${authTimeoutMs / 1000} s`), authTimeoutMs);

    socket.on('close', () => {
      clearTimeout(authTimer);
      sockets.delete(socket);
      if (session) detachSession(session, socket);
    });
    socket.on('error', () => socket.terminate());

    socket.on('message', (raw, isBinary) => {
      // Frames that arrive after a refusal (a right token right after a wrong one) are never read.
      if (socket.readyState !== socket.OPEN) return;
      if (isBinary) {
        if (!session) socket.close(1008, 'authenticate first');
        else send(socket, { type: 'error', message: 'binary frames are not part of the protocol: send JSON text frames' });
        return;
      }
      const parsed = parseClientMessage(raw.toString('utf8'));
      if (!session) {
        clearTimeout(authTimer);
        if ('error' in parsed || parsed.type !== 'auth') {
          socket.close(1008, 'the first message must be {"type":"auth","token":…}');
          return;
        }
        const decision = limiter.check(address, Date.now());
        if (decision.kind === 'limited') {
          socket.close(1008, `too many bad tokens: retry in ${Math.ceil(decision.retryAfterMs / 1000)} s`);
          return;
        }
        if (!checkToken(parsed.token, token)) {
          limiter.fail(address, Date.now());
          socket.close(1008, 'bad token: open the URL bookrun printed');
          return;
        }
        limiter.succeed(address);
        session = pickSession(parsed.session);
        if (session.graceTimer) clearTimeout(session.graceTimer);
        session.graceTimer = null;
        if (session.socket && session.socket !== socket) {
          const previous = session.socket;
          detachSession(session, previous);
          if (session.graceTimer) clearTimeout(session.graceTimer);
          session.graceTimer = null;
          sessions.set(session.id, session);
          previous.close(4000, 'this session was opened in another page');
        }
        session.socket = socket;
        const running = [...session.terminals.values()].filter((t) => !t.exited).map((t) => t.number).sort();
        send(socket, { type: 'ready', terminals: running, session: session.id, server: { cwd: options.cwd, version: PROTOCOL_VERSION } });
        return;
      }
      if ('error' in parsed) {
        send(socket, { type: 'error', message: parsed.error });
        return;
      }
      handle(session, socket, parsed);
    });
  };

  const handle = (session: Session, socket: WebSocket, message: ClientMessage) => {
    const attached = (n: number): Terminal | null => {
      const t = session.terminals.get(n);
      if (t && session.sinks.has(n)) return t;
      send(socket, { type: 'error', message: `terminal ${n} is not open: send {"type":"open","terminal":${n}} first` });
      return null;
    };
    switch (message.type) {
      case 'auth':
        send(socket, { type: 'error', message: 'already authenticated' });
        return;
      case 'open': {
        const result = openTerminal(session, socket, message.terminal, message.cols, message.rows);
        if (typeof result === 'string') send(socket, { type: 'error', message: result });
        return;
      }
      case 'input':
        attached(message.terminal)?.shell.write(message.data);
        return;
      case 'resize':
        attached(message.terminal)?.shell.resize(message.cols, message.rows);
        return;
      case 'signal':
        attached(message.terminal)?.signal(message.signal);
        return;
      case 'ack':
        session.terminals.get(message.terminal)?.ack(message.bytes);
        return;
      case 'close': {
        const t = session.terminals.get(message.terminal);
        if (!t) return;
        session.terminals.delete(message.terminal);
        const sink = session.sinks.get(message.terminal);
        session.sinks.delete(message.terminal);
        // Report the end only once nothing of the shell's session is left.
        if (sink) t.detach(sink);
        void t.dispose().then(() => {
          const exit = t.exited ?? { exitCode: null, signal: 1 };
          send(socket, { type: 'exit', terminal: t.number, exitCode: exit.exitCode, signal: signalName(exit.signal) });
        });
        return;
      }
      case 'status':
        send(socket, {
          type: 'status',
          terminals: [...session.terminals.values()]
            .filter((t) => !t.exited)
            .sort((a, b) => a.number - b.number)
            .map((t) => ({ terminal: t.number, running: t.running })),
        });
        return;
      case 'run':
        void run(session, socket, message);
        return;
    }
  };

  const run = async (session: Session, socket: WebSocket, message: RunMessage) => {
    const refuseRun = (text: string, step?: string) =>
      send(socket, { type: 'run-status', id: message.id, ...(step ? { step } : {}), status: 'error', message: text });
    try {
      await runTerminalStep({
        book: options.book,
        request: message,
        terminal: (n) => {
          if (n > MAX_TERMINALS_PER_SESSION) return `step needs terminal ${n}; at most ${MAX_TERMINALS_PER_SESSION}`;
          if (session.socket !== socket) return 'the page that asked for this run is gone';
          return openTerminal(session, socket, n, undefined, undefined, false);
        },
        // A reload during a long step: its result goes to the page that has the session now.
        report: (status) => send(session.socket, status),
        refuse: refuseRun,
      });
    } catch (error) {
      refuseRun(`bookrun could not run ${message.step}: ${(error as Error).message}`, message.step);
    }
  };

  const servers: Server[] = [];
  const addresses: AddressInfo[] = [];
  const first = createServer(onRequest);
  first.on('upgrade', onUpgrade);
  addresses.push(await listen(first, port, '127.0.0.1'));
  servers.push(first);
  port = addresses[0].port;
  const second = createServer(onRequest);
  second.on('upgrade', onUpgrade);
  try {
    addresses.push(await listen(second, port, '::1'));
    servers.push(second);
  } catch {
    // No IPv6 loopback here (or the port is taken there): 127.0.0.1 alone.
  }

  const rcfile = writeTerminalRc(userRc);
  const urlHost = host === '::1' || host === '[::1]' ? '[::1]' : host;
  const origin = `http://${urlHost}:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    addresses,
    terminals: allTerminals,
    async close() {
      closing = true;
      for (const socket of sockets) socket.close(1001, 'the terminal server is stopping');
      await Promise.all([...sessions.values()].map((s) => endSession(s)));
      for (const socket of sockets) socket.terminate();
      wss.close();
      rmSync(rcfile, { force: true });
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
