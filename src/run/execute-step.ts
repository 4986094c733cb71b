import { checkAttempt, type AttemptEnd, type AttemptVerdict, type JudgedStep, type WaitPolicy } from '../core/check-attempt.ts';
import { checkOutput } from '../core/check-output.ts';
import { toAnswer, type PromptAnswer } from '../core/to-answer.ts';
import { toUntilPattern } from '../core/to-until-pattern.ts';
import type { CommandResult, ShellSession } from './shell-session.ts';
import { toPlainText } from './to-plain-text.ts';

/**
 * Why a run is stopping, as a step sees it: no more attempts, and an interrupted command was stopped by it
 * (`reader`: the page's ctrl+c; `finishing`: the run ends or failed elsewhere; `abort`: ctrl+c on bookrun run).
 */
export type Stopping = null | 'finishing' | 'abort' | 'reader';

/** Options of {@link executeStep}. */
export interface ExecuteStepOptions {
  session: ShellSession;
  step: JudgedStep;
  /** The command to type: the step's, placeholders filled. */
  command: string;
  /** How long a watch runs when nothing else stops it; null: until stopped (a reader's terminal). */
  watchTimeoutMs: number | null;
  /** How long any other command may run; null: no limit. A `timeout=` annotation wins over both. */
  stepTimeoutMs: number | null;
  policy: WaitPolicy;
  /** A command that reads the terminal this long, unanswered, fails (nobody types headless); 0: never (a reader types). */
  keyboardWaitMs: number;
  /** Replies to prompts (`answers:` of a values file); the step's `input=` annotation comes first. */
  answers?: readonly PromptAnswer[];
  /** The run's state, read after every attempt and wait. */
  stopping: () => Stopping;
  /** Waits between attempts; resolves early when the run stops. */
  wait: (ms: number) => Promise<void>;
  /** Another attempt follows after `delayMs` (for progress lines and the page's attempt count). */
  onAttempt?: (next: { attempt: number; delayMs: number; why: string }) => void;
}

/** The verdict of a step and what it took. */
export interface StepOutcome {
  verdict: Extract<AttemptVerdict, { kind: 'done' }>;
  attempts: number;
  durationMs: number;
  /** The whole plain output of the last attempt (record mode takes it; reports keep its tail). */
  output: string;
}

const KEYBOARD_POLL_MS = 250;

/** The line a command shows while it waits for keyboard input: its last non-blank output line. */
function promptOf(output: string): string {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}

/**
 * THE step executor of `bookrun run` and the terminal server: runs a step's command in a shell session until
 * the judge ({@link checkAttempt}) gives its verdict, typing it again for `# Repeat if` and `# Wait until` steps,
 * ending watches at `until` or at their expected output, answering prompts, and failing a command that waits for
 * keyboard input nobody gives. Never throws for a failing step: the verdict says it.
 */
