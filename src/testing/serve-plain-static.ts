/**
 * A plain static file server for tests: what a reader's browser meets where a book is published (GitHub Pages,
 * any CDN): the built folder and nothing else, no bookrun code behind it. Listens on `host` (a loopback
 * address) and a free port; `close()` ends it. Records every request's path, for tests that count them.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.sh': 'text/plain; charset=utf-8' };

export interface PlainStaticServer {
  origin: string;
  port: number;
  requests: string[];
  close(): Promise<void>;
}

export async function servePlainStatic(root: string, host = '127.0.0.1'): Promise<PlainStaticServer> {
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(pathname);
    let file = path.join(root, path.normalize(pathname).replace(/^(\.\.[/\\])+/, ''));
    for (const candidate of [file, path.join(file, 'index.html'), `${file}.html`]) {
      try {
        if ((await stat(candidate)).isFile()) {
          file = candidate;
          res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
          createReadStream(file).pipe(res);
          return;
        }
      } catch {
        // next candidate
      }
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://${host}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
