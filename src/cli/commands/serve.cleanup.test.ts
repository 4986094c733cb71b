/**
 * `bookrun serve` as a real process, stopped the three ways a reader stops it: SIGTERM, ctrl+c (SIGINT to its
 * process group, as the terminal sends it) and SIGKILL (then a new server ends what the dead one left). Each
 * time a terminal holds the seven kinds of job (src/terminal/seven-kinds-of-job.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectTerminalClient, type TerminalClient } from '../../terminal/connect-terminal-client.ts';
import { JOB_KINDS, sevenKindsOfJob, survivors, waitForSevenJobs, type SevenKindsOfJob } from '../../terminal/seven-kinds-of-job.ts';
import { copyFixture } from '../../testing/copy-fixture.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(repo, 'bin', 'bookrun.mjs');
let bookDir: string;
let home: string;
let temp: string;
let work: string;
const servers: ChildProcess[] = [];
const allJobs: SevenKindsOfJob[] = [];
const clients: TerminalClient[] = [];

beforeAll(() => {
  bookDir = mkdtempSync(path.join(tmpdir(), 'bookrun-serve-cleanup-book-'));
  copyFixture(path.join(repo, 'src/terminal/fixtures/book'), bookDir);
  mkdirSync(path.join(bookDir, 'build'), { recursive: true });
  writeFileSync(path.join(bookDir, 'build', 'index.html'), '<!doctype html><title>Terminal Fixture Book</title>');
});
afterAll(() => rmSync(bookDir, { recursive: true, force: true }));

afterEach(() => {
  for (const c of clients.splice(0)) c.socket.terminate();
  for (const s of servers.splice(0)) if (s.exitCode === null && s.signalCode === null) s.kill('SIGKILL');
  for (const j of allJobs.splice(0)) j.kill();
  for (const dir of [home, temp, work]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function freshFolders(): void {
  home = mkdtempSync(path.join(tmpdir(), 'bookrun-serve-cleanup-home-'));
  temp = mkdtempSync(path.join(tmpdir(), 'bookrun-serve-cleanup-tmp-'));
  work = mkdtempSync(path.join(tmpdir(), 'bookrun-serve-cleanup-cwd-'));
}

interface Served {
  child: ChildProcess;
  port: number;
  token: string;
  exit: Promise<number | null>;
}

/** Starts `bookrun serve` in a process group of its own (so ctrl+c can be sent as a terminal sends it). */
async function serve(): Promise<Served> {
  const env: Record<string, string | undefined> = { ...process.env, HOME: home, TMPDIR: temp, XDG_DATA_HOME: undefined, XDG_RUNTIME_DIR: undefined, BOOKRUN_RUNTIME_DIR: undefined };
  const child = spawn(process.execPath, [bin, 'serve', '--no-open', '--cwd', work], { cwd: bookDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  servers.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 600 && !/bookrun: http/.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
  const match = out.match(/^bookrun: http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43})$/m);
  if (!match) throw new Error(`bookrun serve did not start: ${out}`);
  return { child, port: Number(match[1]), token: match[2]!, exit };
}

/** Opens terminal 1 of `served` and starts the seven kinds of job in it. */
async function startJobs(served: Served): Promise<SevenKindsOfJob> {
  const c = await connectTerminalClient(`ws://127.0.0.1:${served.port}/terminal`);
  clients.push(c);
  c.send({ type: 'auth', token: served.token });
  await c.next((m) => m.type === 'ready');
  c.send({ type: 'open', terminal: 1 });
  const jobs = sevenKindsOfJob();
  allJobs.push(jobs);
  c.send({ type: 'input', terminal: 1, data: jobs.line });
  await c.waitOutput(1, /jobs-7-started/, 20_000);
  await waitForSevenJobs(jobs);
  return jobs;
}

const rcFiles = () => readdirSync(temp).filter((f) => /^bookrun-.*rc-.*\.sh$/.test(f));

describe('bookrun serve ends every process its terminals started', () => {
  it('on SIGTERM', async () => {
    freshFolders();
    const served = await serve();
    const jobs = await startJobs(served);
    served.child.kill('SIGTERM');
    expect(await served.exit).toBe(0);
    expect(jobs.alive().map((p) => p.kind)).toEqual([]);
    expect(rcFiles()).toEqual([]);
  });

  it('on ctrl+c (SIGINT to its process group)', async () => {
    freshFolders();
    const served = await serve();
    const jobs = await startJobs(served);
    process.kill(-served.child.pid!, 'SIGINT');
    expect(await served.exit).toBe(0);
    expect(jobs.alive().map((p) => p.kind)).toEqual([]);
    expect(rcFiles()).toEqual([]);
  });

  it('after SIGKILL: the next server ends what the dead one left and removes its rc files', async () => {
    freshFolders();
    const dead = await serve();
    const jobs = await startJobs(dead);
    dead.child.kill('SIGKILL');
    await dead.exit;
    // The kernel's hangup ends some of them; the ones that left the session or ignore it stay.
    const left = await survivors(jobs, 10);
    expect(left.length).toBeGreaterThan(0);
    expect(rcFiles().length).toBeGreaterThan(0);

    const next = await serve();
    // Once it prints its URL, nothing of the dead server is left.
    expect(jobs.alive().map((p) => p.kind)).toEqual([]);
    expect(rcFiles().filter((f) => f.includes(`-${dead.child.pid}-`))).toEqual([]);
    next.child.kill('SIGTERM');
    expect(await next.exit).toBe(0);
    expect(rcFiles()).toEqual([]);
  });

  it('never ends what belongs to a server that is still running', async () => {
    freshFolders();
    const live = await serve();
    const liveJobs = await startJobs(live);
    const dead = await serve();
    const deadJobs = await startJobs(dead);
    dead.child.kill('SIGKILL');
    await dead.exit;
    const next = await serve();
    expect(deadJobs.alive().map((p) => p.kind)).toEqual([]);
    expect(new Set(liveJobs.alive().map((p) => p.kind))).toEqual(new Set(JOB_KINDS));
    next.child.kill('SIGTERM');
    live.child.kill('SIGTERM');
    expect(await next.exit).toBe(0);
    expect(await live.exit).toBe(0);
    expect(liveJobs.alive()).toEqual([]);
  });
});
