import { checkOutput, type OutputCheck } from './check-output.ts';
import { checkValue } from './check-value.ts';
import { isExitCommand } from './is-exit-command.ts';
import type { PlannedStep } from './model.ts';
import { toDurationText } from './to-duration-text.ts';

/** `# Repeat if …` steps: how many attempts, and the wait before each (doubling from the first to the most). */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** How long a step may keep trying: the same for `bookrun run`, the terminal server and the page. */
export interface WaitPolicy {
  retry: RetryPolicy;
  /** Eventual steps (`# Wait until …`) run again this long after an attempt that did not match. */
  eventualIntervalMs: number;
  /** …for at most this long from the step's first attempt (`--wait-timeout`). */
  waitTimeoutMs: number;
}

/** The defaults (docs/reference/run.md): retries 1 s doubling to 10 s, 10 attempts; eventual checks every 0.5 s for 10 minutes. */
export const DEFAULT_WAIT_POLICY: WaitPolicy = {
  retry: { attempts: 10, firstDelayMs: 1000, maxDelayMs: 10_000 },
  eventualIntervalMs: 500,
  waitTimeoutMs: 600_000,
};

/** How one attempt of a command ended, as the shell session saw it. */
export type AttemptEnd =
  | { kind: 'exited'; exitCode: number }
  /** A watch stopped (as ctrl+c would) when its `until` pattern matched. */
  | { kind: 'until' }
  /** A watch stopped when its output matched the expected output. */
  | { kind: 'expect' }
  | { kind: 'timed-out'; timeoutMs: number; limit: 'watch-timeout' | 'step-timeout' | 'annotation' }
  /** It waited for keyboard input nobody gave (headless), and was interrupted; `prompt` is the line it showed. */
  | { kind: 'keyboard'; prompt: string; waitedMs: number }
  /** Stopped from outside: the reader's ctrl+c (the page), the end of the first terminal, ctrl+c on `bookrun run`. */
  | { kind: 'interrupted'; by: 'reader' | 'finishing' | 'abort' }
  /** The shell itself ended (an `exit` command, or it died); `exitCode` is its own status when it exited by itself. */
  | { kind: 'shell-exited'; exitCode: number | null };

/** One attempt of a step, as the judge sees it. */
export interface Attempt {
  end: AttemptEnd;
  /** The status bash reported (130 after an interrupt); null when there was none. */
  exitCode: number | null;
  /** Plain output of this attempt. */
  output: string;
  /** 1 for the first attempt. */
  number: number;
  /** Time since the step's first attempt started, at the end of this one. */
  elapsedMs: number;
}

/** How a step ended, in the report (`ended`). */
export type StepEnded = 'exited' | 'until' | 'expect' | 'watch-timeout' | 'timeout' | 'interrupted';

/** What the judge says after an attempt: try again after a delay, or the step's verdict. */
export type AttemptVerdict =
  | {
      kind: 'again';
      delayMs: number;
      /** Why, for progress lines and the page: `the output contains "no healthy upstream"`. */
      why: string;
      expect: OutputCheck | null;
    }
  | {
      kind: 'done';
      status: 'passed' | 'failed' | 'interrupted';
      /** Why it failed or was interrupted, in a few words; null when it passed. */
      reason: string | null;
      ended: StepEnded;
      exitCode: number | null;
      expect: OutputCheck | null;
      /** Placeholders captured from the output (`capture=NAME:/re/`), when it passed. */
      captures: Record<string, string>;
    };

/** What of a step the judge reads. */
export type JudgedStep = Pick<PlannedStep, 'command' | 'watch' | 'retryWhile' | 'eventually' | 'expect' | 'annotations'>;

/**
 * THE judge of a step: from one attempt (how it ended, its status and output), the step and the wait policy,
 * decides whether to run it again (`# Repeat if`, `# Wait until`) or what its verdict is, with the
 * expected-output check and captures. `bookrun run`, the terminal server and the page all take their verdicts
 * from here (through the one step executor), so a step passes in the browser exactly when it passes in CI.
 * `stopping`: the run is ending (a failure, ctrl+c, the first terminal finished): no further attempt. Pure.
 */
