import { checkRunValues, TERMINAL_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, type ClientMessage, type RunExpectResult, type ServerMessage } from '../../core/terminal-protocol.ts';
import type { BlockProps, SiteStep } from '../to-block-props.ts';

/** Where the page stands with the local terminal server. */
export type Connection =
  | { kind: 'off' }
  | { kind: 'connecting' }
  | { kind: 'ready'; cwd: string }
  | { kind: 'closed'; message: string };

/** The state of one step (or one block) on the page. */
export interface RunState {
  status: 'idle' | 'running' | 'passed' | 'failed' | 'interrupted' | 'error';
  /** The step running now (blocks), for the Stop button. */
  step?: string;
  terminal?: number;
  watch?: boolean;
  exitCode?: number | null;
  expect?: RunExpectResult | null;
  message?: string;
  /** The placeholder whose value was refused (its field shows `message`). */
  placeholder?: string;
  /**
   * Running: the attempt under way (2 and up once the judge asked for another: `# Repeat if`, `# Wait until`),
   * and why. Finished: how many attempts the step took.
   */
  attempt?: number;
  why?: string;
  attempts?: number;
  /** Why it failed or was interrupted, in the words of `bookrun run`'s report. */
  reason?: string | null;
}

/** Everything the panel and the blocks render from. Replaced (never mutated) on every change. */
export interface ClientState {
  connection: Connection;
  /** Terminals with a tab, in order. */
  terminals: number[];
  active: number;
  panelOpen: boolean;
  /** Per block, keyed `chapter#block`. */
  blocks: Record<string, RunState>;
}

/** What a terminal view (xterm.js) offers the client: write, then call back once rendered (flow control). */
export interface TerminalSink {
  write(data: string, done: () => void): void;
  size(): { cols: number; rows: number };
}

const TOKEN_KEY = 'bookrun.token';
const SESSION_KEY = 'bookrun.session';
const PANEL_KEY = 'bookrun.panel';
const BLOCKS_KEY = 'bookrun.blocks';

/** Key of a block in {@link ClientState.blocks}. */
export function blockKey(props: Pick<BlockProps, 'chapter' | 'block'>): string {
  return `${props.chapter}#${props.block}`;
}

/**
 * The page's one connection to the local terminal server (see docs/reference/terminal-protocol.md). It
 * connects only when the page was opened with a token (`#token=…`, kept in sessionStorage for reloads),
 * so the public site never sends a request to localhost.
 */
export class TerminalClient {
  private state: ClientState = { connection: { kind: 'off' }, terminals: [], active: 1, panelOpen: false, blocks: {} };
  private readonly listeners = new Set<() => void>();
  private socket: WebSocket | null = null;
  private readonly sinks = new Map<number, TerminalSink>();
  private readonly pending = new Map<number, string[]>();
  private readonly opened = new Set<number>();
  private readonly waiters = new Map<string, (m: Extract<ServerMessage, { type: 'run-status' }>) => void>();
  /** Per run request: what to do with its `running` updates (another attempt of the step). */
  private readonly progress = new Map<string, (m: Extract<ServerMessage, { type: 'run-status'; status: 'running' }>) => void>();
  private nextId = 1;
  private retries = 0;

  constructor(private readonly url: string) {}

