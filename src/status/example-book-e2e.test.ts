import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookStatus } from '../core/status-model.ts';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/bookrun.mjs');

function bookrun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function listen(port: number): Promise<(() => Promise<void>) | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(() => new Promise((done) => server.close(() => done()))));
  });
}

/** A port whose next two ports are free too (the chapter's router and its two releases). */
async function freePorts(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const held = await Promise.all([base, base + 1, base + 2].map(listen));
    await Promise.all(held.map((close) => close?.()));
    if (held.every(Boolean)) return base;
  }
  throw new Error('no three free ports in a row');
}

describe('the example book: bookrun run twice, then bookrun status', () => {
  it('shows the runnable chapter\'s code reviews for the two variants that ran as passed, the others as not run', async () => {
    const artifacts = mkdtempSync(path.join(tmpdir(), 'bookrun-example-reports-'));
    for (const variant of ['gke-static', 'existing-serverless']) {
      const work = mkdtempSync(path.join(tmpdir(), `bookrun-example-${variant}-`));
      const port = await freePorts();
      // --no-save-report and a temporary --report: the shared tree's .bookrun/reports stays untouched.
      const run = await bookrun(
        'run', 'docs/local-canary.md', '--variant', variant, '--cwd', work, '--set', `PORT=${port}`, '--set', 'VERSION=v2',
        '--no-save-report', '--report', path.join(artifacts, variant, 'report.json'), '--junit', path.join(artifacts, variant, 'junit.xml'),
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
    }
    const { code, stdout } = await bookrun('status', '--json', '--reports', artifacts);
    expect(code).toBe(0);
    const status = JSON.parse(stdout) as BookStatus;
    const canary = status.chapters.find((c) => c.file === 'docs/local-canary.md')!;
    const reviews = canary.items.filter((i) => i.kind === 'code-review');
    expect(reviews.length).toBe(status.variants.length);
    for (const item of reviews) {
      const variant = item.variants![0].variant;
      const expected = variant === 'gke-static' || variant === 'existing-serverless' ? 'passed' : 'not-run';
      expect([variant, item.state]).toEqual([variant, expected]);
    }
    for (const chapter of status.chapters.filter((c) => c.file !== 'docs/local-canary.md')) {
      for (const item of chapter.items.filter((i) => i.kind === 'code-review')) expect(item.state).toBe('not-run');
    }
  }, 180_000);
});
