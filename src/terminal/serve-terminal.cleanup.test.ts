/**
 * Cleanup reaches every process a terminal started: the seven kinds of job (plain background, disowned, nohup,
 * setsid, setsid --fork, a double fork, one that ignores SIGHUP and SIGTERM), when the page closes the terminal
 * and when the server closes. (The server's SIGTERM, ctrl+c and SIGKILL + restart: src/cli/commands/serve.cleanup.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectTerminalClient, type TerminalClient } from './connect-terminal-client.ts';
import { serveTerminal, type TerminalServer } from './serve-terminal.ts';
import { JOB_KINDS, sevenKindsOfJob, survivors, waitForSevenJobs, type SevenKindsOfJob } from './seven-kinds-of-job.ts';

let work: string;
let runtimeDir: string;
let server: TerminalServer | null = null;
let client: TerminalClient | null = null;
let jobs: SevenKindsOfJob | null = null;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'bookrun-cleanup-'));
  runtimeDir = mkdtempSync(path.join(tmpdir(), 'bookrun-cleanup-runtime-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(runtimeDir, { recursive: true, force: true });
});
afterEach(async () => {
  await client?.close();
  client = null;
  await server?.close();
  server = null;
  jobs?.kill();
  jobs = null;
});

async function terminalWithSevenJobs(): Promise<{ s: TerminalServer; c: TerminalClient; j: SevenKindsOfJob }> {
  server = await serveTerminal({ cwd: work, book: null, rcfile: null, runtimeDir });
  client = await connectTerminalClient(`ws://127.0.0.1:${server.port}/terminal`);
  client.send({ type: 'auth', token: server.token });
  await client.next((m) => m.type === 'ready');
  client.send({ type: 'open', terminal: 1 });
  await client.next((m) => m.type === 'opened');
  jobs = sevenKindsOfJob();
  client.send({ type: 'input', terminal: 1, data: jobs.line });
  await client.waitOutput(1, /jobs-7-started/);
  await waitForSevenJobs(jobs);
  expect(new Set(jobs.alive().map((p) => p.kind))).toEqual(new Set(JOB_KINDS));
  return { s: server, c: client, j: jobs };
}

describe('the terminal server ends every process a terminal started', () => {
  it('when the page closes the terminal', async () => {
    const { c, j } = await terminalWithSevenJobs();
    c.send({ type: 'close', terminal: 1 });
    await c.next((m) => m.type === 'exit' && m.terminal === 1, 20_000);
    // The exit is reported once nothing is left: no polling needed.
    expect(j.alive().map((p) => p.kind)).toEqual([]);
  });

  it('when the server closes', async () => {
    const { s, j } = await terminalWithSevenJobs();
    await s.close();
    server = null;
    expect(j.alive().map((p) => p.kind)).toEqual([]);
  });

  it('when the page is gone for longer than the grace period', async () => {
    await server?.close();
    server = await serveTerminal({ cwd: work, book: null, rcfile: null, runtimeDir, reattachGraceMs: 50 });
    client = await connectTerminalClient(`ws://127.0.0.1:${server.port}/terminal`);
    client.send({ type: 'auth', token: server.token });
    await client.next((m) => m.type === 'ready');
    client.send({ type: 'open', terminal: 1 });
    jobs = sevenKindsOfJob();
    client.send({ type: 'input', terminal: 1, data: jobs.line });
    await client.waitOutput(1, /jobs-7-started/);
    await waitForSevenJobs(jobs);
    await client.close();
    client = null;
    expect(await survivors(jobs)).toEqual([]);
  });
});
