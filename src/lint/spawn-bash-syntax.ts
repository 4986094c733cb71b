import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Diagnostic, Step } from '../core/model.ts';

/** Runs `bash -n` on one script given on stdin; resolves to bash's stderr ('' when the syntax is fine). */
function bashNoExec(script: string): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-n'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ok: code === 0, stderr }));
    child.stdin.on('error', () => {}); // bash may exit before reading everything
    child.stdin.end(script.endsWith('\n') ? script : `${script}\n`);
  });
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
  const results = await pool(steps, limit, (step) => bashNoExec(step.command));
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