export function checkAttempt(step: JudgedStep, attempt: Attempt, policy: WaitPolicy, stopping = false): AttemptVerdict {
  let end = attempt.end;
  const { output } = attempt;
  // `exit` ends the shell, as it closes a reader's terminal: the command's doing, judged by its status.
  if (end.kind === 'shell-exited' && end.exitCode !== null && isExitCommand(step.command)) end = { kind: 'exited', exitCode: end.exitCode };
  const check = step.expect ? checkOutput(step.expect, output) : null;
  const expect = check;
  const line = step.expect?.line;
  const done = (status: 'passed' | 'failed' | 'interrupted', reason: string | null, ended: StepEnded, captures: Record<string, string> = {}): AttemptVerdict => ({
    kind: 'done',
    status,
    reason,
    ended,
    exitCode: end.kind === 'exited' ? end.exitCode : attempt.exitCode,
    expect,
    captures,
  });
  switch (end.kind) {
    case 'keyboard': {
      const at = end.prompt.trim() ? ` at the prompt ${JSON.stringify(end.prompt.trim())}` : '';
      return done(
        'failed',
        `the command waits for keyboard input${at} (it read the terminal for ${toDurationText(end.waitedMs)}, as a prompt or an editor does) and nobody types in a headless run: give the reply with # bookrun: input="…" or answers: in a --values file, make it answer by itself (a --yes or --batch-mode flag, input from a pipe or a heredoc), or mark the step # bookrun: skip="why"`,
        'interrupted',
      );
    }
    case 'interrupted':
      if (end.by === 'abort') return done('interrupted', 'interrupted: bookrun run was interrupted', 'interrupted');
      if (end.by === 'finishing') return done('interrupted', 'interrupted: the first terminal finished', 'interrupted');
      // The reader's ctrl+c ends a watch the way the book says; it passed only if nothing it waited for was still missing.
      if (step.watch && !step.annotations.until && (expect === null || expect.matched)) return done('passed', null, 'interrupted');
      if (step.watch) return done('interrupted', 'stopped by hand before its output matched', 'interrupted');
      return done('interrupted', 'stopped by hand (ctrl+c)', 'interrupted');
    case 'shell-exited':
      return done('failed', 'the shell of this terminal exited', 'interrupted');
    default:
      break;
  }
  let ended: StepEnded = 'exited';
  let failure: string | null = null;
  if (end.kind === 'timed-out') {
    const limit = end.limit === 'annotation' ? 'the timeout annotation' : `--${end.limit}`;
    if (step.watch) {
      ended = 'watch-timeout';
      if (step.annotations.until) failure = `the watch was stopped at ${limit} ${toDurationText(end.timeoutMs)} before its output matched /${step.annotations.until}/`;
      else if (expect && !expect.matched) failure = `the watch was stopped at ${limit} ${toDurationText(end.timeoutMs)} before its output matched the expected output at line ${line}`;
    } else {
      ended = 'timeout';
      failure = `timed out after ${toDurationText(end.timeoutMs)} (${end.limit === 'annotation' ? 'timeout annotation' : `--${end.limit}`})`;
    }
  } else if (end.kind === 'until') {
    ended = 'until';
  } else if (end.kind === 'expect') {
    ended = 'expect';
  } else {
    const expected = step.annotations.exitCode ?? 0;
    if (end.exitCode !== expected) failure = `exit status ${end.exitCode}${expected ? `, expected ${expected}` : ''}`;
  }
  if (!failure && expect && !expect.matched) failure = `the output does not match the expected output at line ${line}`;
  const phrase = step.retryWhile;
  if (!stopping && phrase && end.kind === 'exited' && output.includes(phrase) && attempt.number < policy.retry.attempts) {
    const delayMs = Math.min(policy.retry.firstDelayMs * 2 ** (attempt.number - 1), policy.retry.maxDelayMs);
    return { kind: 'again', delayMs, why: `the output contains "${phrase}"`, expect };
  }
  if (!stopping && step.eventually && failure && end.kind === 'exited' && attempt.elapsedMs + policy.eventualIntervalMs <= policy.waitTimeoutMs) {
    return { kind: 'again', delayMs: policy.eventualIntervalMs, why: 'waiting for the expected output', expect };
  }
  if (!failure && phrase && output.includes(phrase)) failure = `the output still contains "${phrase}" after ${attempt.number} attempts`;
  if (step.eventually && failure && expect && !expect.matched) {
    failure = `the output did not match the expected output at line ${line} within --wait-timeout ${toDurationText(policy.waitTimeoutMs)} (${attempt.number} attempts)`;
  }
  if (failure) return done('failed', failure, ended);
  const captures: Record<string, string> = {};
  for (const [name, source] of Object.entries(step.annotations.capture ?? {})) {
    const m = new RegExp(source, 'm').exec(output);
    if (!m) return done('failed', `capture ${name}: /${source}/ is not in the output`, ended);
    const value = m[1] ?? m[0];
    // Values are data: a captured value that would act as keys is never kept, so no later step types it.
    const problem = checkValue(value);
    if (problem) return done('failed', `capture ${name}: the captured value ${problem.message}`, ended);
    captures[name] = value;
  }
  return done('passed', null, ended, captures);
}
