/**
 * `bookrun connect BOOK_URL` as a reader runs it: the real CLI in a folder with no bookrun.yaml, a published book
 * on a plain static server on loopback, a real WebSocket client speaking for the book's page.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStatusMessage, StatusMessage } from '../../core/terminal-protocol.ts';
import { connectTerminalClient } from '../../terminal/connect-terminal-client.ts';
import { listSessionProcesses } from '../../terminal/list-session-processes.ts';
import { publishFixturePlans } from '../../testing/publish-fixture-plans.ts';
import { BOOKRUN_BIN, runBookrun } from '../../testing/run-bookrun.ts';
import { servePlainStatic, type PlainStaticServer } from '../../testing/serve-plain-static.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let site: string;
let reader: string;
let web: PlainStaticServer;

beforeAll(async () => {
  site = mkdtempSync(path.join(tmpdir(), 'bookrun-connect-site-'));
  // A reader's folder: no book, no bookrun.yaml anywhere up from it.
  reader = mkdtempSync(path.join(tmpdir(), 'bookrun-connect-reader-'));
  await publishFixturePlans(path.join(repo, 'src/terminal/fixtures/book'), site);
  web = await servePlainStatic(site);
});
afterAll(async () => {
  await web?.close();
  rmSync(site, { recursive: true, force: true });
  rmSync(reader, { recursive: true, force: true });
});

const env = () => ({ BOOKRUN_RUNTIME_DIR: path.join(reader, '.runtime'), HOME: reader });

describe('bookrun connect', () => {
  it('exits 2 with the reason for an unreachable book, a page that is not a bookrun book, and a missing URL', async () => {
    const gone = await servePlainStatic(site);
    await gone.close();
    const unreachable = await runBookrun(['connect', `${gone.origin}/`, '--no-open'], reader, { env: env() });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain(`bookrun connect: ${gone.origin}/: cannot reach the book (ECONNREFUSED)`);
    const missing = await runBookrun(['connect', `${web.origin}/bookrun/plans/index.json`, '--no-open'], reader, { env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no published plans');
    const none = await runBookrun(['connect'], reader, { env: env() });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: bookrun connect BOOK_URL');
    expect(unreachable.stdout + missing.stdout).toBe('');
  });

  it('prints one line with the pairing in the fragment, lets the book\'s page run a published step, and ends every shell on SIGTERM', async () => {
    const child = spawn(process.execPath, [BOOKRUN_BIN, 'connect', `${web.origin}/`, '--no-open', '--cwd', reader], { cwd: reader, env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 400 && !stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
      const lines = stdout.trimEnd().split('\n');
      expect(lines, stderr).toHaveLength(1);
      const match = /^bookrun: (http:\/\/127\.0\.0\.1:\d+\/)#port=(\d+)&token=([A-Za-z0-9_-]{43})$/.exec(lines[0]!);
      expect(match, lines[0]).not.toBeNull();
      const [, bookUrl, port, token] = match!;
      expect(bookUrl).toBe(`${web.origin}/`);
      const page = await connectTerminalClient(`ws://127.0.0.1:${port}/terminal`, { origin: web.origin, upgradeToken: token });
      page.send({ type: 'auth', token: token! });
      await page.next((m) => m.type === 'ready');
      page.send({ type: 'run', id: 'r', chapter: 'docs/local-canary.md', step: 'L10', variant: 'gke-static' });
      expect(await page.next<RunStatusMessage>((m) => m.type === 'run-status' && m.status !== 'running', 30_000)).toMatchObject({ status: 'passed' });
      const status = page.next<StatusMessage>((m) => m.type === 'status');
      page.send({ type: 'input', terminal: 1, data: 'echo "shell=$$"\r' });
      const sid = Number((await page.waitOutput(1, /shell=\d+/)).match(/shell=(\d+)/)![1]);
      page.send({ type: 'status' });
      expect((await status).terminals.map((t) => t.terminal)).toEqual([1]);
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      expect(listSessionProcesses(sid)).toEqual([]);
      await page.closed;
    } finally {
      child.kill('SIGKILL');
    }
  });
});
