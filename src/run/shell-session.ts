import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn as spawnPty, type IPty } from 'node-pty';
import { toPlainText } from './to-plain-text.ts';
import { endProcesses } from './end-processes.ts';
import { listProcesses, readProcessInfo, type ProcessMarker } from './list-processes.ts';
import { shellMarker } from './shell-marker.ts';

/** Something that listens until disposed (xterm.js / VS Code style). */
export interface Disposable {
  dispose(): void;
}

/** Options of {@link spawnShellSession}. */
export interface ShellSessionOptions {
  /** Folder the shell starts in. */
  cwd: string;
  /** The shell's environment (default: this process's). A second terminal passes a fresh copy. */
  env?: Record<string, string | undefined>;
  cols?: number;
  rows?: number;
  /** A bash rc file sourced before bookrun's own settings (the site's terminal uses one for a prompt). */
  rcfile?: string;
  /**
   * Keep the terminal's echo, readline and the rcfile's prompt, as a person at the keyboard sees them
   * (the browser terminal). Default false: headless, no echo, no prompt, no line editing.
   */
  interactiveEcho?: boolean;
  /** The bash binary (default `bash` from PATH). */
  shell?: string;
  /**
   * The variable put in the shell's environment, which everything it starts inherits; {@link ShellSession.dispose}
   * ends every process carrying it. Default: one of its own (`BOOKRUN_SHELL_<random>=1`). The terminal server
   * passes one naming the server, so a later server can end what a crashed one left.
   */
  marker?: ProcessMarker & { value: string };
}

/** Options of {@link ShellSession.run}. */
export interface RunOptions {
  /** End the command (ctrl+c, then harder) after this long; the result is `timed-out`. */
  timeoutMs?: number;
  /** End the command as ctrl+c would once its plain output matches; the result is `interrupted` (reason `until`). */
  until?: RegExp;
  /** Raw chunks of the command's output as they arrive (ANSI codes included; in interactive mode the echo too). */
  onOutput?: (chunk: string) => void;
  /** Keep at most this many characters of plain output (the tail). Default 1,000,000. */
  maxOutput?: number;
}

/**
 * What became of one command, zx style: a failure is a value, never an exception. `output` is plain text
 * (no ANSI codes, `\r\n` → `\n`, the sentinel cut; in interactive mode the echoed command is cut too,
 * using readline's bracketed-paste marker).
 */
export type CommandResult =
  | { kind: 'exited'; exitCode: number; output: string; durationMs: number }
  | {
      kind: 'interrupted';
      /** `until`: the pattern matched; `interrupt`: someone called interrupt(); `disposed`: the session ended. */
      reason: 'until' | 'interrupt' | 'disposed';
      /**
       * The status bash reported after the interrupt (130 for SIGINT); for `disposed`, the shell's own exit
       * status when it ended by itself (an `exit` command); null when the session died first.
       */
      exitCode: number | null;
      output: string;
      durationMs: number;
    }
  | { kind: 'timed-out'; exitCode: number | null; output: string; durationMs: number };

/** One persistent interactive bash in a pseudo-terminal: what a reader's terminal window is. */
export interface ShellSession {
  /** The bash process id; it leads its own session and process group. */
  readonly pid: number;
  /** The variable every process of this shell inherits (see {@link ShellSessionOptions.marker}). */
  readonly marker: ProcessMarker & { value: string };
  /** Resolves once bash is ready for the first command. */
  readonly ready: Promise<void>;
  /**
   * Types `command` (any number of lines, heredocs included) as a reader would and resolves when bash is
   * back at its prompt. One command at a time: a second call waits for the first.
   */
  run(command: string, options?: RunOptions): Promise<CommandResult>;
  /** What ctrl+c does to the running command (repeated until it ends, then SIGTERM, SIGKILL); nothing when idle. */
  interrupt(): void;
  /**
   * Whether the running command sits in a `read` of the terminal: it waits for someone to type (a prompt,
   * an editor, `cat` without a file). Linux only (false elsewhere); a watch's own keyboard handling counts too.
   */
  readsKeyboard(): boolean;
  /** Raw keystrokes into the terminal. */
  write(data: string): void;
  /** The raw pty stream (for xterm.js), OSC sentinels included: terminals ignore unknown OSC sequences. */
  onData(listener: (data: string) => void): Disposable;
  /** Called once when bash has exited. */
  onExit(listener: (exit: { exitCode: number; signal?: number }) => void): Disposable;
  resize(cols: number, rows: number): void;
  /** Flow control: stop reading the pty (the programs block once its buffer is full). */
  pause(): void;
  resume(): void;
  /**
   * Ends the shell and every process it started: those in its session's process groups and those carrying its
   * marker (which left the session: `setsid`, daemons), SIGHUP, then SIGTERM, then SIGKILL; resolves when none
   * of them is left.
   */
  dispose(): Promise<void>;
}

