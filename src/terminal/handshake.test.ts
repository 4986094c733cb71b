import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { AuthMessage } from '../core/terminal-protocol.ts';
import { Handshake, type HandshakeLimits } from './handshake.ts';

const TOKEN = 'T'.repeat(43);
let http: Server | null = null;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  http = null;
});

/** A real WebSocket server whose sockets go through a Handshake; `vouch` marks which upgrades count as vouched. */
async function serve(limits: Partial<HandshakeLimits>, vouch: (url: string) => boolean = () => false) {
  const authenticated: Array<{ auth: AuthMessage; frames: string[] }> = [];
  const handshake = new Handshake(TOKEN, { maxPending: 4, timeoutMs: 5000, badTokenDelayMs: 20, ...limits }, (socket, auth) => {
    const entry = { auth, frames: [] as string[] };
    authenticated.push(entry);
    socket.on('message', (raw) => entry.frames.push(raw.toString()));
  });
  const wss = new WebSocketServer({ noServer: true });
  http = createServer();
  http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => handshake.admit(ws, vouch(req.url ?? ''))));
  await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const open = async (path = '/') => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    sockets.push(ws);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise((resolve) => ws.once('open', resolve));
    return { ws, closed, send: (m: unknown) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)) };
  };
  return { handshake, authenticated, open };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('Handshake', () => {
  it('hands a socket with the right token on, and every frame after the auth frame to its new owner', async () => {
    const { authenticated, open, handshake } = await serve({});
    const c = await open();
    c.send({ type: 'auth', token: TOKEN, session: 'abc' });
    c.send({ type: 'status' });
    await until(() => authenticated[0]?.frames.length === 1);
    expect(authenticated).toEqual([{ auth: { type: 'auth', token: TOKEN, session: 'abc' }, frames: ['{"type":"status"}'] }]);
    expect(handshake.pending).toBe(0);
  });

  it('closes a bad token with 1008 after its own delay and never reads what follows it', async () => {
    const { authenticated, open } = await serve({ badTokenDelayMs: 50 });
    const c = await open();
    c.send({ type: 'auth', token: 'wrong' });
    c.send({ type: 'auth', token: TOKEN });
    expect(await c.closed).toEqual({ code: 1008, reason: 'bad token: open the URL bookrun printed' });
    expect(authenticated).toEqual([]);
  });

  it('closes a first frame that is not auth, and a binary one, with 1008', async () => {
    const { authenticated, open } = await serve({});
    const a = await open();
    a.send({ type: 'open', terminal: 1 });
    expect((await a.closed).code).toBe(1008);
    const b = await open();
    b.ws.send(Buffer.from([1, 2, 3]));
    expect((await b.closed).code).toBe(1008);
    expect(authenticated).toEqual([]);
  });

  it('closes a socket that does not authenticate in time', async () => {
    const { open } = await serve({ timeoutMs: 50 });
    const c = await open();
    expect(await c.closed).toEqual({ code: 1008, reason: 'authenticate within 0.05 s' });
  });

  it('keeps its own cap: a new unauthenticated socket closes the oldest one (1013), never the newcomer', async () => {
    const { handshake, open, authenticated } = await serve({ maxPending: 3 });
    const held = [];
    for (let i = 0; i < 5; i++) held.push(await open());
    expect((await held[0]!.closed).code).toBe(1013);
    expect((await held[1]!.closed).code).toBe(1013);
    expect(handshake.pending).toBe(3);
    expect(handshake.peakPending).toBe(3);
    // The newest got in line and authenticates.
    held[4]!.send({ type: 'auth', token: TOKEN });
    await until(() => authenticated.length === 1);
    expect(handshake.pending).toBe(2);
  });

  it('never lets unauthenticated sockets crowd out one whose upgrade was vouched for', async () => {
    const { handshake, open, authenticated } = await serve({ maxPending: 1 }, (url) => url === '/vouched');
    const reader = await open('/vouched');
    const strangers = [];
    for (let i = 0; i < 4; i++) strangers.push(await open());
    expect(handshake.pending).toBe(1);
    reader.send({ type: 'auth', token: TOKEN });
    await until(() => authenticated.length === 1);
    expect(reader.ws.readyState).toBe(WebSocket.OPEN);
  });
});
