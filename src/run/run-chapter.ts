import path from 'node:path';
import { DEFAULT_WAIT_POLICY, type RetryPolicy } from '../core/check-attempt.ts';
import { checkNestedShell } from '../core/check-nested-shell.ts';
import { fillPlaceholders } from '../core/fill-placeholders.ts';
import type { Plan, PlannedStep } from '../core/model.ts';
import type { PromptAnswer } from '../core/to-answer.ts';
import { MASK, toMasked } from '../core/to-masked.ts';
import { toRunCommand } from '../core/to-run-command.ts';
import type { OutputFolder } from '../book/open-output-folder.ts';
import { executeStep, type Stopping } from './execute-step.ts';
import { stepSkipReason } from './step-skip-reason.ts';
import type { RunEvent, RunReport, StepReport, StepStatus } from './run-events.ts';
import { readSavedCaptures } from './read-saved-captures.ts';
import { toRunReport } from './to-run-report.ts';
import { TerminalPool } from './terminal-pool.ts';

export type { RetryPolicy } from '../core/check-attempt.ts';

/** Everything {@link runChapter} needs; the CLI fills it from flags, the book config and the chapter. */
export interface RunChapterOptions {
  plan: Plan;
  /** Title, file (as in bookrun.yaml) and sha256 of the chapter text, copied into the report. */
  chapter: RunReport['chapter'];
  /** Folder every terminal starts in. */
  cwd: string;
  /** The environment terminals start with (default: this process's); secrets given as values are in it too. */
  env?: Record<string, string | undefined>;
  /** Placeholder values from `--set`, `--secret` and `--values` (win over captures and the environment). */
  values: Record<string, string>;
  /** Placeholder values from the environment (lose to captures). */
  envValues?: Record<string, string>;
  /**
   * Secrets, by name (`--secret`, a values file's `secrets:`, the variables `ci.secrets` names): `***` in every
   * event and in the report, never in the saved state.
   */
  secrets?: Record<string, string>;
  /** Replies to prompts (a values file's `answers:`); a step's `input=` annotation comes first. */
  answers?: readonly PromptAnswer[];
  watchTimeoutMs: number;
  stepTimeoutMs: number;
  waitTimeoutMs: number;
  keepGoing?: boolean;
  /**
   * Record mode: a step whose only failure is its output does not stop the run (its output is recorded), as
   * with `--keep-going` for outputs alone.
   */
  goOnAfterOutput?: boolean;
  /** Run the teardown steps (default true, after a failure too); false (`--no-teardown`) skips them. */
  teardown?: boolean;
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
  /** A step that reads the terminal this long unanswered fails (it waits for a person); 0 turns the check off. Default 3 s. */
  keyboardWaitMs?: number;
  /** Kept in the report per step (the tail). */
  maxReportOutput?: number;
  /** Abort (ctrl+c on `bookrun run`): the running commands are interrupted; the teardown still runs. */
  signal?: AbortSignal;
  /** A second abort (ctrl+c again): the teardown is interrupted too. */
  teardownSignal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Each step that ran, with the whole plain output of its last attempt (record mode). */
  onStepOutput?: (step: PlannedStep, output: string, report: StepReport) => void;
}

/**
 * Nobody presses `q` in a headless run: pagers print straight through (`git log`, `aws`, `systemctl`
 * would otherwise wait in `less` until the step timeout). Values already in the environment win.
 */
const HEADLESS_ENV: Record<string, string> = { PAGER: 'cat', GIT_PAGER: 'cat', SYSTEMD_PAGER: 'cat', AWS_PAGER: '', BOOKRUN: '1' };

function tail(text: string, max: number): string {
  if (text.length <= max) return text;
  const from = text.indexOf('\n', text.length - max) + 1 || text.length - max;
  return `[… ${from} characters cut …]\n${text.slice(from)}`;
}

/** An abortable wait: every pending one resolves at once when `release` is called. */
function createWaits() {
  const pending = new Set<() => void>();
  return {
    wait: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          pending.delete(done);
          resolve();
        }
        pending.add(done);
      }),
    release: () => {
      for (const done of [...pending]) done();
    },
  };
}

/**
 * Runs the included steps of a plan in persistent bash sessions, one per terminal ({@link TerminalPool}), each
 * step to its verdict ({@link executeStep}), and returns the report. Steps of other terminals run in the
 * background while the first terminal goes on; when it finishes they are interrupted and every shell's process
 * groups ended. After a failure the remaining steps are skipped, except the teardown steps (a "What Now?"
 * section), which always run unless `teardown: false`. Secrets are `***` in every event and in the report.
 * Never throws for a failing step: failures are in the report.
 */