/** The OSC number of the sentinel: unknown to terminals, so xterm.js shows nothing. */
const OSC = 6973;
const SENTINEL_MAX = 64;
/** readline's "bracketed paste off": it prints it once it has read a line, before bash runs it. */
const LINE_READ = '\x1b[?2004l';

interface Pending {
  /** The command's lines, typed one by one, each when bash prompts for it. */
  lines: string[];
  next: number;
  /** Bash asked for more after the last line: the command is incomplete (an unclosed quote or heredoc). */
  incomplete: boolean;
  /** An interrupt was sent: a stray one may still reach the prompt, so the shell is synced afterwards. */
  signalled: boolean;
  options: RunOptions;
  started: number;
  /** The raw output so far (its tail when very long). */
  raw: string;
  /**
   * Interactive echo: readline echoes each typed line, then prints "bracketed paste off" once it has read
   * it. Until then the text is the echo, not output; this holds the end of it, to find the marker.
   */
  echo: string | null;
  /** The echo dropped so far, and whether the marker was ever seen (without bracketed paste it never is). */
  echoed: string;
  sawLineRead: boolean;
  truncated: boolean;
  state: 'running' | 'interrupting';
  reason: 'until' | 'interrupt' | 'disposed' | 'timeout' | null;
  timers: Array<NodeJS.Timeout>;
  resolve: (result: CommandResult) => void;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The rc file bash reads at start: the user's rc file, then the sentinel. Written to a private temporary
 * file so nothing of the setup is typed (or echoed) into the terminal.
 */
function rcText(nonce: string, options: ShellSessionOptions): string {
  const lines = ['# bookrun shell session setup (deleted once bash has read it)'];
  if (options.rcfile) lines.push(`[ -r ${shellQuote(options.rcfile)} ] && . ${shellQuote(options.rcfile)}`);
  if (!options.interactiveEcho) {
    lines.push('stty -echo 2>/dev/null', "PS1=''", "PS2=''", "PS4='+ '", 'unset HISTFILE');
  }
  // PS2 (bash wants more input: a quote, heredoc or `\\` continues) carries its own sentinel, so lines are
  // typed one at a time, each after bash asked for it, like a reader typing.
  lines.push(`PS2=$'\\e]${OSC};bookrun;${nonce};more\\a'"$PS2"`);
  // The prompt command prints the status of the last command inside an OSC escape carrying a per-session
  // nonce: a command's own output cannot fake it, and it survives `clear`, colours and missing newlines.
  // After an interrupt, a ctrl+c may land on the prompt and print one prompt too many: the runner types
  // `__bookrun_sync N` and skips everything up to its marker.
  lines.push(`__bookrun_sync() { builtin printf '\\033]${OSC};bookrun;%s;sync-%s\\007' ${nonce} "$1"; }`);
  lines.push(
    `__bookrun_prompt() { local s=$?; builtin printf '\\033]${OSC};bookrun;%s;%s\\007' ${nonce} "$s"; return $s; }`,
    'PROMPT_COMMAND="__bookrun_prompt${PROMPT_COMMAND:+;$PROMPT_COMMAND}"',
  );
  // Headless, a chapter's `source ~/.bashrc` or prompt tool must not take the sentinels away (the run
  // would hang) nor put a prompt before every output: bash refuses, with a one-line message.
  if (!options.interactiveEcho) lines.push('readonly PS1 PS2 PROMPT_COMMAND');
  return lines.join('\n') + '\n';
}

/** Live processes whose process group is `pgid` (Linux /proc). */
function processesInGroup(pgid: number): number[] {
  return listProcesses((info) => info.pgid === pgid).map((info) => info.pid);
}

/** The `read`-like system calls, by architecture (`/proc/PID/syscall` gives the number and the fd). */
const READ_SYSCALLS: Record<string, number[]> = { x64: [0, 17, 19, 295], arm64: [63, 65, 67, 69], ia32: [3, 145, 180], arm: [3, 145, 180] };

/** Whether a thread of `pid` is blocked in a read of the file `path` (the terminal). */
function blockedReading(pid: number, path: string): boolean {
  const reads = READ_SYSCALLS[process.arch];
  if (!reads) return false;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return false;
  }
  for (const tid of tasks) {
    try {
      const [nr, fd] = readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'utf8').split(' ');
      if (!reads.includes(Number(nr))) continue;
      if (readlinkSync(`/proc/${pid}/fd/${Number.parseInt(fd ?? '', 16)}`) === path) return true;
    } catch {
      // the thread ended, or /proc/PID/syscall is not readable here
    }
  }
  return false;
}

