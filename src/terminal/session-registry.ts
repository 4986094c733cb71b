import { randomBytes } from 'node:crypto';
import type { Disposable } from '../run/shell-session.ts';
import { signalName } from './signal-name.ts';
import type { PageConnection } from './socket-connection.ts';
import type { Terminal, TerminalSink } from './terminal.ts';

/** A page's terminals: they survive a reload for the grace period. */
export interface Session {
  id: string;
  terminals: Map<number, Terminal>;
  /** The page attached now; null while it reloads (or is gone). */
  connection: PageConnection | null;
  /** The sink each terminal writes to while this session's page is attached. */
  sinks: Map<number, TerminalSink>;
  graceTimer: NodeJS.Timeout | null;
  detachedAt: number;
  /** Stops listening to the attached socket's drain. */
  drain: Disposable | null;
}

/** Options of {@link SessionRegistry}. */
export interface SessionRegistryOptions {
  /** How long a page's shells outlive its socket. */
  graceMs: number;
  /** Terminals across all sessions. */
  maxTerminals: number;
  /** Starts terminal `n`'s shell (the server passes one with the reader's rc file and a marker). */
  spawn: (n: number, cols: number, rows: number) => Terminal;
}

/**
 * Every page session of a server and their terminals: which page is attached to which shells, re-attaching after
 * a reload, handing a session to the newest page, ending a session once its page has been gone for the grace
 * period. Knows nothing of tokens or frames: the handshake hands it authenticated connections.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly options: SessionRegistryOptions;

  constructor(options: SessionRegistryOptions) {
    this.options = options;
  }

  /** Shells of every session (running or just exited). */
  terminals(): Terminal[] {
    return [...this.sessions.values()].flatMap((s) => [...s.terminals.values()]);
  }

  /** Whether the session `id` exists and a page is attached to it. */
  attached(id: string | undefined): boolean {
    return id !== undefined && (this.sessions.get(id)?.connection ?? null) !== null;
  }

  /**
   * The session a page asks for; without an id (or an unknown one), the most recently detached session when
   * there is one (a page that forgot its id still gets its shells back), else a new one.
   */
  pick(requested: string | undefined): Session {
    if (requested) {
      const found = this.sessions.get(requested);
      if (found) return found;
    } else {
      const detached = [...this.sessions.values()].filter((s) => s.connection === null).sort((a, b) => b.detachedAt - a.detachedAt);
      if (detached[0]) return detached[0];
    }
    const session: Session = { id: randomBytes(12).toString('base64url'), terminals: new Map(), connection: null, sinks: new Map(), graceTimer: null, detachedAt: 0, drain: null };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Attaches `connection` to `session`; a page that had it is detached and closed with 4000. */
  claim(session: Session, connection: PageConnection): void {
    if (session.graceTimer) clearTimeout(session.graceTimer);
    session.graceTimer = null;
    const previous = session.connection;
    if (previous && previous !== connection) {
      this.detach(session, previous, false);
      previous.close(4000, 'this session was opened in another page');
    }
    this.sessions.set(session.id, session);
    session.connection = connection;
    // The socket drained: its terminals may read their ptys again.
    session.drain = connection.onDrain(() => {
      for (const t of session.terminals.values()) t.refreshFlow();
    });
  }

  /** The page's socket closed: its terminals keep running, unattached, for the grace period. */
  detach(session: Session, connection: PageConnection, startGrace = true): void {
    if (session.connection !== connection) return;
    for (const [n, sink] of session.sinks) session.terminals.get(n)?.detach(sink);
    session.sinks.clear();
    session.drain?.dispose();
    session.drain = null;
    session.connection = null;
    session.detachedAt = Date.now();
    if (session.terminals.size === 0) {
      this.sessions.delete(session.id);
      return;
    }
    if (!startGrace) return;
    session.graceTimer = setTimeout(() => void this.end(session), this.options.graceMs);
    session.graceTimer.unref?.();
  }

  /** Ends a session's shells (each with everything it started). */
  async end(session: Session): Promise<void> {
    if (session.graceTimer) clearTimeout(session.graceTimer);
    this.sessions.delete(session.id);
    await Promise.all([...session.terminals.values()].map((t) => t.dispose()));
    session.terminals.clear();
  }

  async endAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.end(s)));
  }

  /** Numbers of the session's shells still running (for `ready`). */
  running(session: Session): number[] {
    return [...session.terminals.values()].filter((t) => !t.exited).map((t) => t.number).sort((a, b) => a - b);
  }

  /**
   * Starts terminal `number` of the session, or re-attaches it; a string says why not (the server's cap).
   * `announce`: answer `opened` even when this page already has the terminal (an explicit `open`).
   */
  open(session: Session, number: number, size: { cols?: number; rows?: number } = {}, announce = true): Terminal | string {
    const connection = session.connection;
    if (!connection) return 'the page that asked for this terminal is gone';
    const existing = session.terminals.get(number);
    if (existing && !existing.exited) {
      if (size.cols && size.rows) existing.shell.resize(size.cols, size.rows);
      if (session.sinks.has(number)) {
        if (announce) connection.send({ type: 'opened', terminal: number, attached: true });
      } else this.attach(session, connection, existing, true);
      return existing;
    }
    if (existing) {
      // Its shell ended (the reader typed `exit`): a new one takes the number.
      session.terminals.delete(number);
      session.sinks.delete(number);
      void existing.dispose();
    }
    const open = this.terminals().filter((t) => !t.exited).length;
    if (open >= this.options.maxTerminals) return `too many terminals (${open} open on this server, at most ${this.options.maxTerminals}): close one first`;
    const terminal = this.options.spawn(number, size.cols ?? 80, size.rows ?? 24);
    session.terminals.set(number, terminal);
    this.attach(session, connection, terminal, false);
    // Background jobs of an exited shell must not linger either.
    terminal.shell.onExit(() => void terminal.dispose());
    return terminal;
  }

  /** Ends terminal `number` of the session; `exit` is sent once nothing of it is left. */
  close(session: Session, number: number): void {
    const t = session.terminals.get(number);
    if (!t) return;
    const connection = session.connection;
    session.terminals.delete(number);
    const sink = session.sinks.get(number);
    session.sinks.delete(number);
    if (sink) t.detach(sink);
    void t.dispose().then(() => {
      const exit = t.exited ?? { exitCode: null, signal: 1 };
      connection?.send({ type: 'exit', terminal: t.number, exitCode: exit.exitCode, signal: signalName(exit.signal) });
    });
  }

  /** The terminal `n` of the session when this page is attached to it, else null. */
  attachedTerminal(session: Session, n: number): Terminal | null {
    const t = session.terminals.get(n);
    return t && session.sinks.has(n) ? t : null;
  }

  private attach(session: Session, connection: PageConnection, terminal: Terminal, attached: boolean): void {
    const n = terminal.number;
    const sink: TerminalSink = {
      output: (data) => connection.output(n, data),
      exit: (exit) => connection.send({ type: 'exit', terminal: n, exitCode: exit.exitCode, signal: signalName(exit.signal) }),
      congested: () => connection.congested(),
    };
    session.sinks.set(n, sink);
    connection.send({ type: 'opened', terminal: n, attached });
    terminal.attach(sink);
  }
}
