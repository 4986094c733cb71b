import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectTerminalClient } from './connect-terminal-client.ts';
import { listChildProcesses, listSessionProcesses } from './list-session-processes.ts';
import { serveTerminal, type TerminalServer } from './serve-terminal.ts';

let server: TerminalServer | null = null;
const runtimeDir = mkdtempSync(path.join(tmpdir(), 'bookrun-security-runtime-'));
afterAll(() => rmSync(runtimeDir, { recursive: true, force: true }));

afterEach(async () => {
  await server?.close();
  server = null;
});

/** Shells are children of this process: none may exist after a refused connection. */
function shellChildren(): number {
  return listChildProcesses(process.pid).filter((p) => p.comm === 'bash').length;
}

async function start(extra: Partial<Parameters<typeof serveTerminal>[0]> = {}): Promise<TerminalServer> {
  server = await serveTerminal({ cwd: process.cwd(), book: null, rcfile: null, authTimeoutMs: 500, runtimeDir, ...extra });
  return server;
}

function httpGet(port: number, host: string, path = '/'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the terminal server refuses pages that are not the reader', () => {
  it('listens on loopback addresses only', async () => {
    const s = await start();
    expect(s.addresses.length).toBeGreaterThan(0);
    for (const a of s.addresses) expect(['127.0.0.1', '::1']).toContain(a.address);
    expect(s.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/#token=[A-Za-z0-9_-]{43}$`));
  });

  it('refuses to start on a non-loopback host', async () => {
    await expect(serveTerminal({ cwd: process.cwd(), book: null, host: '0.0.0.0', runtimeDir })).rejects.toThrow(/loopback/);
  });

  it('answers 403 to an upgrade from a foreign Origin and starts no shell', async () => {
    const s = await start();
    const before = shellChildren();
    await expect(connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { origin: 'https://evil.example' })).rejects.toThrow('403');
    await expect(connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { origin: `http://127.0.0.1:${s.port + 1}` })).rejects.toThrow('403');
    await expect(connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { origin: 'null' })).rejects.toThrow('403');
    expect(shellChildren()).toBe(before);
    expect(s.terminals()).toHaveLength(0);
  });

  it('accepts an explicitly allowed dev origin', async () => {
    const s = await start({ allowedOrigins: ['http://localhost:3000'] });
    const client = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { origin: 'http://localhost:3000' });
    client.send({ type: 'auth', token: s.token });
    await client.next((m) => m.type === 'ready');
    await client.close();
  });

  it('answers 403 to any request with a foreign Host (DNS rebinding), upgrade or not', async () => {
    const s = await start();
    const before = shellChildren();
    expect(await httpGet(s.port, `evil.example:${s.port}`)).toBe(403);
    expect(await httpGet(s.port, `127.0.0.1:${s.port + 1}`)).toBe(403);
    expect(await httpGet(s.port, `127.0.0.1:${s.port}`)).toBe(404); // no static dir: allowed Host, nothing to serve
    await expect(
      connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { host: `evil.example:${s.port}`, origin: `http://evil.example:${s.port}` }),
    ).rejects.toThrow('403');
    // The right Origin does not make up for a foreign Host.
    await expect(
      connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { host: `rebind.example:${s.port}`, origin: `http://127.0.0.1:${s.port}` }),
    ).rejects.toThrow('403');
    expect(shellChildren()).toBe(before);
  });

  it('closes with 1008 a socket that never authenticates, without a shell', async () => {
    const s = await start();
    const before = shellChildren();
    const client = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`);
    const { code } = await client.closed;
    expect(code).toBe(1008);
    expect(shellChildren()).toBe(before);
    expect(s.terminals()).toHaveLength(0);
  });

  it('closes with 1008 a socket whose first message is not auth, even an open', async () => {
    const s = await start();
    const before = shellChildren();
    const client = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`);
    client.send({ type: 'open', terminal: 1 });
    client.send({ type: 'auth', token: s.token });
    client.send({ type: 'open', terminal: 1 });
    client.send({ type: 'input', terminal: 1, data: 'touch /tmp/bookrun-should-not-exist\r' });
    expect((await client.closed).code).toBe(1008);
    expect(client.messages).toEqual([]);
    expect(shellChildren()).toBe(before);
    expect(s.terminals()).toHaveLength(0);
  });

  it('closes with 1008 a wrong token, reads nothing after it, and makes only that socket wait', async () => {
    const s = await start({ authLimits: { badTokenDelayMs: 60_000 } });
    const before = shellChildren();
    const bad = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`);
    bad.send({ type: 'auth', token: 'x'.repeat(43) });
    bad.send({ type: 'auth', token: s.token });
    bad.send({ type: 'open', terminal: 1 });
    // The failing socket waits out its delay; meanwhile the right token, from the same address, is not made to.
    const next = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`);
    next.send({ type: 'auth', token: s.token });
    await next.next((m) => m.type === 'ready');
    expect(bad.messages).toEqual([]);
    expect(s.terminals()).toHaveLength(0);
    await next.close();
    expect(shellChildren()).toBe(before);
  });

  it('closes a socket whose upgrade offers a wrong token, after its own delay', async () => {
    const s = await start({ authLimits: { badTokenDelayMs: 50 } });
    await expect(connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { upgradeToken: 'y'.repeat(43) })).rejects.toThrow('403');
    const ok = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`, { upgradeToken: s.token });
    ok.send({ type: 'auth', token: s.token });
    await ok.next((m) => m.type === 'ready');
    expect(ok.socket.protocol).toBe('bookrun');
    await ok.close();
  });

  it('refuses a bad token with 1008 once its delay is over', async () => {
    const s = await start({ authLimits: { badTokenDelayMs: 50 } });
    const bad = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`);
    bad.send({ type: 'auth', token: 'x'.repeat(43) });
    const closed = await bad.closed;
    expect(closed).toEqual({ code: 1008, reason: 'bad token: open the URL bookrun printed' });
  });

  it('caps terminals per page and across the server', async () => {
    const s = await start({ maxTerminals: 2 });
    const client = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`);
    client.send({ type: 'auth', token: s.token });
    await client.next((m) => m.type === 'ready');
    client.send({ type: 'open', terminal: 5 });
    await client.next((m) => m.type === 'error' && m.message.includes('"terminal" must be an integer from 1 to 4'));
    client.send({ type: 'open', terminal: 1 });
    client.send({ type: 'open', terminal: 2 });
    client.send({ type: 'open', terminal: 3 });
    await client.next((m) => m.type === 'error' && m.message.includes('too many terminals'));
    expect(s.terminals()).toHaveLength(2);
    await client.close();
  });

  it('leaves no process of a closed terminal\'s session behind: jobs, nohup, ignored SIGHUP', async () => {
    const s = await start();
    const client = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`);
    client.send({ type: 'auth', token: s.token });
    await client.next((m) => m.type === 'ready');
    client.send({ type: 'open', terminal: 1 });
    await client.next((m) => m.type === 'opened');
    const sid = s.terminals()[0].shell.pid;
    client.send({
      type: 'input',
      terminal: 1,
      data: "sleep 1001 & nohup sleep 1002 >/dev/null 2>&1 & (trap '' HUP TERM; sleep 1003) & echo started-$$\r",
    });
    await client.waitOutput(1, /started-\d+/);
    expect(listSessionProcesses(sid).length).toBeGreaterThanOrEqual(4);
    client.send({ type: 'close', terminal: 1 });
    await client.next((m) => m.type === 'exit' && m.terminal === 1);
    expect(listSessionProcesses(sid)).toEqual([]);
    await client.close();
  });

  it('ends every shell when the server closes', async () => {
    const s = await start();
    const client = await connectTerminalClient(`ws://127.0.0.1:${s.port}/terminal`);
    client.send({ type: 'auth', token: s.token });
    await client.next((m) => m.type === 'ready');
    client.send({ type: 'open', terminal: 1 });
    client.send({ type: 'open', terminal: 2 });
    await client.next((m) => m.type === 'opened' && m.terminal === 2);
    const sids = s.terminals().map((t) => t.shell.pid);
    client.send({ type: 'input', terminal: 2, data: 'sleep 1004 &\r' });
    await s.close();
    server = null;
    for (const sid of sids) expect(listSessionProcesses(sid)).toEqual([]);
    expect((await client.closed).code).toBe(1001);
  });
});
