/**
 * The terminal protocol: JSON text frames over the WebSocket `/terminal` of `bookrun serve` (and of the
 * terminal server `bookrun dev` starts). Documented for other clients in docs/reference/terminal-protocol.md.
 *
 * Pure: no I/O. Both the server (src/terminal) and the browser panel (src/site) import these types; the
 * server validates every frame with {@link parseClientMessage} and never trusts a page beyond it.
 *
 * The wire format is tagged on `type` (not `kind`) because other clients speak it; fields may be added,
 * never removed or renamed.
 */

import { checkValue, type ValueProblem } from './check-value.ts';

/** The protocol version the server reports in `ready.server.version`. */
export const PROTOCOL_VERSION = 1;

/** Terminals a page may open: numbers 1..MAX_TERMINALS_PER_SESSION. */
export const MAX_TERMINALS_PER_SESSION = 4;

/** Largest text frame the server accepts from a page, in UTF-16 code units (the `ws` maxPayload is set to match). */
export const MAX_CLIENT_FRAME = 256 * 1024;

/** Largest `input.data` (a paste), in UTF-16 code units. */
export const MAX_INPUT_LENGTH = 64 * 1024;

/**
 * The WebSocket subprotocol a page may offer. With it, a page offers `bookrun.token.TOKEN` too, so the server
 * can check the token while upgrading and admit the socket at once, ahead of unauthenticated ones (browsers
 * cannot set other headers on a WebSocket). The `auth` frame stays the first frame either way.
 */
export const TERMINAL_SUBPROTOCOL = 'bookrun';

/** Prefix of the subprotocol carrying the token (`bookrun.token.` + the 43-character base64url token). */
export const TOKEN_SUBPROTOCOL_PREFIX = 'bookrun.token.';

/** Signals a page may send to a terminal's foreground job (the Ctrl+C / Stop button is SIGINT). */
export const TERMINAL_SIGNALS = ['SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGKILL'] as const;
export type TerminalSignal = (typeof TERMINAL_SIGNALS)[number];

// ── client → server ────────────────────────────────────────────────────────────────────────────────

/**
 * The first frame, within 5 s of connecting. `session` (from a previous `ready`) re-attaches the same
 * page's terminals after a reload; without it the server resumes the most recently detached session, if
 * any, else starts a new one.
 */
export interface AuthMessage {
  type: 'auth';
  token: string;
  session?: string;
  /** How this page takes terminal output (default `json`): see {@link OutputFormat}. */
  output?: OutputFormat;
}

/**
 * How a page takes terminal output: `json` text frames (`{"type":"output","terminal":1,"data":"…"}`, the
 * default, what every page of an earlier version asks for by saying nothing) or `binary` frames: one byte,
 * the terminal's number, then the text in UTF-8, never a character split. Binary frames spare the server the
 * JSON escaping and the page the parsing of every byte a stream prints (`npm run bench -- terminal`); every
 * other message stays JSON either way.
 */
export type OutputFormat = 'json' | 'binary';

/**
 * Reads a binary output frame (see {@link OutputFormat}): the terminal in its first byte, the text after
 * it. `decoder` is a UTF-8 `TextDecoder` (the page's or Node's: `src/core` names no platform's types; a frame
 * never splits a character, so no stream state is kept).
 */
export function decodeOutputFrame(frame: Uint8Array, decoder: { decode(bytes: Uint8Array): string }): OutputMessage | ProtocolError {
  const terminal = frame[0];
  if (terminal === undefined || terminal < 1 || terminal > MAX_TERMINALS_PER_SESSION) return { error: 'binary output frame: its first byte must be a terminal number' };
  return { type: 'output', terminal, data: decoder.decode(frame.subarray(1)) };
}

/** Starts terminal N, or re-attaches it (the server then replays a bounded scrollback before live output). */
export interface OpenMessage {
  type: 'open';
  terminal: number;
  cols?: number;
  rows?: number;
}

