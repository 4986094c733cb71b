import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkUpgrade, httpGate, offeredToken, type UpgradeRules } from './http-gate.ts';

const TOKEN = 'T'.repeat(43);
const rules: UpgradeRules = { port: 4000, allowedOrigins: ['http://localhost:3000'], token: TOKEN, closing: false, badTokenDelayMs: 1000 };
const upgrade = (headers: Record<string, string>, url = '/terminal') => ({ url, headers: { host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000', ...headers } });

describe('checkUpgrade', () => {
  it('refuses a foreign Host, another path, a foreign or missing Origin, and a stopping server', () => {
    expect(checkUpgrade(upgrade({ host: 'evil.example:4000' }), rules)).toMatchObject({ kind: 'refuse', status: 403 });
    expect(checkUpgrade(upgrade({}, '/other'), rules)).toMatchObject({ kind: 'refuse', status: 404 });
    expect(checkUpgrade(upgrade({ origin: 'https://evil.example' }), rules)).toMatchObject({ kind: 'refuse', status: 403 });
    expect(checkUpgrade({ url: '/terminal', headers: { host: '127.0.0.1:4000' } }, rules)).toMatchObject({ kind: 'refuse', status: 403 });
    expect(checkUpgrade(upgrade({}), { ...rules, closing: true })).toMatchObject({ kind: 'refuse', status: 503 });
  });

  it('accepts the own and the allowed origins, vouched only with the right token in the upgrade', () => {
    expect(checkUpgrade(upgrade({}), rules)).toEqual({ kind: 'accept', vouched: false });
    expect(checkUpgrade(upgrade({ origin: 'http://localhost:3000' }), rules)).toEqual({ kind: 'accept', vouched: false });
    expect(checkUpgrade(upgrade({ 'sec-websocket-protocol': `bookrun, bookrun.token.${TOKEN}` }), rules)).toEqual({ kind: 'accept', vouched: true });
  });

  it('refuses a wrong token in the upgrade after that socket\'s own delay', () => {
    expect(checkUpgrade(upgrade({ 'sec-websocket-protocol': 'bookrun, bookrun.token.guess' }), rules)).toEqual({ kind: 'refuse', status: 403, text: 'Forbidden', delayMs: 1000 });
  });

  it('finds the token among the offered subprotocols', () => {
    expect(offeredToken({ 'sec-websocket-protocol': 'bookrun,bookrun.token.abc' })).toBe('abc');
    expect(offeredToken({ 'sec-websocket-protocol': 'bookrun' })).toBeNull();
    expect(offeredToken({})).toBeNull();
  });
});

describe('httpGate', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function start(): Promise<number> {
    let port = 0;
    const gate = httpGate({ rules: () => ({ ...rules, port }), accept: (_req, socket) => socket.destroy() });
    server = createServer(gate.request);
    server.on('upgrade', gate.upgrade);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    return port;
  }

  function get(port: number, headers: Record<string, string>): Promise<{ status: number; frame: string | null }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/terminal', headers }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, frame: res.headers['x-frame-options'] as string | null });
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('answers 403 to a foreign Host and 404 without a built site, with the security headers', async () => {
    const port = await start();
    expect(await get(port, { Host: `evil.example:${port}` })).toEqual({ status: 403, frame: 'DENY' });
    expect(await get(port, { Host: `127.0.0.1:${port}` })).toEqual({ status: 404, frame: 'DENY' });
  });

  it('answers a refused upgrade with its HTTP status', async () => {
    const port = await start();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/terminal', headers: { Host: `127.0.0.1:${port}`, Origin: 'https://evil.example', Connection: 'Upgrade', Upgrade: 'websocket' } });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
