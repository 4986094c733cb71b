import { rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkNestedShell } from '../core/check-nested-shell.ts';
import { checkOutput } from '../core/check-output.ts';
import { checkValue } from '../core/check-value.ts';
import { fillPlaceholders } from '../core/fill-placeholders.ts';
import { isExitCommand } from '../core/is-exit-command.ts';
import type { Plan, PlannedStep } from '../core/model.ts';
import { quoteShell } from '../core/quote-shell.ts';
import { toRunCommand } from '../core/to-run-command.ts';
import type { OutputFolder } from '../book/open-output-folder.ts';
import { stepSkipReason } from './step-skip-reason.ts';
import type { RunEvent, RunReport, StepReport, StepStatus } from './run-events.ts';
import { readSessionState, STATE_SETUP, toStateSaveCommand } from './session-state.ts';
import { spawnShellSession, type CommandResult, type ShellSession } from './shell-session.ts';

/** Retry-while steps: attempts and back-off (`1 s` doubling to at most `10 s`, up to 10 attempts). */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Everything {@link runChapter} needs; the CLI fills it from flags, the book config and the chapter. */
export interface RunChapterOptions {
  plan: Plan;
  /** Title, file (as in bookrun.yaml) and sha256 of the chapter text, copied into the report. */
  chapter: RunReport['chapter'];
  /** Folder every terminal starts in. */
  cwd: string;
  /** The environment terminals start with (default: this process's). */
  env?: Record<string, string | undefined>;
  /** Placeholder values from `--set` and `--values` (win over captures and the environment). */
  values: Record<string, string>;
  /** Placeholder values from the environment (lose to captures). */
  envValues?: Record<string, string>;
  watchTimeoutMs: number;
  stepTimeoutMs: number;
  waitTimeoutMs: number;
  keepGoing?: boolean;
  from?: number | null;
  to?: number | null;
  /**
   * The output folder for session state (`--from` resumes), opened through the write guard (files 0600,
   * folder 0700); null: do not save or restore.
   */
  state?: OutputFolder | null;
  retry?: RetryPolicy;
  /** Eventual steps re-run this often until their expected output matches. */
  eventualIntervalMs?: number;
  /** How long the first terminal waits for a step it started in another terminal before going on. */
  backgroundSettleMs?: number;
  /** A step that reads the terminal this long fails (it waits for a person); 0 turns the check off. Default 3 s. */
  keyboardWaitMs?: number;
  /** Kept in the report per step (the tail). */
  maxReportOutput?: number;
  /** Abort (ctrl+c on `bookrun run`): the running commands are interrupted and every shell ended. */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
}

/**
 * Nobody presses `q` in a headless run: pagers print straight through (`git log`, `aws`, `systemctl`
 * would otherwise wait in `less` until the step timeout). Values already in the environment win.
 */
const HEADLESS_ENV: Record<string, string> = { PAGER: 'cat', GIT_PAGER: 'cat', SYSTEMD_PAGER: 'cat', AWS_PAGER: '', BOOKRUN: '1' };

const KEYBOARD_POLL_MS = 250;

const DEFAULT_RETRY: RetryPolicy = { attempts: 10, firstDelayMs: 1000, maxDelayMs: 10_000 };

