import path from 'node:path';
import { resolveVariant } from '../core/book-config.ts';
import { DEFAULT_WAIT_POLICY, type WaitPolicy } from '../core/check-attempt.ts';
import { planChapter } from '../core/plan-chapter.ts';
import { planTerminalRun } from '../core/plan-terminal-run.ts';
import type { RunMessage, RunStatusMessage } from '../core/terminal-protocol.ts';
import { toMasked } from '../core/to-masked.ts';
import { InputError } from '../core/input-error.ts';
import type { Book } from '../book/read-book.ts';
import { readBookChapter } from '../book/read-book-chapter.ts';
import { executeStep, type Stopping } from '../run/execute-step.ts';
import type { Terminal } from './terminal.ts';

export interface RunTerminalStepOptions {
  book: Book | null;
  request: RunMessage;
  /** Opens (or finds) the page's terminal N; a string is why it cannot. */
  terminal: (n: number) => Terminal | string;
  report: (status: RunStatusMessage) => void;
  refuse: (message: string, step?: string) => void;
  /** Retries and eventual checks (default: `bookrun run`'s own, so the page waits exactly as the CLI does). */
  policy?: WaitPolicy;
  /** Secret values (the server's environment variables the book's `ci.secrets` names): `***` in check results. */
  secrets?: readonly string[];
}

/**
 * Runs one step of a chapter in the page's terminal, by id: plans the chapter itself (readChapter +
 * planChapter), fills the placeholders from the page's values, and runs it with the one step executor of
 * `bookrun run` ({@link executeStep}), so the judge is the same: `# Repeat if` steps are typed again, `# Wait
 * until` steps wait for their output, a watch ends at its `until` or its expected output, and each further
 * attempt is reported (`running` with `attempt`). Code text from a page is never run. The reader's ctrl+c
 * (a `signal`) stops the step, also between two attempts.
 */
export async function runTerminalStep(options: RunTerminalStepOptions): Promise<void> {
  const { book, request, report, refuse } = options;
  if (!book) return refuse('this terminal server has no book: start it from the book folder (bookrun serve)');
  const key = request.chapter.replace(/^\.?\//, '');
  if (!book.config.chapters.includes(key)) {
    return refuse(`unknown chapter ${JSON.stringify(request.chapter)}: the book's chapters are ${book.config.chapters.join(', ')}`);
  }
  const variant = resolveVariant(book.config, request.variant);
  if (!variant.ok) return refuse(variant.message);
  let plan;
  try {
    const { chapter } = await readBookChapter(book, path.resolve(book.root, key), key);
    plan = planChapter(chapter, variant.variant, book.config);
  } catch (error) {
    if (error instanceof InputError) return refuse(error.message);
    return refuse(`${key}: cannot plan the chapter: ${(error as Error).message}`);
  }
  const resolved = planTerminalRun(plan, request);
  if (resolved.kind === 'refused') return refuse(resolved.message, request.step);
  const step = resolved.step;
  const terminal = options.terminal(resolved.terminal);
  if (typeof terminal === 'string') return refuse(terminal, request.step);
  if (terminal.running) {
    return refuse(`terminal ${terminal.number} is still running ${terminal.running}: wait for it or stop it (ctrl+c)`, request.step);
  }
  const secrets = options.secrets ?? [];
  const send = (status: RunStatusMessage) => report(toMasked(status, secrets));
  terminal.running = step.id;
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
    send({
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
    });
  } finally {
    terminal.running = null;
    terminal.stopRun = null;
  }
}
