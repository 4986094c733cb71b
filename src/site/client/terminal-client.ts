import { checkRunValues, decodeOutputFrame, TERMINAL_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, type ClientMessage, type RunExpectResult, type ServerMessage, type StatusMessage } from '../../core/terminal-protocol.ts';
import type { BlockProps, SiteStep } from '../to-block-props.ts';
import { readPairing, type Pairing } from './read-pairing.ts';

/** Where the page stands with the reader's terminal server. */
export type Connection =
  | { kind: 'off' }
  | { kind: 'connecting' }
  | { kind: 'ready'; cwd: string }
  /**
   * The page is on the web and the server on this machine: the browser asks the reader first (Chromium's Local
   * Network Access). `prompt`: the page explains, and connects when the reader says so (the browser then asks);
   * `denied`: the reader (or a policy) said no; the page says where to change it.
   */
  | { kind: 'permission'; state: 'prompt' | 'denied'; port: number }
  | { kind: 'closed'; message: string };

type RunStatus = Extract<ServerMessage, { type: 'run-status' }>;

/** The state of one step (or one block) on the page. */
export interface RunState {
  status: 'idle' | 'running' | 'passed' | 'failed' | 'interrupted' | 'error' | 'busy';
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
  /** Running: the `run` request id (after a reload the page finds the step's verdict by it). */
  request?: string;
  /** Running: the block has steps after this one (a reload in between leaves them for another Run). */
  more?: boolean;
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

const PAIRING_KEY = 'bookrun.pairing';
const SESSION_KEY = 'bookrun.session';
const PANEL_KEY = 'bookrun.panel';
const BLOCKS_KEY = 'bookrun.blocks';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Key of a block in {@link ClientState.blocks}. */
export function blockKey(props: Pick<BlockProps, 'chapter' | 'block'>): string {
  return `${props.chapter}#${props.block}`;
}

function readStored<T>(key: string, fallback: T): T {
  try {
    const text = sessionStorage.getItem(key);
    return text === null ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

/** Whether the page itself is served from this machine (then no Local Network Access check applies). */
function pageOnLoopback(): boolean {
  return LOOPBACK_HOSTS.has(location.hostname);
}

/** The page's permission to reach 127.0.0.1 (Chromium 14x+: `loopback-network`, older: `local-network-access`); null: not asked by this browser. */
async function loopbackPermission(): Promise<PermissionState | null> {
  for (const name of ['loopback-network', 'local-network-access']) {
    try {
      return (await navigator.permissions.query({ name: name as PermissionName })).state;
    } catch {
      // not a permission this browser knows
    }
  }
  return null;
}

/**
 * The page's one connection to the reader's terminal server (see docs/reference/terminal-protocol.md). It
 * connects only when the page holds a pairing (`#token=…` from `bookrun serve`, `#port=…&token=…` from
 * `bookrun connect`, kept in sessionStorage for the tab), so a page without one never sends a request to this
 * machine.
 */
export class TerminalClient {
  private state: ClientState = { connection: { kind: 'off' }, terminals: [], active: 1, panelOpen: false, blocks: {} };
  private readonly listeners = new Set<() => void>();
  private socket: WebSocket | null = null;
  /** Decodes binary output frames (UTF-8; a frame never splits a character). */
  private readonly decoder = new TextDecoder();
  private readonly sinks = new Map<number, TerminalSink>();
  private readonly pending = new Map<number, string[]>();
  /** Terminals this socket sent `open` for; resolved once `opened` came. */
  private readonly opened = new Map<number, { done: boolean; wait: Promise<void>; resolve: () => void }>();
  /** Terminals wanted before their view could tell its size: opened when the view attaches. */
  private readonly wanted = new Set<number>();
  private readonly waiters = new Map<string, (m: RunStatus) => void>();
  /** Per run request: what to do with its `running` updates (another attempt of the step). */
  private readonly progress = new Map<string, (m: Extract<RunStatus, { status: 'running' }>) => void>();
  private nextId = Date.now() % 100000;
  private retries = 0;
  private everReady = false;

  constructor(
    private readonly url: string,
    private readonly pairing: Pairing,
  ) {}

  getState = (): ClientState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The `bookrun connect` port, or null when the server is the page's own origin. */
  get port(): number | null {
    return this.pairing.port;
  }

  private set(patch: Partial<ClientState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private setBlock(key: string, run: RunState): void {
    this.set({ blocks: { ...this.state.blocks, [key]: run } });
    this.saveBlocks();
  }

  /** Block states outlive a reload of the page, like its shells do, for the session they ran in. */
  private saveBlocks(): void {
    try {
      sessionStorage.setItem(BLOCKS_KEY, JSON.stringify({ session: sessionStorage.getItem(SESSION_KEY), blocks: this.state.blocks }));
    } catch {
      // storage full or disabled: states last for this page
    }
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /**
   * Starts: a page on the web asks nothing of the browser before the reader does (Local Network Access): when the
   * permission is not granted yet it explains and waits for {@link connect}. A page on this machine connects at once.
   */
  async start(): Promise<void> {
    if (this.socket || this.state.connection.kind === 'connecting' || this.state.connection.kind === 'ready') return;
    const stored = readStored<{ session?: string | null; blocks?: Record<string, RunState> }>(BLOCKS_KEY, {});
    this.set({ panelOpen: sessionStorage.getItem(PANEL_KEY) !== 'closed', blocks: { ...(stored.blocks ?? {}), ...this.state.blocks } });
    const port = this.pairing.port;
    if (port !== null && !pageOnLoopback()) {
      const permission = await loopbackPermission();
      if (permission === 'denied' && location.protocol !== 'https:') {
        this.set({ connection: { kind: 'closed', message: `This page is served over http:// from another host, and browsers never let such a page reach your computer (127.0.0.1:${port}). Open the book's https:// address, then run bookrun connect with it.` } });
        return;
      }
      if (permission === 'prompt' || permission === 'denied') {
        this.set({ connection: { kind: 'permission', state: permission, port } });
        return;
      }
    }
    this.connect();
  }

  /** Opens the socket (from a click when the browser will ask about local network access). */
  connect(): void {
    if (this.socket) return;
    this.set({ connection: { kind: 'connecting' } });
    const token = this.pairing.token;
    // The token in the upgrade too: the server admits this socket at once, whatever unauthenticated clients do.
    const socket = new WebSocket(this.url, [TERMINAL_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`]);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      const session = sessionStorage.getItem(SESSION_KEY) ?? undefined;
      // Output as binary frames: no JSON to parse for every byte a command prints (other messages stay JSON).
      socket.send(JSON.stringify({ type: 'auth', token, output: 'binary', ...(session ? { session } : {}) }));
    };
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') return this.receive(JSON.parse(event.data) as ServerMessage);
      const output = decodeOutputFrame(new Uint8Array(event.data as ArrayBuffer), this.decoder);
      if (!('error' in output)) this.receive(output);
    };
    socket.onclose = (event) => this.closed(socket, event, opened);
  }

  private closed(socket: WebSocket, event: CloseEvent, opened: boolean): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.opened.clear();
    for (const [, waiter] of this.waiters) waiter({ type: 'run-status', id: '', status: 'error', message: 'connection to the terminal server lost' });
    this.waiters.clear();
    this.progress.clear();
    const where = this.pairing.port !== null ? `bookrun connect (127.0.0.1:${this.pairing.port})` : 'the terminal server';
    if (event.code === 1008) {
      sessionStorage.removeItem(PAIRING_KEY);
      this.set({ connection: { kind: 'closed', message: `${where} refused this page (wrong or expired token). Open the link bookrun printed again.` } });
      return;
    }
    if (event.code === 4000) {
      this.set({ connection: { kind: 'closed', message: 'These terminals were opened in another tab; reload to take them back.' } });
      return;
    }
    let message: string;
    if (event.code === 1013) message = `${where} is busy (${event.reason}); trying again.`;
    else if (!opened && this.pairing.port !== null) {
      // Refused before it opened: not running, started for another book's address (it trusts only that one), or the browser's choice.
      message = `Cannot reach ${where}. Is it still running, and was it started with this book's address (${location.origin})? It trusts only the address it was given.${pageOnLoopback() ? '' : ' If your browser asked about local network access and you said no, allow it in the site settings, then reload.'}`;
    } else message = `Disconnected from ${where} (is \`${this.pairing.port !== null ? 'npx bookrun connect' : 'npx bookrun serve'}\` still running?).`;
    this.set({ connection: { kind: 'closed', message } });
    // A server that was never reached is asked again a few times (it may be starting), one that went away more.
    if (this.retries++ < (this.everReady ? 5 : 3)) setTimeout(() => this.connect(), 500 * this.retries);
  }

  private receive(message: ServerMessage): void {
    switch (message.type) {
      case 'ready': {
        this.retries = 0;
        this.everReady = true;
        // Block states belong to the session they ran in: another session (a restarted server) starts afresh.
        const stored = readStored<{ session?: string | null }>(BLOCKS_KEY, {});
        sessionStorage.setItem(SESSION_KEY, message.session);
        if (stored.session && stored.session !== message.session) this.set({ blocks: {} });
        const terminals = [...new Set([...this.state.terminals, ...message.terminals])].sort();
        this.set({ connection: { kind: 'ready', cwd: message.server.cwd }, terminals });
        this.saveBlocks();
        // Re-attach the shells that survived a reload: the server replays their scrollback.
        for (const t of terminals) this.open(t);
        // Which steps still run (a reload during a step): the server answers `status`.
        this.send({ type: 'status' });
        return;
      }
      case 'opened': {
        const entry = this.opened.get(message.terminal);
        if (entry && !entry.done) {
          entry.done = true;
          entry.resolve();
        }
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
      case 'status':
        this.resume(message);
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

  /**
   * After a reload: a block that was running follows its step. Still running there: it shows running, and its
   * verdict comes with the old request id. Ended meanwhile (its verdict went to no page): the block says so.
   */
  private resume(status: StatusMessage): void {
    const running = new Set(status.terminals.flatMap((t) => (t.request ? [t.request] : [])));
    const ended = new Map(status.terminals.flatMap((t) => (t.last ? [[t.last.id, t.last] as const] : [])));
    for (const [key, run] of Object.entries(this.state.blocks)) {
      if (run.status !== 'running' || !run.request || this.waiters.has(run.request)) continue;
      if (running.has(run.request)) {
        void this.follow(run.request, key, run);
        continue;
      }
      const verdict = ended.get(run.request);
      if (verdict) {
        // It ended while no page listened: its verdict, kept by the server.
        void this.follow(run.request, key, run);
        this.waiters.get(run.request)?.(verdict);
        this.waiters.delete(run.request);
        continue;
      }
      this.setBlock(key, { status: 'interrupted', step: run.step, message: 'the page was reloaded before this step ended: see its terminal, or Run again' });
    }
  }

  /** Waits for the verdict of run `request` (a block's step) and shows it on the block. */
  private follow(request: string, key: string, run: RunState): Promise<RunStatus> {
    return new Promise((resolve) => {
      this.waiters.set(request, (m) => {
        resolve(m);
        // A reload left the rest of the block unrun: a passed step says so rather than the block passing.
        if (m.status === 'passed' && run.more && !this.active.has(key)) this.setBlock(key, { ...this.toState(m), status: 'interrupted', message: 'the page was reloaded during this block: Run it again for the rest' });
        else if (!this.active.has(key)) this.setBlock(key, this.toState(m));
      });
      this.progress.set(request, (m) => {
        if (m.attempt !== undefined) this.setBlock(key, { ...run, attempt: m.attempt, ...(m.why ? { why: m.why } : {}) });
      });
    });
  }

  /** Blocks whose Run loop runs in this page now (they set their own state). */
  private readonly active = new Set<string>();

  private toState(m: RunStatus): RunState {
    if (m.status === 'error') {
      return { status: m.busy ? 'busy' : 'error', step: m.step, message: m.message, ...(m.placeholder ? { placeholder: m.placeholder } : {}), ...(m.terminal ? { terminal: m.terminal } : {}) };
    }
    if (m.status === 'running') return { status: 'running', step: m.step, terminal: m.terminal };
    // The server's verdict is the judge's (a watch the reader stopped before its output matched is not passed).
    return { status: m.status, step: m.step, terminal: m.terminal, exitCode: m.exitCode, expect: m.expect, attempts: m.attempts ?? 1, reason: m.reason ?? null };
  }

  private write(sink: TerminalSink, terminal: number, data: string): void {
    sink.write(data, () => this.send({ type: 'ack', terminal, bytes: data.length }));
  }

  /**
   * Gives terminal N a tab and starts (or re-attaches) its shell, at its view's size: until the view is there to
   * tell it, the `open` waits. Resolves once the server answered `opened`.
   */
  open(terminal: number): Promise<void> {
    if (!this.state.terminals.includes(terminal)) this.set({ terminals: [...this.state.terminals, terminal].sort() });
    const known = this.opened.get(terminal);
    if (known) return known.wait;
    if (this.state.connection.kind !== 'ready') return Promise.resolve();
    let resolve!: () => void;
    const wait = new Promise<void>((r) => (resolve = r));
    const sink = this.sinks.get(terminal);
    this.opened.set(terminal, { done: false, wait, resolve });
    if (sink) this.send({ type: 'open', terminal, ...sink.size() });
    else this.wanted.add(terminal);
    return wait;
  }

  /** The panel's xterm.js view of terminal N (fitted to the panel); output that arrived before it is written first. */
  attach(terminal: number, sink: TerminalSink): () => void {
    this.sinks.set(terminal, sink);
    for (const data of this.pending.get(terminal) ?? []) this.write(sink, terminal, data);
    this.pending.delete(terminal);
    if (this.wanted.delete(terminal) && this.opened.has(terminal)) this.send({ type: 'open', terminal, ...sink.size() });
    else if (this.opened.get(terminal)?.done) this.send({ type: 'resize', terminal, ...sink.size() });
    return () => {
      if (this.sinks.get(terminal) === sink) this.sinks.delete(terminal);
    };
  }

  input(terminal: number, data: string): void {
    this.send({ type: 'input', terminal, data });
  }

  resize(terminal: number, cols: number, rows: number): void {
    if (this.opened.get(terminal)?.done) this.send({ type: 'resize', terminal, cols, rows });
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

  private runStep(props: BlockProps, step: SiteStep, variant: string, values: Record<string, string>, key: string, running: RunState): Promise<RunStatus> {
    const id = `req-${this.nextId++}`;
    const state = { ...running, request: id };
    this.setBlock(key, state);
    const result = this.follow(id, key, state);
    const own = Object.fromEntries(step.placeholders.map((name) => [name, values[name] ?? '']));
    this.send({ type: 'run', id, chapter: props.chapter, step: step.id, digest: step.digest, variant, ...(step.placeholders.length ? { values: own } : {}) });
    return result;
  }

  /**
   * Runs a block's steps for the variant, one after another, each in its own terminal; stops at the first
   * failure. The page sends step ids only: the server takes the command from its own plan and judges each step
   * with `bookrun run`'s own executor and judge, so a step passes here exactly when it passes in the CLI. A busy
   * terminal (a program the reader started, or their half-typed line) types nothing: the block asks. `interrupt`:
   * the reader chose "Stop it and Run": ctrl+c first, then run once the shell is back at its prompt.
   */
  async runBlock(props: BlockProps, variant: string, values: Record<string, string>, options: { interrupt?: number } = {}): Promise<void> {
    const key = blockKey(props);
    if (this.state.connection.kind !== 'ready') {
      this.setBlock(key, { status: 'error', message: 'not connected to a terminal server' });
      return;
    }
    this.active.add(key);
    try {
      const steps = props.steps.filter((s) => s.variants === null || s.variants.includes(variant));
      let last: RunState = { status: 'passed' };
      for (const [i, step] of steps.entries()) {
        const running: RunState = { status: 'running', step: step.id, terminal: step.terminal, watch: step.watch, more: i < steps.length - 1 };
        this.setBlock(key, running);
        this.set({ active: step.terminal, panelOpen: true });
        await this.open(step.terminal);
        // Values are data: one the rule refuses never leaves the page (and the server refuses it again anyway).
        const refused = checkRunValues(Object.fromEntries(step.placeholders.map((name) => [name, values[name] ?? ''])));
        if (refused) {
          last = { status: 'error', step: step.id, placeholder: refused.name, message: `the value of ${refused.name} ${refused.problem.message}` };
          break;
        }
        let result = await this.runStep(props, step, variant, values, key, running);
        // "Stop it and Run": ctrl+c, then again while the shell is still getting back to its prompt.
        for (let tries = 0; options.interrupt === step.terminal && result.status === 'error' && result.busy && tries < 8; tries++) {
          if (tries === 0) this.interrupt(step.terminal);
          await new Promise((r) => setTimeout(r, 250));
          result = await this.runStep(props, step, variant, values, key, running);
        }
        last = this.toState(result);
        if (last.status !== 'passed') break;
      }
      this.setBlock(key, last);
    } finally {
      this.active.delete(key);
    }
  }
}

let client: TerminalClient | null = null;

/**
 * Takes a pairing from the URL fragment into sessionStorage (for this tab) and out of the address bar; returns
 * the tab's pairing (from the fragment or kept from before), or null.
 */
function takePairing(): Pairing | null {
  const found = readPairing(location.hash);
  if (found) {
    sessionStorage.setItem(PAIRING_KEY, JSON.stringify(found.pairing));
    history.replaceState(history.state, '', location.pathname + location.search + found.rest);
    return found.pairing;
  }
  const kept = readStored<Pairing | null>(PAIRING_KEY, null);
  return kept && typeof kept.token === 'string' ? kept : null;
}

// Taken as soon as the page's code loads, before any component (the variant picker rewrites the address) runs.
if (typeof window !== 'undefined' && typeof sessionStorage !== 'undefined') takePairing();

/** Whether this tab holds a pairing with a terminal server (without creating the client). */
export function hasTerminalToken(): boolean {
  return typeof sessionStorage !== 'undefined' && (sessionStorage.getItem(PAIRING_KEY) !== null || readPairing(location.hash) !== null);
}

const clientListeners = new Set<() => void>();

/** The started client, or null (a page without a pairing). */
export function currentClient(): TerminalClient | null {
  return client;
}

/**
 * Starts the page's client when the tab holds a pairing, and tells the blocks, which then show Run. The
 * WebSocket URL: `ws://127.0.0.1:PORT/terminal` for `bookrun connect` (the literal address: a name would be
 * refused as mixed content on an https page), else `terminalUrl` (dev) or the page's own origin.
 */
export function startTerminalClient(terminalUrl: string | null): TerminalClient | null {
  if (client) return client;
  const pairing = takePairing();
  if (!pairing) return null;
  const url = pairing.port !== null ? `ws://127.0.0.1:${pairing.port}/terminal` : (terminalUrl ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/terminal`);
  client = new TerminalClient(url, pairing);
  void client.start();
  for (const l of clientListeners) l();
  return client;
}

export function subscribeClient(listener: () => void): () => void {
  clientListeners.add(listener);
  return () => clientListeners.delete(listener);
}