/** Keystrokes (or a paste) the reader typed into terminal N. */
export interface InputMessage {
  type: 'input';
  terminal: number;
  data: string;
}

export interface ResizeMessage {
  type: 'resize';
  terminal: number;
  cols: number;
  rows: number;
}

/** Sends a signal to the terminal's foreground job (SIGINT = ctrl+c; also stops a running watch step). */
export interface SignalMessage {
  type: 'signal';
  terminal: number;
  signal: TerminalSignal;
}

/**
 * Flow control: sent after xterm.js's write callback for output frames. `bytes` counts the `data.length`
 * (UTF-16 code units, i.e. the JavaScript string length) of the output frames now written.
 */
export interface AckMessage {
  type: 'ack';
  terminal: number;
  bytes: number;
}

/**
 * Runs one step of a chapter, by id: the server plans the chapter itself and never executes code sent by
 * a page. `values` fills the step's placeholders (`VERSION=[...]`).
 */
export interface RunMessage {
  type: 'run';
  /** Chosen by the client, echoed in every `run-status` for this request. */
  id: string;
  /** Chapter path relative to the book root, as in bookrun.yaml (`docs/local-canary.md`). */
  chapter: string;
  /** Step id (`L42`). */
  step: string;
  /** `digestStep` of the command the page shows; the server refuses the run when its own step differs. */
  digest?: string;
  variant: string;
  values?: Record<string, string>;
}

/** Ends terminal N: its shell's whole process group (SIGHUP, then escalating). */
export interface CloseMessage {
  type: 'close';
  terminal: number;
}

export interface StatusRequest {
  type: 'status';
}

export type ClientMessage =
  | AuthMessage
  | OpenMessage
  | InputMessage
  | ResizeMessage
  | SignalMessage
  | AckMessage
  | RunMessage
  | CloseMessage
  | StatusRequest;

// ── server → client ────────────────────────────────────────────────────────────────────────────────

export interface ReadyMessage {
  type: 'ready';
  /** Terminals of this session already running (to re-open after a reload). */
  terminals: number[];
  /** Opaque id of the page's session; send it back in `auth.session` after a reload. */
  session: string;
  server: { cwd: string; version: number };
  /** The output format this socket gets: the one `auth` asked for (absent from servers of an earlier version: `json`). */
  output?: OutputFormat;
}

/** Sent in answer to `open`: `attached` is true when the shell already existed (its scrollback follows). */
export interface OpenedMessage {
  type: 'opened';
  terminal: number;
  attached: boolean;
}

/** Terminal output. Never splits a multi-byte character. */
export interface OutputMessage {
  type: 'output';
  terminal: number;
  data: string;
}

/** The terminal's shell ended (the reader typed `exit`, or it was closed). */
export interface ExitMessage {
  type: 'exit';
  terminal: number;
  exitCode: number | null;
  signal: string | null;
}

/** Result of the expected-output check of a run; `diff` is a unified diff, empty when matched. */
export interface RunExpectResult {
  matched: boolean;
  diff: string;
}

export type RunStatusMessage =
  | {
      type: 'run-status';
      id: string;
      step: string;
      terminal: number;
      status: 'running';
      /**
       * The attempt about to run (2 and up, after `# Repeat if` or `# Wait until` asked for another), absent for
       * the first; `delayMs` is the wait before it and `why` the judge's reason.
       */
      attempt?: number;
      delayMs?: number;
      why?: string;
    }
  | {
      type: 'run-status';
      id: string;
      step: string;
      terminal: number;
      status: 'passed' | 'failed' | 'interrupted';
      exitCode: number | null;
      /** null when the step has no expected output. */
      expect: RunExpectResult | null;
      durationMs: number;
      /** How many times the step ran (the judge's retries and eventual checks), as in `bookrun run`'s report. */
      attempts?: number;
      /** Why it failed or was interrupted, in the words of `bookrun run`'s report; null when it passed. */
      reason?: string | null;
      /** How it ended (`exited`, `until`, `expect`, `timeout`, `interrupted`), as in the report. */
      ended?: string | null;
    }
  | {
      type: 'run-status';
      id: string;
      step?: string;
      status: 'error';
      message: string;
      /** The placeholder whose value was refused (the page shows the message on its field). */
      placeholder?: string;
      /**
       * The step's terminal is busy (a program the reader started holds it, or they typed at its prompt): nothing
       * was typed; the page asks whether to stop it (ctrl+c) and run. `terminal` names it.
       */
      busy?: boolean;
      terminal?: number;
    };

