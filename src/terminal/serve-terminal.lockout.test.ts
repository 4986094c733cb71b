/**
 * No lock-out without the token. The attacks are real sockets from other source addresses on 127.0.0.0/8 (a
 * local process may pick any): unauthenticated sockets held open, bad tokens from many addresses, both at once,
 * while the reader connects and runs a step.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBook, type Book } from '../book/read-book.ts';
import type { RunStatusMessage } from '../core/terminal-protocol.ts';
import { connectTerminalClient, type TerminalClient } from './connect-terminal-client.ts';
import { serveTerminal, type ServeTerminalOptions, type TerminalServer } from './serve-terminal.ts';

const fixtureBook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'book');
let book: Book;
let work: string;
let runtimeDir: string;
let server: TerminalServer | null = null;
const clients: TerminalClient[] = [];

beforeAll(async () => {
  book = await readBook({ cwd: fixtureBook });
  work = mkdtempSync(path.join(tmpdir(), 'bookrun-lockout-'));
  runtimeDir = mkdtempSync(path.join(tmpdir(), 'bookrun-lockout-runtime-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(runtimeDir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.socket.terminate();
  await server?.close();
  server = null;
});

async function start(extra: Partial<ServeTerminalOptions> = {}): Promise<TerminalServer> {
  server = await serveTerminal({ cwd: work, book, rcfile: null, runtimeDir, ...extra });
  return server;
}

/** The `i`-th attacker address: 127.0.0.2, 127.0.0.3, … (never the reader's 127.0.0.1). */
const attacker = (i: number) => `127.0.${Math.floor(i / 250)}.${2 + (i % 250)}`;

async function open(s: TerminalServer, localAddress?: string): Promise<TerminalClient> {
  const c = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { localAddress });
  clients.push(c);
  return c;
}

/** The reader, as the site's page connects: the token in the upgrade and in the first frame. */
async function reader(s: TerminalServer, upgrade = true): Promise<TerminalClient> {
  const c = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, upgrade ? { upgradeToken: s.token } : {});
  clients.push(c);
  c.send({ type: 'auth', token: s.token });
  await c.next((m) => m.type === 'ready', 20_000);
  return c;
}

async function runsAStep(c: TerminalClient, id: string): Promise<void> {
  c.send({ type: 'run', id, chapter: 'docs/local-canary.md', step: 'L10', variant: 'gke-static' });
  const status = await c.next<RunStatusMessage>((m) => m.type === 'run-status' && m.id === id && m.status !== 'running', 20_000);
  expect(status).toMatchObject({ status: 'passed' });
}

/** A bad token from `address`; resolves with how the server closed the socket. */
async function badToken(s: TerminalServer, address: string): Promise<{ code: number; reason: string }> {
  const c = await open(s, address);
  c.send({ type: 'auth', token: 'x'.repeat(43) });
  return c.closed;
}

describe('the terminal server: no lock-out without the token', () => {
  it('lets the reader in and run while 24 unauthenticated sockets are held open', async () => {
    const s = await start({ authTimeoutMs: 60_000 });
    for (let i = 0; i < 24; i++) await open(s, attacker(i));
    // Whatever the reader's page does (token in the upgrade, or only in the first frame), it gets in at once.
    await runsAStep(await reader(s), 'held-1');
    await runsAStep(await reader(s, false), 'held-2');
  });

  it('accepts the right token at once after 20 bad tokens from 127.0.0.2–21', async () => {
    const s = await start();
    const closes = await Promise.all(Array.from({ length: 20 }, (_, i) => badToken(s, attacker(i))));
    // Each is refused; past the unauthenticated cap (16) the oldest made room for the newest (1013).
    for (const closed of closes) expect(`${closed.code} ${closed.reason}`).toMatch(/^1008 bad token: open the URL bookrun printed$|^1013 too many unauthenticated/);
    expect(closes.filter((c) => c.code === 1008).length).toBeGreaterThanOrEqual(s.limits.maxPending);
    // Any other address, and the address that failed before: a right token is never made to wait.
    await runsAStep(await reader(s, false), 'after-bad');
    const again = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { localAddress: attacker(0) });
    clients.push(again);
    again.send({ type: 'auth', token: s.token });
    await again.next((m) => m.type === 'ready');
  });

  it('lets the reader in and run while bad tokens keep coming from many addresses and sockets sit unauthenticated', async () => {
    const s = await start({ authTimeoutMs: 60_000 });
    let stop = false;
    let bad = 0;
    const flood = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        const c = await open(s, attacker(lane * 1000 + (i % 1000))).catch(() => null);
        if (c && i % 2 === 0) {
          c.send({ type: 'auth', token: `guess-${lane}-${i}` });
          bad += 1;
        }
        // the other half stays open and unauthenticated until the server drops it
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const lanes = [0, 1, 2, 3].map((lane) => flood(lane));
    try {
      for (let i = 0; bad < 40; i++) await new Promise((r) => setTimeout(r, 20));
      await runsAStep(await reader(s), 'flood-1');
      const more = bad + 40;
      while (bad < more) await new Promise((r) => setTimeout(r, 20));
      await runsAStep(await reader(s), 'flood-2');
    } finally {
      stop = true;
      await Promise.all(lanes);
    }
    // The unauthenticated sockets had their own small cap: the server never held more of them.
    expect(s.stats().peakPending).toBeLessThanOrEqual(s.limits.maxPending);
  });

  it('closes unauthenticated sockets at their deadline and never counts them against the reader', async () => {
    const s = await start({ authTimeoutMs: 300, maxConnections: 1 });
    const idle = await open(s, attacker(7));
    expect((await idle.closed).code).toBe(1008);
    // The one reader slot is the reader's even while strangers come and go.
    for (let i = 0; i < 4; i++) await open(s, attacker(10 + i));
    await runsAStep(await reader(s), 'slot');
  });
});
