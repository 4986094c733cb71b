import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_CLIENT_FRAME, TERMINAL_SUBPROTOCOL } from '../core/terminal-protocol.ts';
import type { Book } from '../book/read-book.ts';
import { endProcesses } from '../run/end-processes.ts';
import { spawnShellSession } from '../run/shell-session.ts';
import { acceptPage } from './accept-page.ts';
import { createToken } from './check-token.ts';
import { claimRuntime } from './claim-runtime.ts';
import { DEFAULT_HANDSHAKE_LIMITS, Handshake, type HandshakeLimits } from './handshake.ts';
import { httpGate } from './http-gate.ts';
import { listenLoopback } from './listen-loopback.ts';
import { defaultRuntimeDir } from './runtime-dir.ts';
import { publishedStepSource, type PublishedBook } from './published-step-source.ts';
import { SessionRegistry } from './session-registry.ts';
import { bookStepSource } from './book-step-source.ts';
import type { OutputCounters, SocketConnection } from './socket-connection.ts';
import { DEFAULT_FLOW_LIMITS, Terminal, type FlowLimits } from './terminal.ts';

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
  /**
   * A published book (`bookrun connect`): its plans are the only steps a page may run, instead of `book`'s, and its
   * origin is the only one that may connect (not even this server's own loopback origins: it serves no page).
   */
  published?: PublishedBook;
  /** The reader's bash rc file, sourced first; default `~/.bashrc` when it exists; null for none. */
  rcfile?: string | null;
  /** Environment of the shells (default: this process's). */
  env?: Record<string, string | undefined>;
  /** How long a page's shells outlive its socket, waiting for a reload to re-attach. Default 30 s. */
  reattachGraceMs?: number;
  /** How long a new socket has to authenticate. Default 3 s. */
  authTimeoutMs?: number;
  flowLimits?: Partial<FlowLimits>;
  /** The unauthenticated phase: its own cap (16), the bad-token delay of the failing socket (1 s). */
  authLimits?: Partial<Omit<HandshakeLimits, 'timeoutMs'>>;
  /** Terminals across all pages. Default 8. */
  maxTerminals?: number;
  /** Authenticated sockets (pages). Default 8. Unauthenticated ones never count here. */
  maxConnections?: number;
  /**
   * The runtime folder: this server's record (pid, start time, marker) lives there while it runs, so a server
   * started after a crash can end what it left. Default {@link defaultRuntimeDir}.
   */
  runtimeDir?: string;
}

