import { DEFAULT_WAIT_POLICY, type WaitPolicy } from '../core/check-attempt.ts';
import { planTerminalRun } from '../core/plan-terminal-run.ts';
import type { RunMessage, RunStatusMessage } from '../core/terminal-protocol.ts';
import { toMasked } from '../core/to-masked.ts';
import { executeStep, type Stopping } from '../run/execute-step.ts';
import type { StepSource } from './step-source.ts';
import type { Terminal } from './terminal.ts';

export interface RunTerminalStepOptions {
  /** Where the step's command comes from: the book here, or a published book's plans. */
  steps: StepSource;
  request: RunMessage;
  /** Opens (or finds) the page's terminal N; a string is why it cannot. */
  terminal: (n: number) => Terminal | string;
  report: (status: RunStatusMessage) => void;
  refuse: (message: string, step?: string) => void;
  /** Retries and eventual checks (default: `bookrun run`'s own, so the page waits exactly as the CLI does). */
  policy?: WaitPolicy;
}

/**
 * Runs one step of a chapter in the page's terminal, by id: takes the chapter's plan from `steps` (the book
 * here, or a published book's plans; never the page), fills the placeholders from the page's values, and runs it with the one step executor of
 * `bookrun run` ({@link executeStep}), so the judge is the same: `# Repeat if` steps are typed again, `# Wait
 * until` steps wait for their output, a watch ends at its `until` or its expected output, and each further
 * attempt is reported (`running` with `attempt`). Code text from a page is never run. The reader's ctrl+c
 * (a `signal`) stops the step, also between two attempts.
 */
export async function runTerminalStep(options: RunTerminalStepOptions): Promise<void> {
  const { request, report, refuse } = options;
  const planned = await options.steps.plan(request.chapter, request.variant);
  if (planned.kind === 'refused') return refuse(planned.message);
  const resolved = planTerminalRun(planned.plan, request);
  if (resolved.kind === 'refused') return refuse(resolved.message, request.step);
  const step = resolved.step;
  const terminal = options.terminal(resolved.terminal);
  if (typeof terminal === 'string') return refuse(terminal, request.step);
  // Never typed into a busy shell (after a command the reader started, or their half-typed line): the page asks.
  // A shell still starting, or drawing its prompt (a slow PROMPT_COMMAND holds the foreground), is waited for.
  await terminal.shell.ready;
  let busy = terminal.busy();
  for (const deadline = Date.now() + 1500; busy && !terminal.running && Date.now() < deadline; busy = terminal.busy()) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (busy) {
    return report({ type: 'run-status', id: request.id, step: request.step, terminal: terminal.number, status: 'error', busy: true, message: `Terminal ${terminal.number} is busy: ${busy}. Wait for it, or stop it (ctrl+c) and Run again.` });
  }
  const secrets = options.steps.secrets();
  const send = (status: RunStatusMessage) => report(toMasked(status, secrets));
  terminal.running = step.id;
  terminal.request = request.id;
  let stopping: Stopping = null;
  let release: (() => void) | null = null;
  // The reader's ctrl+c between two attempts ends the wait too (during one, it interrupts the command).
  terminal.stopRun = () => {
    stopping = 'reader';
    release?.();
  };
  send({ type: 'run-status', id: request.id, step: step.id, terminal: terminal.number, status: 'running' });
  try {
    // The session cuts the echo of the typed command itself, so `until` and the check see only its output.
    const outcome = await executeStep({
      session: terminal.shell,
      step,
      command: resolved.command,
      // A reader stops a watch (or its output ends it); only a `timeout=` annotation limits a step here.
      watchTimeoutMs: null,
      stepTimeoutMs: null,
      policy: options.policy ?? DEFAULT_WAIT_POLICY,
      // A reader is at the keyboard: a prompt waits for them.
      keyboardWaitMs: 0,
      stopping: () => stopping,
      wait: (ms) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            release = null;
            resolve();
          }
          release = done;
        }),
      onAttempt: (next) => send({ type: 'run-status', id: request.id, step: step.id, terminal: terminal.number, status: 'running', ...next }),
    });
    const { verdict } = outcome;
    const final: RunStatusMessage = {
      type: 'run-status',
      id: request.id,
      step: step.id,
      terminal: terminal.number,
      status: verdict.status,
      exitCode: verdict.exitCode,
      expect: verdict.expect,
      durationMs: outcome.durationMs,
      attempts: outcome.attempts,
      reason: verdict.reason,
      ended: verdict.ended,
    };
    terminal.lastRun = toMasked(final, secrets);
    send(final);
  } finally {
    terminal.running = null;
    terminal.request = null;
    terminal.stopRun = null;
  }
}
