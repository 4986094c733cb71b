import { createServer } from 'node:net';

/** A loopback port free right now (the OS picks it), for a server a test starts as a separate process. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
