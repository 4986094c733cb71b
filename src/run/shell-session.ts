import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn as spawnPty, type IPty } from 'node-pty';
import { endProcesses } from './end-processes.ts';
import type { ProcessMarker } from './list-processes.ts';
import { PendingCommand, type CommandResult, type RunOptions } from './pending-command.ts';
import { readsTerminal, readTerminalPath } from './reads-terminal.ts';
import { scheduleStop } from './schedule-stop.ts';
import { SentinelScanner } from './sentinel-scanner.ts';
import { shellMarker } from './shell-marker.ts';
import { ShellSync } from './shell-sync.ts';
import { signalForegroundGroup } from './signal-foreground-group.ts';
import { toShellRc } from './to-shell-rc.ts';

export type { CommandResult, RunOptions } from './pending-command.ts';

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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts a persistent interactive bash in a pseudo-terminal (node-pty), in `options.cwd`. Commands typed
 * with {@link ShellSession.run} share variables, `cd`, functions and exports, as in a reader's terminal.
 * The parts: the rc file ({@link toShellRc}), the marker protocol ({@link SentinelScanner}, {@link ShellSync}),
 * the command in progress ({@link PendingCommand}), process probes ({@link readsTerminal}) and stopping
 * ({@link scheduleStop}, {@link signalForegroundGroup}).
 */
export function spawnShellSession(options: ShellSessionOptions): ShellSession {
  const nonce = randomBytes(8).toString('hex');
  const scanner = new SentinelScanner(nonce);
  const rcPath = path.join(tmpdir(), `bookrun-rc-${process.pid}-${nonce}.sh`);
  writeFileSync(rcPath, toShellRc(nonce, options), { mode: 0o600 });
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
  let pending: PendingCommand | null = null;
  let readyResolve!: () => void;
  let isReady = false;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  const syncer = new ShellSync();

  const finish = (exitCode: number | null) => {
    const p = pending;
    if (!p) return;
    pending = null;
    p.finish(exitCode);
  };

  const output = (text: string) => {
    if (!pending) return;
    pending.options.onOutput?.(text);
    pending.absorb(text);
  };

  const sentinel = (value: string) => {
    if (!isReady) {
      isReady = true;
      rmSync(rcPath, { force: true });
      readyResolve();
      return;
    }
    if (syncer.take(value)) return;
    const p = pending;
    if (!p) return;
    if (p.next < p.lines.length && p.state === 'running') {
      typeLine(p);
    } else if (value === 'more') {
      // Out of lines (or stopping) while bash waits for more: cancel the input as ctrl+c would.
      if (p.state === 'running') p.incomplete = true;
      pty.write('\x03');
    } else {
      finish(Number(value));
    }
  };

  pty.onData((data) => {
    for (const listener of dataListeners) listener(data);
    for (const item of scanner.push(data)) {
      if (item.kind === 'output') output(item.text);
      else sentinel(item.value);
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

  const typeLine = (p: PendingCommand) => {
    const line = p.lines[p.next];
    p.next += 1;
    // With readline (the browser terminal), a bracketed paste keeps tabs from completing.
    p.typed(Boolean(options.interactiveEcho));
    pty.write(options.interactiveEcho ? `\x1b[200~${line}\x1b[201~\r` : `${line}\n`);
  };

  let terminalPath: string | null | undefined;
  const readsKeyboard = (): boolean => {
    if (!pending || exited) return false;
    if (terminalPath === undefined) terminalPath = readTerminalPath(pid);
    return terminalPath !== null && readsTerminal(pid, terminalPath);
  };

  /**
   * ctrl+c. The first is the keystroke itself (what a reader does; the terminal delivers it to whatever
   * is in the foreground at that instant). A repeat goes straight to the foreground process group as
   * SIGINT, which also reaches programs that put the terminal in raw mode.
   */
  const sendInterrupt = (repeat: boolean) => {
    if (exited) return;
    if (repeat && signalForegroundGroup(pid, 'SIGINT')) return;
    pty.write('\x03');
  };

  const stop = (p: PendingCommand) => {
    if (p.state !== 'running') return;
    p.state = 'interrupting';
    p.signalled = true;
    p.timers.push(
      ...scheduleStop({
        interrupt: sendInterrupt,
        signal: (signal) => signalForegroundGroup(pid, signal),
        running: () => pending === p,
        giveUp: () => finish(null),
      }),
    );
  };

  /** Types the sync marker and waits for it: whatever an extra ctrl+c printed is skipped. */
  const sync = () => (exited ? Promise.resolve() : syncer.start((data) => pty.write(data)));

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
      if (exited) {
        return { kind: 'interrupted', reason: 'disposed', exitCode: null, output: '', durationMs: 0 } as CommandResult;
      }
      let p!: PendingCommand;
      const result = await new Promise<CommandResult>((resolve) => {
        p = new PendingCommand(command, runOptions, () => stop(p), resolve);
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
      if (p.signalled && !exited) await (options.interactiveEcho ? sleep(150) : sync());
      return result;
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const dispose = async () => {
    if (pending) pending.reason ??= 'disposed';
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