export async function executeStep(options: ExecuteStepOptions): Promise<StepOutcome> {
  const { session, step, command, policy } = options;
  const started = Date.now();
  const until = step.annotations.until ? (toUntilPattern(step.annotations.until) ?? undefined) : undefined;
  const expected = step.expect;
  // A watch whose expected output follows it is done once that output showed: stop it as a reader would.
  const expect = step.watch && expected && !until ? (output: string) => checkOutput(expected, output).matched : undefined;
  const limit: { ms: number | null; kind: 'annotation' | 'watch-timeout' | 'step-timeout' } =
    step.annotations.timeoutMs !== undefined
      ? { ms: step.annotations.timeoutMs, kind: 'annotation' }
      : step.watch
        ? { ms: options.watchTimeoutMs, kind: 'watch-timeout' }
        : { ms: options.stepTimeoutMs, kind: 'step-timeout' };
  const inputs = step.annotations.input ?? [];
  const answers = options.answers ?? [];
  for (let attempt = 1; ; attempt += 1) {
    // What the command printed since its last reply: the prompt it waits at is the last line of it (headless,
    // a typed reply is not echoed, so two prompts in a row share a line).
    const keyboard = { waited: false, prompt: '', polls: 0, replies: 0, answeredAt: 0, since: '' };
    const poll =
      step.watch || (options.keyboardWaitMs <= 0 && inputs.length === 0 && answers.length === 0)
        ? null
        : setInterval(() => {
            if (!session.readsKeyboard()) {
              keyboard.polls = 0;
              return;
            }
            // The last reply may still be on its way to the program: a read seen now is the one it answered.
            if (Date.now() - keyboard.answeredAt < KEYBOARD_POLL_MS * 1.5) return;
            const prompt = promptOf(toPlainText(keyboard.since));
            const reply = toAnswer(prompt, keyboard.replies, inputs, answers);
            if (reply !== null) {
              session.write(`${reply}\r`);
              keyboard.replies += 1;
              keyboard.answeredAt = Date.now();
              keyboard.since = '';
              keyboard.polls = 0;
              return;
            }
            keyboard.polls += 1;
            if (options.keyboardWaitMs > 0 && keyboard.polls * KEYBOARD_POLL_MS >= options.keyboardWaitMs && !keyboard.waited) {
              keyboard.waited = true;
              keyboard.prompt = prompt;
              session.interrupt();
            }
          }, KEYBOARD_POLL_MS);
    let result: CommandResult;
    try {
      result = await session.run(command, {
        timeoutMs: limit.ms ?? undefined,
        until,
        expect,
        onOutput: poll ? (chunk) => (keyboard.since = (keyboard.since + chunk).slice(-4096)) : undefined,
      });
    } finally {
      if (poll) clearInterval(poll);
    }
    const end = toAttemptEnd(result, { keyboard: keyboard.waited ? { prompt: keyboard.prompt, waitedMs: options.keyboardWaitMs } : null, stopping: options.stopping(), limit });
    let verdict = checkAttempt(step, { end, exitCode: result.exitCode, output: result.output, number: attempt, elapsedMs: Date.now() - started }, policy, options.stopping() !== null);
    if (verdict.kind === 'again') {
      options.onAttempt?.({ attempt: attempt + 1, delayMs: verdict.delayMs, why: verdict.why });
      // Stopped already (as the attempt was announced, say): no wait for an attempt that will not come.
      if (options.stopping() === null) await options.wait(verdict.delayMs);
      const stopping = options.stopping();
      if (stopping === null) continue;
      const reason = stopping === 'abort' ? 'interrupted: bookrun run was interrupted' : stopping === 'reader' ? 'stopped by hand (ctrl+c) before the next attempt' : null;
      verdict = reason
        ? { kind: 'done', status: 'interrupted', reason, ended: 'interrupted', exitCode: result.exitCode, expect: verdict.expect, captures: {} }
        : checkAttempt(step, { end, exitCode: result.exitCode, output: result.output, number: attempt, elapsedMs: Date.now() - started }, policy, true);
    }
    if (verdict.kind === 'again') throw new Error('bookrun: the judge asked for another attempt while the run stops');
    return { verdict, attempts: attempt, durationMs: Date.now() - started, output: result.output };
  }
}

/** How the session's result ended, in the judge's words. */
function toAttemptEnd(
  result: CommandResult,
  context: { keyboard: { prompt: string; waitedMs: number } | null; stopping: Stopping; limit: { ms: number | null; kind: 'annotation' | 'watch-timeout' | 'step-timeout' } },
): AttemptEnd {
  switch (result.kind) {
    case 'exited':
      return { kind: 'exited', exitCode: result.exitCode };
    case 'timed-out':
      return { kind: 'timed-out', timeoutMs: context.limit.ms ?? 0, limit: context.limit.kind };
    case 'interrupted':
      if (result.reason === 'until') return { kind: 'until' };
      if (result.reason === 'expect') return { kind: 'expect' };
      if (context.keyboard && result.reason === 'interrupt') return { kind: 'keyboard', ...context.keyboard };
      if (context.stopping !== null) return { kind: 'interrupted', by: context.stopping };
      if (result.reason === 'disposed') return { kind: 'shell-exited', exitCode: result.exitCode };
      return { kind: 'interrupted', by: 'reader' };
  }
}
