import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from './serve-static.ts';

let root: string;
let server: Server;
let port: number;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrun-static-'));
  root = path.join(dir, 'build');
  mkdirSync(path.join(root, 'docs', 'local-canary'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<h1>home</h1>');
  writeFileSync(path.join(root, '404.html'), '<h1>lost</h1>');
  writeFileSync(path.join(root, 'docs', 'local-canary', 'index.html'), '<h1>chapter</h1>');
  writeFileSync(path.join(root, 'app.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
  symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'linked.txt'));
  server = createServer((req, res) => void serveStatic(req, res, root));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(path.dirname(root), { recursive: true, force: true });
});

/** A raw request: the path goes out exactly as written (fetch would normalise `..`). */
function get(rawPath: string, method = 'GET'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveStatic', () => {
  it('serves a Docusaurus build: index files, clean URLs, assets with types', async () => {
    expect(await get('/')).toMatchObject({ status: 200, body: '<h1>home</h1>' });
    expect(await get('/docs/local-canary')).toMatchObject({ status: 200, body: '<h1>chapter</h1>' });
    expect(await get('/docs/local-canary/?variant=eks-static')).toMatchObject({ status: 200, body: '<h1>chapter</h1>' });
    const js = await get('/app.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['x-frame-options']).toBe('DENY');
    expect(js.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers unknown paths with the site 404 page and never leaves the build folder', async () => {
    expect(await get('/nope')).toMatchObject({ status: 404, body: '<h1>lost</h1>' });
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/docs/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%00', '/linked.txt']) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(r.body, p).not.toContain('do not serve');
    }
  });

  it('allows only GET and HEAD', async () => {
    expect((await get('/', 'POST')).status).toBe(405);
    expect(await get('/', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });
});
