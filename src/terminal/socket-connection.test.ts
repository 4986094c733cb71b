import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { SocketConnection, type OutputCounters } from './socket-connection.ts';

let http: Server | null = null;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  http = null;
});

/** A real socket pair: the server side wrapped in a SocketConnection, the client a plain `ws` socket. */
async function pair(limits = { maxQueuedBytes: 64 * 1024, lowWatermark: 16 * 1024 }) {
  const counters: OutputCounters = { sentOutput: 0, peakQueuedBytes: 0 };
  const wss = new WebSocketServer({ noServer: true });
  http = createServer();
  const connected = new Promise<SocketConnection>((resolve) =>
    http!.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => resolve(new SocketConnection(ws, limits, counters)))),
  );
  await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/`);
  sockets.push(client);
  let received = 0;
  client.on('message', (raw) => (received += raw.toString().length));
  const connection = await connected;
  sockets.push(connection.socket);
  await new Promise((resolve) => client.once('open', resolve));
  return { connection, client, counters, received: () => received };
}

describe('SocketConnection', () => {
  it('accepts acks up to what it sent per terminal, and no more', async () => {
    const { connection, counters } = await pair();
    connection.output(1, 'hello');
    connection.output(1, ' world');
    expect(counters.sentOutput).toBe(11);
    expect(connection.acknowledge(1, 5)).toBe(true);
    expect(connection.acknowledge(1, 6)).toBe(true);
    expect(connection.acknowledge(1, 1)).toBe(false);
    // Nothing was sent for terminal 2.
    expect(connection.acknowledge(2, 1)).toBe(false);
  });

  it('is congested while its peer does not read, and drains once it does', async () => {
    const { connection, client, received } = await pair();
    (client as unknown as { _socket: Socket })._socket.pause();
    let drained = 0;
    connection.onDrain(() => (drained += 1));
    const frame = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 2000 && !connection.congested(); i++) {
      connection.output(1, frame);
      await new Promise((r) => setImmediate(r));
    }
    expect(connection.congested()).toBe(true);
    expect(connection.queuedBytes).toBeGreaterThan(64 * 1024);
    expect(drained).toBe(0);
    (client as unknown as { _socket: Socket })._socket.resume();
    for (let i = 0; i < 500 && drained === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(drained).toBe(1);
    expect(connection.congested()).toBe(false);
    expect(received()).toBeGreaterThan(0);
  });

  it('closes with the code and reason it is given', async () => {
    const { connection, client } = await pair();
    const closed = new Promise<[number, string]>((resolve) => client.on('close', (code, reason) => resolve([code, reason.toString()])));
    connection.close(1008, 'terminal 1: acknowledged more output than was sent');
    expect(await closed).toEqual([1008, 'terminal 1: acknowledged more output than was sent']);
  });
});
