import { availableParallelism } from 'node:os';
import { $ } from 'zx';
import type { Diagnostic, Step } from '../core/model.ts';

/** What `bash -n` said of one script: whether it parses, and its complaint. A failure is a value, never a throw. */
export interface BashSyntax {
  ok: boolean;
  stderr: string;
}

/** Runs `bash -n` on one script given on stdin (through zx, `nothrow`: a syntax error is an answer, not an error). */
export async function spawnBashCheck(script: string): Promise<BashSyntax> {
  const result = await $({ input: script.endsWith('\n') ? script : `${script}\n`, nothrow: true, quiet: true, verbose: false })`bash -n`;
  return { ok: result.exitCode === 0, stderr: result.stderr };
}

/** Runs `tasks` with at most `limit` in flight, keeping their order in the result. */
async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Checks every step's command with `bash -n`, one bash per command (a syntax error in one command must
 * not hide the others, nor may a quote left open in one swallow the next), a few in parallel.
 * Each error is reported at the chapter line bash names, as rule `shell-syntax`.
 */
export async function spawnBashSyntax(steps: Step[], options: { parallel?: number } = {}): Promise<Diagnostic[]> {
  const limit = options.parallel ?? Math.max(2, availableParallelism());
  const results = await pool(steps, limit, (step) => spawnBashCheck(step.command));
  const found: Diagnostic[] = [];
  results.forEach((result, i) => {
    if (result.ok) return;
    const step = steps[i] as Step;
    const first = result.stderr.split('\n').find((l) => l.trim() !== '') ?? 'syntax error';
    const where = /line (\d+):\s*(.*)$/.exec(first);
    const offset = where ? Number(where[1]) - 1 : 0;
    const message = (where ? where[2] : first.replace(/^bash:\s*/, '')) ?? first;
    found.push({
      line: Math.min(step.line + offset, step.endLine),
      column: 1,
      rule: 'shell-syntax',
      severity: 'error',
      message: `bash -n: ${message.trim()} (in the command at line ${step.line})`,
    });
  });
  return found;
}
