import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.sh': 'text/plain; charset=utf-8',
};

/** Headers on every response: no framing (clickjacking a Run button), no sniffing, no Referer. */
export const SECURITY_HEADERS: Record<string, string> = {
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

async function fileAt(file: string): Promise<string | null> {
  try {
    const s = await stat(file);
    if (s.isFile()) return file;
    if (s.isDirectory()) return fileAt(path.join(file, 'index.html'));
  } catch {
    // not there
  }
  return null;
}

async function inside(file: string, base: string): Promise<boolean> {
  try {
    const [real, realBase] = await Promise.all([realpath(file), realpath(base)]);
    return real === realBase || real.startsWith(realBase + path.sep);
  } catch {
    return false;
  }
}

/**
 * Serves a Docusaurus `build/` folder: `/a/b` → `a/b`, `a/b/index.html` or `a/b.html`; unknown paths get
 * the site's 404.html with status 404. Only GET and HEAD; never a file outside `root`.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string): Promise<void> {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('bad path\n');
    return;
  }
  const base = path.resolve(root);
  const target = path.resolve(base, `.${path.posix.normalize(pathname)}`);
  if (pathname.includes('\0') || (target !== base && !target.startsWith(base + path.sep))) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  let file = await fileAt(target);
  if (!file && !path.extname(target)) file = await fileAt(`${target}.html`);
  // A symlink inside the build must not lead outside it.
  if (file && !(await inside(file, base))) file = null;
  let status = 200;
  if (!file) {
    status = 404;
    file = await fileAt(path.join(base, '404.html'));
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
  }
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const size = (await stat(file)).size;
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': size,
    // HTML names hashed assets: revalidate it; the assets themselves never change.
    'Cache-Control': type.startsWith('text/html') ? 'no-cache' : 'public, max-age=3600',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}