function signalGroups(groups: number[], signal: NodeJS.Signals): void {
  for (const group of groups) {
    try {
      process.kill(-group, signal);
    } catch {
      // already gone
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts a persistent interactive bash in a pseudo-terminal (node-pty), in `options.cwd`. Commands typed
 * with {@link ShellSession.run} share variables, `cd`, functions and exports, as in a reader's terminal.
 */
export function spawnShellSession(options: ShellSessionOptions): ShellSession {
  const nonce = randomBytes(8).toString('hex');
  const sentinelHead = `\x1b]${OSC};bookrun;${nonce};`;
  const sentinel = new RegExp(`\\x1b\\]${OSC};bookrun;${nonce};(\\d+|more|sync-\\d+)\\x07`);
  const rcPath = path.join(tmpdir(), `bookrun-rc-${process.pid}-${nonce}.sh`);
  writeFileSync(rcPath, rcText(nonce, options), { mode: 0o600 });
  const args = ['--noprofile', '--rcfile', rcPath, '-i'];
  if (!options.interactiveEcho) args.unshift('--noediting');
  const marker = options.marker ?? shellMarker(nonce);
  const env = { ...(options.env ?? process.env), [marker.name]: marker.value } as Record<string, string>;
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const pty: IPty = spawnPty(options.shell ?? 'bash', args, {
    name: env.TERM && env.TERM !== 'dumb' ? env.TERM : 'xterm-256color',
    cols: options.cols ?? 200,
    rows: options.rows ?? 50,
    cwd: options.cwd,
    env,
  });
  const pid = pty.pid;
  const dataListeners = new Set<(data: string) => void>();
  const exitListeners = new Set<(exit: { exitCode: number; signal?: number }) => void>();
  let exited: { exitCode: number; signal?: number } | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let pending: Pending | null = null;
  let readyResolve!: () => void;
  let isReady = false;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  /** Raw text seen since the last sentinel, kept only to find a sentinel split across chunks. */
  let scan = '';
  let syncCounter = 0;
  let syncWaiter: { id: string; phase: 'marker' | 'prompt'; resolve: () => void } | null = null;

  const finish = (exitCode: number | null) => {
    const p = pending;
    if (!p) return;
    pending = null;
    for (const t of p.timers) clearTimeout(t);
    // Without bracketed paste the echo cannot be told apart: keep it rather than lose the output.
    const raw = !p.sawLineRead && p.echoed ? p.echoed + p.raw : p.raw;
    let output = cap(toPlainText(raw), p.options.maxOutput, p.truncated);
    if (p.incomplete) {
      output += `${output && !output.endsWith('\n') ? '\n' : ''}bookrun: bash waited for more input after the last line: an unclosed quote, heredoc or \\ continuation?\n`;
    }
    const durationMs = Date.now() - p.started;
    if (p.reason === 'timeout') p.resolve({ kind: 'timed-out', exitCode, output, durationMs });
    else if (p.reason) p.resolve({ kind: 'interrupted', reason: p.reason, exitCode, output, durationMs });
    else p.resolve({ kind: 'exited', exitCode: exitCode ?? -1, output, durationMs });
  };

  const absorb = (p: Pending, chunk: string) => {
    let text = chunk;
    if (p.echo !== null) {
      const buffer = p.echo + text;
      const at = buffer.indexOf(LINE_READ);
      if (at === -1) {
        p.echo = buffer.slice(-(LINE_READ.length - 1));
        if (p.echoed.length < 65536) p.echoed += text;
        return;
      }
      p.echo = null;
      p.sawLineRead = true;
      text = buffer.slice(at + LINE_READ.length);
      if (!text) return;
    }
    const max = p.options.maxOutput ?? 1_000_000;
    p.raw += text;
    if (p.raw.length > 2 * max + 4096) {
      p.raw = p.raw.slice(-(max + 4096));
      p.truncated = true;
    }
    // A watch's pattern is looked for in the recent output: enough for any line, cheap on long watches.
    if (p.options.until && p.state === 'running' && p.options.until.test(toPlainText(p.raw.slice(-65536)))) {
      p.reason = 'until';
      stop(p);
    }
  };

  pty.onData((data) => {
    for (const listener of dataListeners) listener(data);
    scan += data;
    for (;;) {
      const match = sentinel.exec(scan);
      if (!match) break;
      const before = scan.slice(0, match.index);
      scan = scan.slice(match.index + match[0].length);
      if (!isReady) {
        isReady = true;
        rmSync(rcPath, { force: true });
        readyResolve();
        continue;
      }
      if (syncWaiter) {
        if (match[1] === syncWaiter.id) syncWaiter.phase = 'prompt';
        else if (syncWaiter.phase === 'prompt' && /^\d+$/.test(match[1]!)) {
          const waiter = syncWaiter;
          syncWaiter = null;
          waiter.resolve();
        }
        continue;
      }
      const p = pending;
      if (p) {
        if (before) {
          p.options.onOutput?.(before);
          absorb(p, before);
        }
        if (pending !== p) continue;
        if (p.next < p.lines.length && p.state === 'running') {
          typeLine(p);
        } else if (match[1] === 'more') {
          // Out of lines (or stopping) while bash waits for more: cancel the input as ctrl+c would.
          if (p.state === 'running') p.incomplete = true;
          pty.write('\x03');
        } else {
          finish(Number(match[1]));
        }
      }
    }
    // Keep only what could be the start of a sentinel; the rest is output.
    // (Holding back any escape sequence instead would delay a watch's last coloured line until more output.)
    const keepFrom = scan.lastIndexOf('\x1b');
    const rest = keepFrom >= 0 ? scan.slice(keepFrom) : '';
    const partial = rest !== '' && (sentinelHead.startsWith(rest) || (rest.startsWith(sentinelHead) && rest.length < SENTINEL_MAX && !rest.includes('\x07')));
    const safe = partial ? keepFrom : scan.length;
    const out = scan.slice(0, safe);
    scan = scan.slice(safe);
    if (out && pending) {
      pending.options.onOutput?.(out);
      absorb(pending, out);
    }
  });

  pty.onExit((exit) => {
    exited = exit;
    rmSync(rcPath, { force: true });
    if (!isReady) {
      isReady = true;
      readyResolve();
    }
    if (pending) {
      // A shell that ended by itself (`exit 3` typed as a command) reports its own status.
      const byItself = !pending.reason && !exit.signal;
      if (!pending.reason) pending.reason = 'disposed';
      finish(byItself ? exit.exitCode : null);
    }
    for (const listener of exitListeners) listener(exit);
  });

  const typeLine = (p: Pending) => {
    const line = p.lines[p.next];
    p.next += 1;
    // With readline (the browser terminal), a bracketed paste keeps tabs from completing.
    if (options.interactiveEcho) p.echo = '';
    pty.write(options.interactiveEcho ? `\x1b[200~${line}\x1b[201~\r` : `${line}\n`);
  };

  let terminalPath: string | null | undefined;
  const readsKeyboard = (): boolean => {
    if (!pending || exited) return false;
    if (terminalPath === undefined) {
      try {
        terminalPath = readlinkSync(`/proc/${pid}/fd/0`);
      } catch {
        terminalPath = null;
      }
    }
    const group = foregroundGroup();
    if (!terminalPath || group === null) return false;
    const members = group === pid ? [pid] : processesInGroup(group);
    return members.some((member) => blockedReading(member, terminalPath!));
  };

  const foregroundGroup = (): number | null => {
    const stat = readProcessInfo(pid);
    if (!stat || stat.tpgid <= 0) return null;
    return stat.tpgid;
  };

  /**
   * ctrl+c. The first is the keystroke itself (what a reader does; the terminal delivers it to whatever
   * is in the foreground at that instant). A repeat goes straight to the foreground process group as
   * SIGINT, which also reaches programs that put the terminal in raw mode.
   */
  const sendInterrupt = (repeat = false) => {
    if (exited) return;
    if (repeat) {
      const group = foregroundGroup();
      if (group !== null && group !== pid) {
        try {
          process.kill(-group, 'SIGINT');
          return;
        } catch {
          // gone already: fall back to the keystroke
        }
      }
    }
    pty.write('\x03');
  };

  /** ctrl+c, repeated every half second while the command runs; then SIGTERM, then SIGKILL to the foreground group. */
  const stop = (p: Pending) => {
    if (p.state !== 'running') return;
    p.state = 'interrupting';
    p.signalled = true;
    sendInterrupt();
    const again = setInterval(() => {
      if (pending === p) sendInterrupt(true);
    }, 500);
    p.timers.push(
      again,
      setTimeout(() => {
        const group = foregroundGroup();
        if (pending === p && group !== null && group !== pid) signalGroups([group], 'SIGTERM');
      }, 2000),
      setTimeout(() => {
        const group = foregroundGroup();
        if (pending === p && group !== null && group !== pid) signalGroups([group], 'SIGKILL');
      }, 4000),
      // Not even SIGKILL brought the prompt back (a process stuck in the kernel): give up waiting, so the
      // caller is never stuck; the sync before the next command skips a prompt that comes late.
      setTimeout(() => {
        if (pending === p) finish(null);
      }, 8000),
    );
  };

  /** Types the sync marker and waits for it: whatever an extra ctrl+c printed is skipped. */
  const sync = () =>
    new Promise<void>((resolve) => {
      if (exited) return resolve();
      const id = `sync-${++syncCounter}`;
      const timer = setTimeout(() => {
        if (syncWaiter?.id === id) syncWaiter = null;
        resolve();
      }, 5000);
      syncWaiter = {
        id,
        phase: 'marker',
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      pty.write(`__bookrun_sync ${syncCounter}\n`);
    });

  // Only a running command is interrupted: a ctrl+c at an idle prompt would print a prompt nobody waits for.
  const interrupt = () => {
    if (pending && pending.state === 'running') {
      pending.reason = 'interrupt';
      stop(pending);
    }
  };

  const run = (command: string, runOptions: RunOptions = {}): Promise<CommandResult> => {
    const next = queue.then(async () => {
      await ready;
      const started = Date.now();
      if (exited) {
        return { kind: 'interrupted', reason: 'disposed', exitCode: null, output: '', durationMs: 0 } as CommandResult;
      }
      let signalled = false;
      const result = await new Promise<CommandResult>((resolveResult) => {
        const resolve = (r: CommandResult) => {
          signalled = p.signalled;
          resolveResult(r);
        };
        // A chapter saved with CRLF line ends must not hand bash a `\r` at the end of every line.
        const lines = command.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
        const p: Pending = { lines, next: 0, incomplete: false, signalled: false, options: runOptions, started, raw: '', echo: null, echoed: '', sawLineRead: false, truncated: false, state: 'running', reason: null, timers: [], resolve };
        pending = p;
        if (runOptions.timeoutMs !== undefined && runOptions.timeoutMs > 0) {
          p.timers.push(
            setTimeout(() => {
              if (pending !== p || p.state !== 'running') return;
              p.reason = 'timeout';
              stop(p);
            }, runOptions.timeoutMs),
          );
        }
        typeLine(p);
      });
      // In a reader's terminal the sync command would show: there, a short pause lets a stray prompt pass.
      if (signalled && !exited) await (options.interactiveEcho ? sleep(150) : sync());
      return result;
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const dispose = async () => {
    if (pending) {
      pending.reason ??= 'disposed';
    }
    await endProcesses({ sid: pid, marker });
    if (!exited) {
      try {
        pty.kill('SIGKILL');
      } catch {
        // gone
      }
    }
    // bash itself is reaped by node-pty: wait for its exit, briefly, so that on return nothing is left.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !exited) await sleep(20);
    rmSync(rcPath, { force: true });
    if (pending) finish(null);
  };

  return {
    pid,
    marker,
    ready,
    run,
    interrupt,
    readsKeyboard,
    write: (data) => pty.write(data),
    onData(listener) {
      dataListeners.add(listener);
      return { dispose: () => dataListeners.delete(listener) };
    },
    onExit(listener) {
      exitListeners.add(listener);
      return { dispose: () => exitListeners.delete(listener) };
    },
    resize: (cols, rows) => pty.resize(cols, rows),
    pause: () => pty.pause(),
    resume: () => pty.resume(),
    dispose,
  };
}

/** Keeps the tail of `text` when it is longer than `max` characters, marking the cut. */
function cap(text: string, max = 1_000_000, truncated = false): string {
  if (text.length <= max && !truncated) return text;
  const from = text.length > max ? text.indexOf('\n', text.length - max) + 1 || text.length - max : 0;
  return `[… earlier output cut …]\n${text.slice(from)}`;
}