export async function runChapter(options: RunChapterOptions): Promise<RunReport> {
  const secretValues = Object.values(options.secrets ?? {}).filter((v) => v !== '');
  const mask = <T>(value: T): T => toMasked(value, secretValues);
  const emit = (event: RunEvent) => options.onEvent?.(mask(event));
  const policy = {
    retry: options.retry ?? DEFAULT_WAIT_POLICY.retry,
    eventualIntervalMs: options.eventualIntervalMs ?? DEFAULT_WAIT_POLICY.eventualIntervalMs,
    waitTimeoutMs: options.waitTimeoutMs,
  };
  const settleMs = options.backgroundSettleMs ?? 1000;
  const maxOutput = options.maxReportOutput ?? 64 * 1024;
  const keyboardWaitMs = options.keyboardWaitMs ?? 3000;
  const teardownEnabled = options.teardown ?? true;
  const startedAt = new Date();
  const started = Date.now();
  const steps = options.plan.steps.filter((s) => s.included);
  const reports = new Map<string, StepReport>();
  const captures: Record<string, string> = {};
  const range = { from: options.from ?? null, to: options.to ?? null };
  let stopped: string | null = null;
  let finishing = false;
  let aborted = false;
  let teardownAborted = false;
  let teardownAnnounced = false;
  const waits = createWaits();
  const teardownWaits = createWaits();
  const state = options.state ?? null;
  const pool = new TerminalPool({
    cwd: options.cwd,
    env: { ...HEADLESS_ENV, ...(options.env ?? process.env) },
    state,
    from: range.from,
    secrets: secretValues,
    note: (message) => emit({ kind: 'note', message }),
  });
  const onAbort = () => {
    aborted = true;
    stopped ??= 'not run: bookrun run was interrupted';
    for (const t of pool.all()) t.session.interrupt();
    waits.release();
  };
  const onTeardownAbort = () => {
    teardownAborted = true;
    for (const t of pool.all()) t.session.interrupt();
    teardownWaits.release();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  options.teardownSignal?.addEventListener('abort', onTeardownAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  if (options.teardownSignal?.aborted) onTeardownAbort();

  const lookup = (name: string) => options.values[name] ?? captures[name] ?? options.envValues?.[name];
  // Values are data, whoever saved them: a saved capture that would act as keys is never used.
  if (state && range.from != null) Object.assign(captures, readSavedCaptures(path.join(state.dir, 'meta.json')));

  emit({ kind: 'run-started', chapter: options.chapter, variant: options.plan.variant, steps: steps.length, startedAt: startedAt.toISOString() });

  const report = (step: PlannedStep, command: string, status: StepStatus, fields: Partial<StepReport> = {}): StepReport => {
    const r: StepReport = mask({
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
      teardown: step.teardown,
      ...fields,
    });
    // Masked before it is cut: a secret is never half in the kept tail.
    r.output = tail(r.output, maxOutput);
    reports.set(step.id, r);
    emit({ kind: 'step-finished', step: r });
    return r;
  };

  /** The run as a step sees it: teardown steps go on after a failure and the first ctrl+c. */
  const stoppingFor = (step: PlannedStep) => (): Stopping => {
    if (step.teardown) return teardownAborted ? 'abort' : finishing ? 'finishing' : null;
    return aborted ? 'abort' : finishing || stopped ? 'finishing' : null;
  };

  /** Runs one step to its verdict in its terminal, and keeps what it captured. */
  const run = async (step: PlannedStep, terminal: Awaited<ReturnType<TerminalPool['open']>>, bg: boolean): Promise<StepReport> => {
    const stopping = stoppingFor(step);
    if (stopping() !== null || (stopped && !step.teardown)) {
      return report(step, step.command, 'skipped', { reason: finishing && !stopped ? 'not started: the first terminal finished' : (stopped ?? 'not run') });
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
    const outcome = await executeStep({
      session: terminal.session,
      step,
      command,
      watchTimeoutMs: options.watchTimeoutMs,
      stepTimeoutMs: options.stepTimeoutMs,
      policy,
      keyboardWaitMs,
      answers: options.answers,
      stopping,
      wait: step.teardown ? teardownWaits.wait : waits.wait,
      onAttempt: (next) => emit({ kind: 'step-attempt', id: step.id, line: step.line, ...next }),
    });
    terminal.lastLine = step.endLine;
    const { verdict } = outcome;
    Object.assign(captures, verdict.captures);
    const expect = verdict.expect && step.expect ? { matched: verdict.expect.matched, diff: verdict.expect.diff, line: step.expect.line } : null;
    const r = report(step, command, verdict.status, {
      exitCode: verdict.exitCode,
      attempts: outcome.attempts,
      durationMs: outcome.durationMs,
      output: outcome.output,
      expect,
      reason: verdict.reason,
      ended: verdict.ended,
    });
    options.onStepOutput?.(step, outcome.output, r);
    return r;
  };

  /** Whether a failed step stops the run: not under --keep-going, nor in record mode when only its output differed. */
  const stops = (r: StepReport) =>
    r.status === 'failed' && !options.keepGoing && !(options.goOnAfterOutput && r.expect && !r.expect.matched && r.reason?.startsWith('the output'));

  const teardownSteps = steps.filter((s) => s.teardown);
  const background: Array<Promise<unknown>> = [];
  for (const step of steps) {
    const skip = stepSkipReason(step, range);
    if (skip) {
      report(step, step.command, 'skipped', { reason: skip });
      continue;
    }
    if (step.teardown && !teardownAnnounced) {
      teardownAnnounced = true;
      emit({ kind: 'teardown-started', steps: teardownSteps.length, afterFailure: stopped !== null, kept: !teardownEnabled });
    }
    if (step.teardown && !teardownEnabled) {
      report(step, step.command, 'skipped', { reason: 'not run: --no-teardown keeps what the chapter created' });
      continue;
    }
    if (step.teardown ? teardownAborted : stopped) {
      report(step, step.command, 'skipped', { reason: step.teardown ? 'not run: bookrun run was interrupted again (ctrl+c during the teardown)' : stopped! });
      continue;
    }
    // A nested shell (`kubectl exec -it … -- sh`) would wait for keystrokes nobody types: fail fast instead.
    const nested = checkNestedShell(step, options.plan);
    if (nested) {
      if (stops(report(step, step.command, nested.status, { reason: nested.reason }))) stopped ??= `not run: line ${step.line} failed`;
      continue;
    }
    const terminal = await pool.open(step.terminal);
    const bg = step.terminal !== 1;
    const job = terminal.queue.then(() => run(step, terminal, bg));
    terminal.queue = job.catch(() => undefined);
    if (bg) {
      background.push(job);
      // A reader glances at the other terminal before going back: give the step a moment to start.
      await Promise.race([job, (step.teardown ? teardownWaits : waits).wait(settleMs)]);
      continue;
    }
    const r = await job;
    if (stops(r)) stopped ??= `not run: line ${r.line} failed`;
  }

  // The first terminal is done: stop what still runs elsewhere, then end every shell.
  finishing = true;
  pool.interruptOthers();
  await Promise.allSettled(background);
  const saved = await pool.saveAll();
  if (state && saved) {
    // Secrets are never saved: a capture holding one is left out, and a resumed run asks for them again.
    const kept = Object.fromEntries(Object.entries(captures).filter(([, v]) => !secretValues.some((s) => v.includes(s))));
    await state.write('meta.json', `${JSON.stringify({ chapter: options.chapter, variant: options.plan.variant.name, captures: kept, secrets: Object.keys(options.secrets ?? {}).sort() }, null, 2)}\n`);
  }
  await pool.disposeAll();
  options.signal?.removeEventListener('abort', onAbort);
  options.teardownSignal?.removeEventListener('abort', onTeardownAbort);

  const placeholders: Record<string, string> = {};
  for (const name of new Set(steps.flatMap((s) => [...s.placeholders, ...Object.keys(s.annotations.capture ?? {})]))) {
    const value = lookup(name);
    if (value !== undefined) placeholders[name] = name in (options.secrets ?? {}) ? MASK : value;
  }
  const result = mask(
    toRunReport({
      plan: options.plan,
      chapter: options.chapter,
      reports,
      stopped,
      aborted,
      teardownEnabled,
      startedAt,
      durationMs: Date.now() - started,
      range,
      placeholders,
      secrets: Object.keys(options.secrets ?? {}).sort(),
    }),
  );
  emit({ kind: 'run-finished', report: result });
  return result;
}
