import path from 'node:path';
import { resolveVariant } from '../core/book-config.ts';
import { checkOutput } from '../core/check-output.ts';
import type { Expect } from '../core/model.ts';
import { planChapter } from '../core/plan-chapter.ts';
import { planTerminalRun } from '../core/plan-terminal-run.ts';
import type { RunExpectResult, RunMessage, RunStatusMessage } from '../core/terminal-protocol.ts';
import { InputError } from '../core/input-error.ts';
import type { Book } from '../book/read-book.ts';
import { readBookChapter } from '../book/read-book-chapter.ts';
import type { Terminal } from './terminal.ts';

/** Compares a step's expected output with what it printed (the runner's `checkOutput`). */
export type OutputChecker = (expect: Expect, actual: string) => RunExpectResult;

export interface RunTerminalStepOptions {
  book: Book | null;
  request: RunMessage;
  /** Opens (or finds) the page's terminal N; a string is why it cannot. */
  terminal: (n: number) => Terminal | string;
  report: (status: RunStatusMessage) => void;
  refuse: (message: string, step?: string) => void;
  /** The expected-output check; default the runner's {@link checkOutput}. */
  check?: OutputChecker;
}

/**
 * Runs one step of a chapter in the page's terminal, by id: plans the chapter itself (readChapter +
 * planChapter), fills the placeholders from the page's values, types the command as a reader would, then
 * reports passed / failed / interrupted with the expected-output check. Code text from a page is never run.
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
  const checker = options.check ?? checkOutput;
  const terminal = options.terminal(resolved.terminal);
  if (typeof terminal === 'string') return refuse(terminal, request.step);
  if (terminal.running) {
    return refuse(`terminal ${terminal.number} is still running ${terminal.running}: wait for it or stop it (ctrl+c)`, request.step);
  }
  terminal.running = step.id;
  report({ type: 'run-status', id: request.id, step: step.id, terminal: terminal.number, status: 'running' });
  try {
    // The session cuts the echo of the typed command itself, so `until` and the check see only its output.
    const result = await terminal.shell.run(resolved.command, {
      timeoutMs: resolved.timeoutMs ?? undefined,
      until: resolved.until === null ? undefined : new RegExp(resolved.until),
    });
    const expect = step.expect ? checker(step.expect, result.output) : null;
    let status: 'passed' | 'failed' | 'interrupted';
    if (result.kind === 'exited') {
      status = result.exitCode === resolved.expectedExitCode && (expect === null || expect.matched) ? 'passed' : 'failed';
    } else if (result.kind === 'interrupted' && result.reason === 'until') {
      // A watch that saw what it waited for did what the book says.
      status = expect === null || expect.matched ? 'passed' : 'failed';
    } else if (result.kind === 'timed-out') {
      status = 'failed';
    } else {
      status = 'interrupted';
    }
    report({
      type: 'run-status',
      id: request.id,
      step: step.id,
      terminal: terminal.number,
      status,
      exitCode: result.exitCode,
      expect,
      durationMs: result.durationMs,
    });
  } finally {
    terminal.running = null;
  }
}
