/**
 * The two checks that keep web pages away from the reader's shell. Both are pure.
 *
 * - Host: a page on evil.example that re-binds its DNS name to 127.0.0.1 reaches us with
 *   `Host: evil.example:PORT`; only loopback names with our own port are accepted (for every request).
 * - Origin: a WebSocket upgrade must come from our own origin or an explicitly allowed dev origin.
 */

/** The Host header values the server answers: loopback names with its own port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/** Whether a request's Host header names this server on loopback. A missing Host is refused. */
export function checkHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return allowedHosts(port).includes(host.toLowerCase());
}

/** The origins of the server itself (the page it serves), one per loopback name. */
export function ownOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

/**
 * Whether a WebSocket upgrade's Origin is the server's own (unless `own` is false: `bookrun connect` serves no
 * page and trusts only the book's origin) or one of `extra` (the Docusaurus dev server in `bookrun dev`, the
 * published book in `bookrun connect`). A missing Origin is refused: browsers always send it, and a non-browser
 * client can.
 */
export function checkOrigin(origin: string | undefined, port: number, extra: readonly string[] = [], own = true): boolean {
  if (!origin) return false;
  const normalized = origin.toLowerCase().replace(/\/+$/, '');
  return (own && ownOrigins(port).includes(normalized)) || extra.some((o) => o.toLowerCase().replace(/\/+$/, '') === normalized);
}