/** The server's own counters (tests, the bench): what it holds, never wall-clock. */
export interface ServerStats {
  /** Unauthenticated sockets now, and the most ever at once. */
  pending: number;
  peakPending: number;
  /** Authenticated sockets now. */
  connections: number;
  /** Output sent to pages since start (code units). */
  sentOutput: number;
  /** The most bytes one socket ever held unsent. */
  peakQueuedBytes: number;
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
  /** The limits in force (defaults filled in). */
  limits: HandshakeLimits & FlowLimits & { maxConnections: number; maxTerminals: number };
  /** The variable every process of this server's terminals carries (`BOOKRUN_TERMINAL_<id>`). */
  marker: string;
  /** Shells currently running (for tests and `status`). */
  terminals(): Terminal[];
  stats(): ServerStats;
  /** Ends every shell (and everything it started), closes every socket, removes its files, stops listening. */
  close(): Promise<void>;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Starts the local terminal server: the built book (when `staticDir` is given) and the WebSocket `/terminal`
 * from one loopback origin. First it ends what servers that crashed left (`claimRuntime`). The parts: the
 * HTTP gate (Host, Origin, path), the handshake (token, its own cap for unauthenticated sockets), the session
 * registry (pages and their shells) and the message handling. See docs/reference/terminal-protocol.md.
 */
export async function serveTerminal(options: ServeTerminalOptions): Promise<TerminalServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_NAMES.has(host)) throw new Error(`serveTerminal: host must be a loopback name (127.0.0.1, localhost, ::1), got ${host}`);
  const token = options.token ?? createToken();
  const flow: FlowLimits = { ...DEFAULT_FLOW_LIMITS, ...options.flowLimits };
  const handshakeLimits: HandshakeLimits = { ...DEFAULT_HANDSHAKE_LIMITS, ...options.authLimits, ...(options.authTimeoutMs !== undefined ? { timeoutMs: options.authTimeoutMs } : {}) };
  const maxConnections = options.maxConnections ?? 8;
  const maxTerminals = options.maxTerminals ?? 8;
  const defaultRc = path.join(homedir(), '.bashrc');
  const userRc = options.rcfile === undefined ? (existsSync(defaultRc) ? defaultRc : null) : options.rcfile;

  const runtime = await claimRuntime(options.runtimeDir ?? defaultRuntimeDir(), userRc);
  const { marker, rcfile } = runtime;

  const counters: OutputCounters = { sentOutput: 0, peakQueuedBytes: 0 };
  const connections = new Set<SocketConnection>();
  let port = options.port ?? 0;
  let closing = false;

  const registry = new SessionRegistry({
    graceMs: options.reattachGraceMs ?? 30_000,
    maxTerminals,
    spawn: (n, cols, rows) => {
      const shell = spawnShellSession({
        cwd: options.cwd,
        cols,
        rows,
        interactiveEcho: true,
        rcfile,
        env: options.env,
        marker: { name: marker, value: `${n}-${randomBytes(4).toString('hex')}` },
      });
      return new Terminal(n, shell, flow);
    },
  });

  const steps = options.published ? publishedStepSource(options.published) : bookStepSource(options.book);
  const allowedOrigins = options.published ? [options.published.origin] : (options.allowedOrigins ?? []);
  const page = { registry, connections, maxConnections, queue: { maxQueuedBytes: flow.maxQueuedBytes, lowWatermark: flow.lowWatermark }, counters, steps, cwd: options.cwd };
  const handshake = new Handshake(token, handshakeLimits, (socket, auth) => acceptPage(socket, auth, page));

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_FRAME * 3,
    perMessageDeflate: false,
    // The page offers `bookrun` plus its token (checked by the gate); the answer must name one it offered.
    handleProtocols: (protocols) => (protocols.has(TERMINAL_SUBPROTOCOL) ? TERMINAL_SUBPROTOCOL : false),
  });
  const gate = httpGate({
    staticDir: options.staticDir,
    rules: () => ({ port, allowedOrigins, ownOrigins: !options.published, token, closing, badTokenDelayMs: handshakeLimits.badTokenDelayMs }),
    accept: (req: IncomingMessage, socket: Duplex, head: Buffer, vouched: boolean) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        handshake.admit(ws, vouched);
      });
    },
  });

  const servers: Server[] = [];
  const addresses: AddressInfo[] = [];
  const newServer = () => {
    const server = createServer(gate.request);
    server.on('upgrade', gate.upgrade);
    // A connection that never finishes its request headers is not held for a minute.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    return server;
  };
  try {
    const first = newServer();
    addresses.push(await listenLoopback(first, port, '127.0.0.1'));
    servers.push(first);
    port = addresses[0]!.port;
  } catch (error) {
    runtime.release();
    throw error;
  }
  const second = newServer();
  try {
    addresses.push(await listenLoopback(second, port, '::1'));
    servers.push(second);
  } catch {
    // No IPv6 loopback here (or the port is taken there): 127.0.0.1 alone.
  }

  const urlHost = host === '::1' || host === '[::1]' ? '[::1]' : host;
  const origin = `http://${urlHost}:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    addresses,
    marker,
    limits: { ...handshakeLimits, ...flow, maxConnections, maxTerminals },
    terminals: () => registry.terminals(),
    stats: () => ({
      pending: handshake.pending,
      peakPending: handshake.peakPending,
      connections: connections.size,
      sentOutput: counters.sentOutput,
      peakQueuedBytes: counters.peakQueuedBytes,
    }),
    async close() {
      closing = true;
      handshake.closeAll();
      for (const c of connections) c.close(1001, 'the terminal server is stopping');
      await registry.endAll();
      // Whatever a terminal started that its own cleanup missed (a shell replaced after `exit`, still ending).
      await endProcesses({ marker: { name: marker, value: null } });
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      runtime.release();
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