  getState = (): ClientState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<ClientState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private setBlock(key: string, run: RunState): void {
    this.set({ blocks: { ...this.state.blocks, [key]: run } });
    // Finished states outlive a reload of the page, like its shells do.
    const finished = Object.fromEntries(Object.entries(this.state.blocks).filter(([, r]) => r.status !== 'running'));
    sessionStorage.setItem(BLOCKS_KEY, JSON.stringify(finished));
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Connects when a token is known; does nothing (no request at all) otherwise. */
  start(): void {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token || this.socket) return;
    let blocks: Record<string, RunState> = {};
    try {
      blocks = JSON.parse(sessionStorage.getItem(BLOCKS_KEY) ?? '{}') as Record<string, RunState>;
    } catch {
      // a damaged entry: start afresh
    }
    this.set({ connection: { kind: 'connecting' }, panelOpen: sessionStorage.getItem(PANEL_KEY) !== 'closed', blocks: { ...blocks, ...this.state.blocks } });
    // The token in the upgrade too: the server admits this socket at once, whatever unauthenticated clients do.
    const socket = new WebSocket(this.url, [TERMINAL_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`]);
    this.socket = socket;
    socket.onopen = () => {
      const session = sessionStorage.getItem(SESSION_KEY) ?? undefined;
      socket.send(JSON.stringify({ type: 'auth', token, ...(session ? { session } : {}) }));
    };
    socket.onmessage = (event) => this.receive(JSON.parse(String(event.data)) as ServerMessage);
    socket.onclose = (event) => {
      this.socket = null;
      this.opened.clear();
      for (const [, waiter] of this.waiters) waiter({ type: 'run-status', id: '', status: 'error', message: 'connection to the terminal server lost' });
      this.waiters.clear();
      this.progress.clear();
      if (event.code === 1008) {
        sessionStorage.removeItem(TOKEN_KEY);
        this.set({ connection: { kind: 'closed', message: 'The terminal server refused this page (wrong or expired token). Open the link bookrun printed again.' } });
        return;
      }
      if (event.code === 4000) {
        this.set({ connection: { kind: 'closed', message: 'These terminals were opened in another tab; reload to take them back.' } });
        return;
      }
      // 1013: try again (too many pages open, or crowded out while connecting); anything else: the server went away.
      const message = event.code === 1013 ? `The terminal server is busy (${event.reason}); trying again.` : 'Disconnected from the terminal server (is `npx bookrun serve` still running?).';
      this.set({ connection: { kind: 'closed', message } });
      if (this.retries++ < 5) setTimeout(() => this.start(), 500 * this.retries);
    };
  }

  private receive(message: ServerMessage): void {
    switch (message.type) {
      case 'ready': {
        this.retries = 0;
        sessionStorage.setItem(SESSION_KEY, message.session);
        const terminals = [...new Set([...this.state.terminals, ...message.terminals])].sort();
        this.set({ connection: { kind: 'ready', cwd: message.server.cwd }, terminals });
        // Re-attach the shells that survived a reload: the server replays their scrollback.
        for (const t of terminals) this.open(t);
        return;
      }
      case 'output': {
        const sink = this.sinks.get(message.terminal);
        if (sink) this.write(sink, message.terminal, message.data);
        else this.pending.set(message.terminal, [...(this.pending.get(message.terminal) ?? []), message.data]);
        return;
      }
      case 'exit':
        this.opened.delete(message.terminal);
        return;
      case 'run-status': {
        if (message.status === 'running') {
          this.progress.get(message.id)?.(message);
          return;
        }
        const waiter = this.waiters.get(message.id);
        if (waiter) {
          this.waiters.delete(message.id);
          this.progress.delete(message.id);
          waiter(message);
        }
        return;
      }
      case 'error':
        console.warn(`bookrun terminal server: ${message.message}`);
        return;
      default:
        return;
    }
  }

  private write(sink: TerminalSink, terminal: number, data: string): void {
    sink.write(data, () => this.send({ type: 'ack', terminal, bytes: data.length }));
  }

  /** Starts (or re-attaches) terminal N and gives it a tab. */
  open(terminal: number): void {
    if (!this.state.terminals.includes(terminal)) this.set({ terminals: [...this.state.terminals, terminal].sort() });
    if (this.opened.has(terminal) || this.state.connection.kind !== 'ready') return;
    this.opened.add(terminal);
    const size = this.sinks.get(terminal)?.size() ?? { cols: 80, rows: 24 };
    this.send({ type: 'open', terminal, ...size });
  }

  /** The panel's xterm.js view of terminal N; output that arrived before it is written first. */
  attach(terminal: number, sink: TerminalSink): () => void {
    this.sinks.set(terminal, sink);
    for (const data of this.pending.get(terminal) ?? []) this.write(sink, terminal, data);
    this.pending.delete(terminal);
    return () => {
      if (this.sinks.get(terminal) === sink) this.sinks.delete(terminal);
    };
  }

  input(terminal: number, data: string): void {
    this.send({ type: 'input', terminal, data });
  }

  resize(terminal: number, cols: number, rows: number): void {
    this.send({ type: 'resize', terminal, cols, rows });
  }

  /** Ctrl+C (and the Stop button of watch steps). */
  interrupt(terminal: number): void {
    this.send({ type: 'signal', terminal, signal: 'SIGINT' });
  }

  showPanel(open: boolean): void {
    sessionStorage.setItem(PANEL_KEY, open ? 'open' : 'closed');
    this.set({ panelOpen: open });
  }

  activate(terminal: number): void {
    this.set({ active: terminal, panelOpen: true });
  }

  private runStep(props: BlockProps, step: SiteStep, variant: string, values: Record<string, string>, onAttempt: (attempt: number, why: string | undefined) => void) {
    const id = `req-${this.nextId++}`;
    return new Promise<Extract<ServerMessage, { type: 'run-status' }>>((resolve) => {
      this.waiters.set(id, resolve);
      this.progress.set(id, (m) => {
        if (m.attempt !== undefined) onAttempt(m.attempt, m.why);
      });
      const own = Object.fromEntries(step.placeholders.map((name) => [name, values[name] ?? '']));
      this.send({ type: 'run', id, chapter: props.chapter, step: step.id, digest: step.digest, variant, ...(step.placeholders.length ? { values: own } : {}) });
    });
  }

  /**
   * Runs a block's steps for the variant, one after another, each in its own terminal; stops at the first
   * failure. The page sends step ids only: the server plans the chapter itself and judges each step with
   * `bookrun run`'s own executor and judge (`# Repeat if` steps typed again, `# Wait until` steps waiting for
   * their output), so a step passes here exactly when it passes in the CLI; the block shows each attempt.
   */
  async runBlock(props: BlockProps, variant: string, values: Record<string, string>): Promise<void> {
    const key = blockKey(props);
    if (this.state.connection.kind !== 'ready') {
      this.setBlock(key, { status: 'error', message: 'not connected to a terminal server' });
      return;
    }
    const steps = props.steps.filter((s) => s.variants === null || s.variants.includes(variant));
    let last: RunState = { status: 'passed' };
    for (const step of steps) {
      this.open(step.terminal);
      this.set({ active: step.terminal, panelOpen: true });
      this.setBlock(key, { status: 'running', step: step.id, terminal: step.terminal, watch: step.watch });
      // Values are data: one the rule refuses never leaves the page (and the server refuses it again anyway).
      const refused = checkRunValues(Object.fromEntries(step.placeholders.map((name) => [name, values[name] ?? ''])));
      if (refused) {
        last = { status: 'error', step: step.id, placeholder: refused.name, message: `the value of ${refused.name} ${refused.problem.message}` };
        break;
      }
      const result = await this.runStep(props, step, variant, values, (attempt, why) =>
        this.setBlock(key, { status: 'running', step: step.id, terminal: step.terminal, watch: step.watch, attempt, ...(why ? { why } : {}) }),
      );
      if (result.status === 'error') {
        last = { status: 'error', step: step.id, message: result.message, ...(result.placeholder ? { placeholder: result.placeholder } : {}) };
        break;
      }
      if (result.status === 'running') continue;
      // The server's verdict is the judge's (a watch the reader stopped as the book says has passed there).
      last = { status: result.status, step: step.id, terminal: result.terminal, exitCode: result.exitCode, expect: result.expect, attempts: result.attempts ?? 1, reason: result.reason ?? null };
      if (last.status !== 'passed') break;
    }
    this.setBlock(key, last);
  }
}

let client: TerminalClient | null = null;

/**
 * The page's terminal client, created on first use in the browser. Takes a token from the URL fragment
 * (`#token=…`, which is then removed from the address bar) into sessionStorage.
 */
export function getTerminalClient(terminalUrl: string | null): TerminalClient {
  if (client) return client;
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]!));
    const rest = location.hash.replace(/(^#|&)token=[^&]+/, '$1').replace(/^#&?$/, '');
    history.replaceState(history.state, '', location.pathname + location.search + rest);
  }
  const url = terminalUrl ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/terminal`;
  client = new TerminalClient(url);
  return client;
}

/** Whether this page holds a token for a terminal server (without creating the client). */
export function hasTerminalToken(): boolean {
  return typeof sessionStorage !== 'undefined' && (sessionStorage.getItem(TOKEN_KEY) !== null || /(?:^#|&)token=/.test(location.hash));
}

const clientListeners = new Set<() => void>();

/** The started client, or null (public site, no token). */
export function currentClient(): TerminalClient | null {
  return client;
}

/** Starts the page's client (when it holds a token) and tells the blocks, which then show Run. */
export function startTerminalClient(terminalUrl: string | null): TerminalClient | null {
  if (!hasTerminalToken()) return null;
  const started = getTerminalClient(terminalUrl);
  started.start();
  for (const l of clientListeners) l();
  return started;
}

export function subscribeClient(listener: () => void): () => void {
  clientListeners.add(listener);
  return () => clientListeners.delete(listener);
}
