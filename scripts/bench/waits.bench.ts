/**
 * Time a run wastes waiting: how long after a watch's expected output appeared the watch step ended, and how
 * long after an eventual step's condition became true the step passed. Measured on real bash in real ptys
 * through `runChapter` (the executor and judge `bookrun run` uses); the moment the output appears is written by
 * bash itself (`date +%s%3N`), the moment the step ended is the runner's `step-finished` event. Baseline, in the
 * same run: the runner as it was (a watch ends only at --watch-timeout; eventual checks every 2 s).
 * Goal (issue 12): ≤ 0.5 s per such step.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readBook, readChapter } from '../../src/book/read-book.ts';
import { resolveVariant } from '../../src/core/book-config.ts';
import { planChapter } from '../../src/core/plan-chapter.ts';
import { runChapter } from '../../src/run/run-chapter.ts';

const ROUNDS = 6;

/** One section per round: the output shows (or the condition holds) after a delay that differs each round. */
function chapter(kind: 'watch' | 'eventual', withExpect: boolean): string {
  const parts = ['# Waiting', ''];
  for (let i = 0; i < ROUNDS; i++) {
    const delay = (0.6 + (i * 0.37) % 1.1).toFixed(2);
    parts.push(`## Round ${i}`, '');
    if (kind === 'watch') {
      parts.push('```bash', `: >log${i}; (sleep ${delay}; date +%s%3N >ready${i}; echo "release ${i} is ready" >>log${i}) >/dev/null 2>&1 &`, '', `tail -f log${i}`, '', '# Press *ctrl+c* when the release is ready', '```', '');
      if (withExpect) parts.push('```', `release ${i} is ready`, '```', '');
    } else {
      parts.push('```bash', `rm -f status${i}; (sleep ${delay}; echo "status: ready" >status${i}; date +%s%3N >ready${i}) >/dev/null 2>&1 &`, '```', '');
      parts.push('```bash', '# Wait until the status is `ready`', `cat status${i} 2>/dev/null || echo "status: pending"`, '```', '', 'The output is as follows.', '', '```', 'status: ready', '```', '');
    }
  }
  return parts.join('\n');
}

async function wasted(kind: 'watch' | 'eventual', options: { withExpect: boolean; eventualIntervalMs?: number; watchTimeoutMs?: number }): Promise<number[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-bench-waits-'));
  try {
    writeFileSync(path.join(dir, 'bookrun.yaml'), 'title: Bench\nchapters: [waits.md]\nvariants:\n  dimensions:\n    cloud: [local]\n');
    writeFileSync(path.join(dir, 'waits.md'), chapter(kind, options.withExpect));
    const book = await readBook({ config: path.join(dir, 'bookrun.yaml') });
    const parsed = await readChapter(book, path.join(dir, 'waits.md'), 'waits.md');
    const variant = resolveVariant(book.config, 'local');
    if (!variant.ok) throw new Error(variant.message);
    const plan = planChapter(parsed, variant.variant, book.config);
    const waiting = plan.steps.filter((s) => (kind === 'watch' ? s.watch : s.eventually));
    const finished = new Map<number, number>();
    const report = await runChapter({
      plan,
      chapter: { title: 'Waiting', file: 'waits.md', sha256: 'bench' },
      cwd: dir,
      env: { ...process.env, HOME: dir },
      values: {},
      watchTimeoutMs: options.watchTimeoutMs ?? 60_000,
      stepTimeoutMs: 60_000,
      waitTimeoutMs: 60_000,
      eventualIntervalMs: options.eventualIntervalMs,
      onEvent: (e) => {
        if (e.kind === 'step-finished') finished.set(e.step.line, Date.now());
      },
    });
    if (report.status !== 'passed') throw new Error(`the bench chapter failed: ${report.steps.filter((s) => s.status !== 'passed').map((s) => `${s.line} ${s.reason}`).join('; ')}`);
    return waiting.map((step, i) => finished.get(step.line)! - Number(readFileSync(path.join(dir, `ready${i}`), 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const show = (xs: number[]) => `mean ${(mean(xs) / 1000).toFixed(3)} s, max ${(Math.max(...xs) / 1000).toFixed(3)} s over ${xs.length} steps`;

export default async function bench(): Promise<void> {
  const watch = await wasted('watch', { withExpect: true });
  const watchBefore = await wasted('watch', { withExpect: false, watchTimeoutMs: 3000 });
  const eventual = await wasted('eventual', { withExpect: true });
  const eventualBefore = await wasted('eventual', { withExpect: true, eventualIntervalMs: 2000 });
  const ok = (xs: number[]) => (Math.max(...xs) <= 500 ? 'OK' : 'MISSED');
  console.log(`watch ended after its expected output appeared: ${show(watch)} (goal ≤ 0.5 s per step) ${ok(watch)}`);
  console.log(`  baseline, a watch that ends only at --watch-timeout 3s: ${show(watchBefore)} → ${(mean(watchBefore) / Math.max(mean(watch), 1)).toFixed(0)}× less waiting`);
  console.log(`eventual step passed after its condition became true: ${show(eventual)} (goal ≤ 0.5 s per step) ${ok(eventual)}`);
  console.log(`  baseline, checks every 2 s (the old interval): ${show(eventualBefore)} → ${(mean(eventualBefore) / Math.max(mean(eventual), 1)).toFixed(1)}× less waiting`);
}