function tail(text: string, max: number): string {
  if (text.length <= max) return text;
  const from = text.indexOf('\n', text.length - max) + 1 || text.length - max;
  return `[… ${from} characters cut …]\n${text.slice(from)}`;
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

interface Terminal {
  n: number;
  session: ShellSession;
  /** Steps of this terminal run one after another. */
  queue: Promise<unknown>;
  /** Last line of the last step this terminal ran (for the saved state). */
  lastLine: number | null;
}

/**
 * Runs the included steps of a plan in persistent bash sessions, one per terminal, checks exit statuses
 * and expected outputs, and returns the report. Steps of other terminals run in the background while the
 * first terminal goes on; when it finishes they are interrupted and every shell's process groups ended.
 * Never throws for a failing step: failures are in the report.
 */
export async function runChapter(options: RunChapterOptions): Promise<RunReport> {
  const emit = options.onEvent ?? (() => undefined);
  const retry = options.retry ?? DEFAULT_RETRY;
  const eventualIntervalMs = options.eventualIntervalMs ?? 2000;
  const settleMs = options.backgroundSettleMs ?? 1000;
  const maxOutput = options.maxReportOutput ?? 64 * 1024;
  const keyboardWaitMs = options.keyboardWaitMs ?? 3000;
  const startedAt = new Date();
  const started = Date.now();
  const steps = options.plan.steps.filter((s) => s.included);
  const reports = new Map<string, StepReport>();
  const captures: Record<string, string> = {};
  const terminals = new Map<number, Terminal>();
  const range = { from: options.from ?? null, to: options.to ?? null };
  let stopped: string | null = null;
  let finishing = false;
  let aborted = false;
  const aborters = new Set<() => void>();
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        aborters.delete(done);
        resolve();
      }
      aborters.add(done);
    });
  const onAbort = () => {
    aborted = true;
    stopped ??= 'not run: bookrun run was interrupted';
    for (const t of terminals.values()) t.session.interrupt();
    for (const a of [...aborters]) a();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const lookup = (name: string) => options.values[name] ?? captures[name] ?? options.envValues?.[name];
  const state = options.state ?? null;
  const metaPath = state ? path.join(state.dir, 'meta.json') : null;
  let restoredCaptures: Record<string, string> = {};
  if (state && range.from != null && metaPath && existsSync(metaPath)) {
    try {
      restoredCaptures = (JSON.parse(readFileSync(metaPath, 'utf8')) as { captures?: Record<string, string> }).captures ?? {};
    } catch {
      restoredCaptures = {};
    }
  }
  // Values are data, whoever saved them: a saved capture that would act as keys is never used.
  for (const [name, value] of Object.entries(restoredCaptures)) if (typeof value === 'string' && checkValue(value) === null) captures[name] = value;

  emit({ kind: 'run-started', chapter: options.chapter, variant: options.plan.variant, steps: steps.length, startedAt: startedAt.toISOString() });

  const openTerminal = async (n: number): Promise<Terminal> => {
    const existing = terminals.get(n);
    if (existing) return existing;
    const session = spawnShellSession({ cwd: options.cwd, env: { ...HEADLESS_ENV, ...(options.env ?? process.env) } });
    const terminal: Terminal = { n, session, queue: Promise.resolve(), lastLine: null };
    terminals.set(n, terminal);
    await session.ready;
    if (state) {
      await session.run(STATE_SETUP);
      if (range.from != null) {
        const saved = readSessionState(path.join(state.dir, `t${n}.sh`));
        if (saved && saved.line < range.from) {
          const script = path.join(tmpdir(), `bookrun-restore-${process.pid}-${n}-${Date.now()}.sh`);
          writeFileSync(script, saved.script, { mode: 0o600 });
          await session.run(`builtin source ${quoteShell(script)} >/dev/null 2>&1`);
          rmSync(script, { force: true });
          emit({ kind: 'note', message: `terminal ${n}: restored the variables, functions and folder saved after line ${saved.line}` });
        } else if (saved) {
          emit({ kind: 'note', message: `terminal ${n}: the saved state is from line ${saved.line}, not before --from ${range.from}: starting with a fresh shell` });
        } else {
          emit({ kind: 'note', message: `terminal ${n}: no saved state to resume from: starting with a fresh shell` });
        }
      }
    }
    return terminal;
  };

  const report = (step: PlannedStep, command: string, status: StepStatus, fields: Partial<StepReport> = {}): StepReport => {
    const r: StepReport = {
      id: step.id,
      line: step.line,
      terminal: step.terminal,
      command,
      source: step.command,
      status,
      exitCode: null,
      attempts: 0,
      durationMs: 0,
      output: '',
      expect: null,
      reason: null,
      ended: null,
      ...fields,
    };
    r.output = tail(r.output, maxOutput);
    reports.set(step.id, r);
    emit({ kind: 'step-finished', step: r });
    return r;
  };

  /** Runs one step to its verdict: attempts, watch ends, retries, eventual checks, captures. */
  const execute = async (terminal: Terminal, step: PlannedStep, command: string): Promise<StepReport> => {
    const stepStarted = Date.now();
    const expectedExit = step.annotations.exitCode ?? 0;
    const until = step.annotations.until ? new RegExp(step.annotations.until, 'm') : undefined;
    let attempts = 0;
    let delay = retry.firstDelayMs;
    const waitDeadline = Date.now() + options.waitTimeoutMs;
    for (;;) {
      attempts += 1;
      const timeoutMs = step.annotations.timeoutMs ?? (step.watch ? options.watchTimeoutMs : options.stepTimeoutMs);
      // A command that sits in a read of the terminal waits for a person: fail it now, not at its timeout.
      let keyboardPolls = 0;
      let waitsForKeyboard = false;
      const poll =
        step.watch || keyboardWaitMs <= 0
          ? null
          : setInterval(() => {
              if (!terminal.session.readsKeyboard()) {
                keyboardPolls = 0;
              } else if (++keyboardPolls * KEYBOARD_POLL_MS >= keyboardWaitMs && !waitsForKeyboard) {
                waitsForKeyboard = true;
                terminal.session.interrupt();
              }
            }, KEYBOARD_POLL_MS);
      let result: CommandResult;
      try {
        result = await terminal.session.run(command, { timeoutMs, until });
      } finally {
        if (poll) clearInterval(poll);
      }
      // `exit` ends the shell, as it closes a reader's terminal: that is the command's doing, not a
      // failure, and the shell's exit status is the command's.
      if (result.kind === 'interrupted' && result.reason === 'disposed' && result.exitCode !== null && isExitCommand(command)) {
        result = { kind: 'exited', exitCode: result.exitCode, output: result.output, durationMs: result.durationMs };
      }
      const check = step.expect ? checkOutput(step.expect, result.output) : null;
      const expect = check && step.expect ? { ...check, line: step.expect.line } : null;
      const base = { exitCode: result.exitCode, attempts, output: result.output, expect };
      const elapsed = () => Date.now() - stepStarted;
      if (waitsForKeyboard && result.kind === 'interrupted' && !aborted && !finishing) {
        const reason = `the command waits for keyboard input (it reads the terminal, as a prompt or an editor does) and nobody types in a headless run: make it answer by itself (a --yes or --batch-mode flag, input from a pipe or a heredoc), or mark the step # bookrun: skip="why"`;
        return report(step, command, 'failed', { ...base, durationMs: elapsed(), reason, ended: 'interrupted' });
      }
      // Interrupted from outside: the end of the first terminal, ctrl+c on bookrun, a shell that died.
      if (result.kind === 'interrupted' && result.reason !== 'until') {
        const reason = aborted
          ? 'interrupted: bookrun run was interrupted'
          : finishing
            ? 'interrupted: the first terminal finished'
            : 'the shell of this terminal exited';
        return report(step, command, aborted || finishing ? 'interrupted' : 'failed', { ...base, durationMs: elapsed(), reason, ended: 'interrupted' });
      }
      let ended: StepReport['ended'] = 'exited';
      let failure: string | null = null;
      if (result.kind === 'timed-out') {
        if (step.watch) {
          ended = 'watch-timeout';
          if (until) failure = `the watch was stopped at --watch-timeout ${formatMs(timeoutMs)} before its output matched /${step.annotations.until}/`;
        } else {
          ended = 'timeout';
          failure = `timed out after ${formatMs(timeoutMs)} (${step.annotations.timeoutMs ? 'timeout annotation' : '--step-timeout'})`;
        }
      } else if (result.kind === 'interrupted') {
        ended = 'until';
      } else if (result.exitCode !== expectedExit) {
        failure = `exit status ${result.exitCode}${expectedExit ? `, expected ${expectedExit}` : ''}`;
      }
      if (!failure && expect && !expect.matched) failure = `the output does not match the expected output at line ${expect.line}`;
      const phrase = step.retryWhile;
      if (phrase && result.kind === 'exited' && result.output.includes(phrase) && attempts < retry.attempts && !stopped) {
        emit({ kind: 'step-attempt', id: step.id, line: step.line, attempt: attempts + 1, delayMs: delay, why: `the output contains "${phrase}"` });
        await wait(delay);
        delay = Math.min(delay * 2, retry.maxDelayMs);
        if (!stopped) continue;
        if (aborted) return report(step, command, 'interrupted', { ...base, durationMs: elapsed(), reason: 'interrupted: bookrun run was interrupted', ended: 'interrupted' });
      }
      if (step.eventually && failure && result.kind === 'exited' && !stopped && Date.now() + eventualIntervalMs <= waitDeadline) {
        emit({ kind: 'step-attempt', id: step.id, line: step.line, attempt: attempts + 1, delayMs: eventualIntervalMs, why: 'waiting for the expected output' });
        await wait(eventualIntervalMs);
        if (!stopped) continue;
        if (aborted) return report(step, command, 'interrupted', { ...base, durationMs: elapsed(), reason: 'interrupted: bookrun run was interrupted', ended: 'interrupted' });
      }
      if (!failure && phrase && result.output.includes(phrase)) {
        failure = `the output still contains "${phrase}" after ${attempts} attempts`;
      }
      if (step.eventually && failure && expect && !expect.matched) {
        failure = `the output did not match the expected output at line ${expect.line} within --wait-timeout ${formatMs(options.waitTimeoutMs)} (${attempts} attempts)`;
      }
      if (!failure) {
        for (const [name, source] of Object.entries(step.annotations.capture ?? {})) {
          const m = new RegExp(source, 'm').exec(result.output);
          if (!m) {
            failure = `capture ${name}: /${source}/ is not in the output`;
            break;
          }
          const value = m[1] ?? m[0];
          // Values are data: a captured value that would act as keys is never kept, so no later step types it.
          const problem = checkValue(value);
          if (problem) {
            failure = `capture ${name}: the captured value ${problem.message}`;
            break;
          }
          captures[name] = value;
        }
      }
      return report(step, command, failure ? 'failed' : 'passed', { ...base, durationMs: elapsed(), reason: failure, ended });
    }
  };

  /**
   * Saves a terminal's state (variables, functions, folder) once, when it ends: that is the state after the
   * last step it ran, which is what a `--from` resume needs. Saving after every step as well would cost a
   * round trip and a file write per step (about 1 ms, more than the rest of the runner).
   */
  const saveState = async (terminal: Terminal) => {
    if (!state || terminal.lastLine === null) return;
    // bash fills a private temporary file beside the state file; only a complete dump replaces the old one.
    const slot = await state.reserve(`t${terminal.n}.sh`);
    const saved = await terminal.session.run(toStateSaveCommand(slot.temp, terminal.lastLine), { timeoutMs: 5000 });
    await (saved.kind === 'exited' ? slot.commit() : slot.discard());
  };

  const background: Array<Promise<unknown>> = [];
  for (const step of steps) {
    const skip = stepSkipReason(step, range);
    if (skip) {
      report(step, step.command, 'skipped', { reason: skip });
      continue;
    }
    if (stopped) {
      report(step, step.command, 'skipped', { reason: stopped });
      continue;
    }
    // A nested shell (`kubectl exec -it … -- sh`) would wait for keystrokes nobody types: fail fast instead.
    const nested = checkNestedShell(step, options.plan);
    if (nested) {
      if (report(step, step.command, nested.status, { reason: nested.reason }).status === 'failed' && !options.keepGoing) stopped ??= `not run: line ${step.line} failed`;
      continue;
    }
    const terminal = await openTerminal(step.terminal);
    if (stopped) {
      report(step, step.command, 'skipped', { reason: stopped });
      continue;
    }
    const bg = step.terminal !== 1;
    const job = terminal.queue.then(async () => {
      if (stopped || finishing) {
        return report(step, step.command, 'skipped', { reason: finishing && !stopped ? 'not started: the first terminal finished' : (stopped ?? '') });
      }
      // Never a half-resolved command: a capture that failed under --keep-going leaves its placeholder empty.
      const missing = step.placeholders.filter((name) => lookup(name) === undefined);
      if (missing.length > 0) {
        return report(step, step.command, 'failed', { reason: `not run: no value for ${missing.map((n) => `${n}=[...]`).join(', ')} (its capture failed)` });
      }
      // An editor on a file the chapter shows is the file's write; a Runme `cwd` runs in a subshell there.
      const filled = fillPlaceholders(toRunCommand(step), step.placeholders, lookup);
      if (filled.kind === 'refused') return report(step, step.command, 'failed', { reason: `not run: ${filled.message}` });
      const command = filled.command;
      emit({ kind: 'step-started', id: step.id, line: step.line, terminal: step.terminal, command, background: bg });
      const r = await execute(terminal, step, command);
      terminal.lastLine = step.endLine;
      return r;
    });
    terminal.queue = job.catch(() => undefined);
    if (bg) {
      background.push(job);
      // A reader glances at the other terminal before going back: give the step a moment to start.
      await Promise.race([job, wait(settleMs)]);
      continue;
    }
    const r = await job;
    if (r.status === 'failed' && !options.keepGoing) stopped ??= `not run: line ${r.line} failed`;
  }

  // The first terminal is done: stop what still runs elsewhere, then end every shell.
  finishing = true;
  for (const t of terminals.values()) if (t.n !== 1) t.session.interrupt();
  await Promise.allSettled(background);
  await Promise.allSettled([...terminals.values()].map((t) => saveState(t)));
  if (state && [...terminals.values()].some((t) => t.lastLine !== null)) {
    await state.write('meta.json', `${JSON.stringify({ chapter: options.chapter, variant: options.plan.variant.name, captures }, null, 2)}\n`);
  }
  await Promise.allSettled([...terminals.values()].map((t) => t.session.dispose()));
  options.signal?.removeEventListener('abort', onAbort);

  const ordered = steps.map((s) => reports.get(s.id) ?? { id: s.id, line: s.line, terminal: s.terminal, command: s.command, source: s.command, status: 'skipped' as const, exitCode: null, attempts: 0, durationMs: 0, output: '', expect: null, reason: stopped ?? 'not run', ended: null });
  const summary: Record<StepStatus, number> = { passed: 0, failed: 0, skipped: 0, interrupted: 0 };
  for (const r of ordered) summary[r.status] += 1;
  const placeholders: Record<string, string> = {};
  for (const name of new Set(options.plan.steps.filter((s) => s.included).flatMap((s) => [...s.placeholders, ...Object.keys(s.annotations.capture ?? {})]))) {
    const value = lookup(name);
    if (value !== undefined) placeholders[name] = value;
  }
  const result: RunReport = {
    version: 1,
    chapter: options.chapter,
    variant: { name: options.plan.variant.name, values: options.plan.variant.values },
    status: summary.failed > 0 || aborted ? 'failed' : 'passed',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - started,
    placeholders,
    range,
    summary,
    steps: ordered,
  };
  emit({ kind: 'run-finished', report: result });
  return result;
}
