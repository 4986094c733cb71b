/**
 * Output flow cannot be lied about: acknowledging output that was never sent closes the socket, and a client
 * that acknowledges without reading (its TCP receive side paused) cannot make the server queue output without
 * bound. Asserted on the server's own counters, never on time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectTerminalClient, type TerminalClient } from './connect-terminal-client.ts';
import { serveTerminal, type ServeTerminalOptions, type TerminalServer } from './serve-terminal.ts';

let work: string;
let runtimeDir: string;
let server: TerminalServer | null = null;
const clients: TerminalClient[] = [];

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'bookrun-flow-'));
  runtimeDir = mkdtempSync(path.join(tmpdir(), 'bookrun-flow-runtime-'));
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
  server = await serveTerminal({ cwd: work, book: null, rcfile: null, runtimeDir, ...extra });
  return server;
}

async function connect(s: TerminalServer, ack: boolean): Promise<TerminalClient> {
  const c = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { ack });
  clients.push(c);
  c.send({ type: 'auth', token: s.token });
  await c.next((m) => m.type === 'ready');
  c.send({ type: 'open', terminal: 1 });
  await c.next((m) => m.type === 'opened');
  return c;
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the terminal server: acknowledgements are checked and unsent output is bounded', () => {
  it('closes a socket that acknowledges more output than it was sent', async () => {
    const s = await start();
    const c = await connect(s, false);
    c.send({ type: 'input', terminal: 1, data: 'echo ack-$((20+1))\r' });
    const text = await c.waitOutput(1, /ack-21/);
    c.send({ type: 'ack', terminal: 1, bytes: text.length });
    c.send({ type: 'ack', terminal: 1, bytes: 1 << 20 });
    const closed = await c.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/acknowledged more output than was sent/);
  });

  it('closes a socket that acknowledges output of a terminal that sent it nothing', async () => {
    const s = await start();
    const c = await connect(s, false);
    c.send({ type: 'ack', terminal: 2, bytes: 1 });
    expect((await c.closed).code).toBe(1008);
  });

  it('keeps the queued output of a lying client bounded under a `yes` flood (it acknowledges, never reads)', async () => {
    const s = await start();
    const c = await connect(s, false);
    c.send({ type: 'input', terminal: 1, data: 'yes bookrun-lying-client-flood\r' });
    await c.waitOutput(1, /bookrun-lying-client-flood/);
    // From here the client reads nothing more: the server's writes pile up unless it stops reading the pty.
    (c.socket as unknown as { _socket: Socket })._socket.pause();
    const chunk = 64 * 1024;
    let acked = 0;
    // It acknowledges all it can, never more than the server says it sent (a careful liar is not closed).
    for (let i = 0; i < 400; i++) {
      const sent = s.stats().sentOutput;
      while (acked + chunk <= sent) {
        c.send({ type: 'ack', terminal: 1, bytes: chunk });
        acked += chunk;
      }
      await tick();
    }
    expect(acked).toBeGreaterThan(s.limits.highWatermark);
    // However much was acknowledged, the server holds at most its limit plus about one frame for the socket, and
    // has stopped reading the pty (`yes` blocks), so its memory stays flat.
    expect(s.stats().peakQueuedBytes).toBeLessThanOrEqual(s.limits.maxQueuedBytes + 256 * 1024);
    for (let i = 0; i < 200 && !s.terminals()[0]!.isPaused; i++) await tick();
    expect(s.terminals()[0]!.isPaused).toBe(true);
    expect(c.socket.readyState).toBe(c.socket.OPEN);
  });
});