export interface StatusMessage {
  type: 'status';
  /** `running`: the step id running there (null when none); `request`: the `run` id it came from (a page that
   * reloaded finds its block by it, and the step's final `run-status` still comes with that id). */
  terminals: Array<{
    terminal: number;
    running: string | null;
    request?: string | null;
    /** The final `run-status` of the terminal's last run (a page that reloaded meanwhile learns its verdict here). */
    last?: RunStatusMessage | null;
  }>;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type ServerMessage =
  | ReadyMessage
  | OpenedMessage
  | OutputMessage
  | ExitMessage
  | RunStatusMessage
  | StatusMessage
  | ErrorMessage;

// ── validation ─────────────────────────────────────────────────────────────────────────────────────

/** Why a frame was refused; the server answers `{"type":"error","message"}` with it. */
export interface ProtocolError {
  error: string;
}

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function intIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function terminalOf(m: Raw): number | ProtocolError {
  return intIn(m.terminal, 1, MAX_TERMINALS_PER_SESSION)
    ? m.terminal
    : { error: `${String(m.type)}: "terminal" must be an integer from 1 to ${MAX_TERMINALS_PER_SESSION}` };
}

function sizeOf(m: Raw, required: boolean): { cols?: number; rows?: number } | ProtocolError {
  const out: { cols?: number; rows?: number } = {};
  for (const key of ['cols', 'rows'] as const) {
    const v = m[key];
    if (v === undefined && !required) continue;
    if (!intIn(v, 1, 1000)) return { error: `${String(m.type)}: "${key}" must be an integer from 1 to 1000` };
    out[key] = v;
  }
  return out;
}

function isError(value: unknown): value is ProtocolError {
  return isRecord(value) && typeof value.error === 'string';
}

const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const PLACEHOLDER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Validates one text frame from a page. Returns the typed message, or `{error}` saying what is wrong
 * (unknown type, missing or ill-typed field, out-of-range terminal, oversized data). Unknown extra fields
 * are ignored so newer clients keep working.
 */
export function parseClientMessage(raw: string): ClientMessage | ProtocolError {
  if (raw.length > MAX_CLIENT_FRAME) return { error: `frame larger than ${MAX_CLIENT_FRAME} characters` };
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    return { error: 'frame is not JSON: send one JSON object per text frame' };
  }
  if (!isRecord(m) || typeof m.type !== 'string') return { error: 'frame must be a JSON object with a string "type"' };
  switch (m.type) {
    case 'auth': {
      if (typeof m.token !== 'string' || m.token.length === 0 || m.token.length > 1024) {
        return { error: 'auth: "token" must be a non-empty string' };
      }
      if (m.session !== undefined && (typeof m.session !== 'string' || !ID.test(m.session))) {
        return { error: 'auth: "session" must be the id from a previous "ready"' };
      }
      if (m.output !== undefined && m.output !== 'json' && m.output !== 'binary') return { error: 'auth: "output" must be "json" or "binary"' };
      return { type: 'auth', token: m.token, ...(m.session === undefined ? {} : { session: m.session }), ...(m.output === undefined ? {} : { output: m.output }) };
    }
    case 'open': {
      const terminal = terminalOf(m);
      if (isError(terminal)) return terminal;
      const size = sizeOf(m, false);
      if (isError(size)) return size;
      return { type: 'open', terminal, ...size };
    }
    case 'input': {
      const terminal = terminalOf(m);
      if (isError(terminal)) return terminal;
      if (typeof m.data !== 'string') return { error: 'input: "data" must be a string' };
      if (m.data.length > MAX_INPUT_LENGTH) return { error: `input: "data" longer than ${MAX_INPUT_LENGTH} characters; send it in pieces` };
      return { type: 'input', terminal, data: m.data };
    }
    case 'resize': {
      const terminal = terminalOf(m);
      if (isError(terminal)) return terminal;
      const size = sizeOf(m, true);
      if (isError(size)) return size;
      return { type: 'resize', terminal, cols: size.cols!, rows: size.rows! };
    }
    case 'signal': {
      const terminal = terminalOf(m);
      if (isError(terminal)) return terminal;
      if (!TERMINAL_SIGNALS.includes(m.signal as TerminalSignal)) {
        return { error: `signal: "signal" must be one of ${TERMINAL_SIGNALS.join(', ')}` };
      }
      return { type: 'signal', terminal, signal: m.signal as TerminalSignal };
    }
    case 'ack': {
      const terminal = terminalOf(m);
      if (isError(terminal)) return terminal;
      if (!intIn(m.bytes, 0, Number.MAX_SAFE_INTEGER)) return { error: 'ack: "bytes" must be a non-negative integer' };
      return { type: 'ack', terminal, bytes: m.bytes };
    }
    case 'run': {
      if (typeof m.id !== 'string' || !ID.test(m.id)) {
        return { error: 'run: "id" must be 1-128 characters of letters, digits, ".", "_", ":" or "-"' };
      }
      if (typeof m.chapter !== 'string' || m.chapter.length === 0 || m.chapter.length > 1024) {
        return { error: 'run: "chapter" must be a chapter path as in bookrun.yaml' };
      }
      if (typeof m.step !== 'string' || !ID.test(m.step)) return { error: 'run: "step" must be a step id such as "L42"' };
      if (typeof m.variant !== 'string' || m.variant.length === 0 || m.variant.length > 256) {
        return { error: 'run: "variant" must be a variant name such as "gke-static"' };
      }
      let values: Record<string, string> | undefined;
      if (m.values !== undefined) {
        if (!isRecord(m.values)) return { error: 'run: "values" must be an object of placeholder names to strings' };
        values = {};
        for (const [name, value] of Object.entries(m.values)) {
          if (!PLACEHOLDER.test(name)) return { error: `run: "values": ${JSON.stringify(name.slice(0, 64))} is not a placeholder name` };
          if (typeof value !== 'string' || value.length > 4096) return { error: `run: "values.${name}" must be a string of at most 4096 characters` };
          values[name] = value;
        }
      }
      if (m.digest !== undefined && (typeof m.digest !== 'string' || !/^[0-9a-f]{16}$/.test(m.digest))) {
        return { error: 'run: "digest" must be 16 hex digits (digestStep of the command)' };
      }
      const run: RunMessage = { type: 'run', id: m.id, chapter: m.chapter, step: m.step, variant: m.variant };
      if (values) run.values = values;
      if (m.digest !== undefined) run.digest = m.digest;
      return run;
    }
    case 'close': {
      const terminal = terminalOf(m);
      if (isError(terminal)) return terminal;
      return { type: 'close', terminal };
    }
    case 'status':
      return { type: 'status' };
    default:
      return { error: `unknown message type ${JSON.stringify(String(m.type).slice(0, 32))}` };
  }
}

/** A `run` value refused by the value rule: which placeholder, and why. */
export interface RefusedRunValue {
  name: string;
  problem: ValueProblem;
}

/**
 * The first value of a `run` request that may not be typed into a shell ({@link checkValue}: no control
 * characters, newlines or DEL), or null. The server refuses such a request before anything is typed; the page
 * checks the same rule as the reader types.
 */
export function checkRunValues(values: Readonly<Record<string, string>> | undefined): RefusedRunValue | null {
  for (const [name, value] of Object.entries(values ?? {})) {
    const problem = checkValue(value);
    if (problem) return { name, problem };
  }
  return null;
}
