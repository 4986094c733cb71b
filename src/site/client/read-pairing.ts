/** How a page reaches its terminal server: the token, and the loopback port when it is not the page's own origin. */
export interface Pairing {
  token: string;
  /** `bookrun connect`: the server listens on 127.0.0.1:PORT; null: the page's own origin (`bookrun serve`, dev). */
  port: number | null;
}

/**
 * Reads a pairing from a URL fragment (`#token=TOKEN` from `bookrun serve`, `#port=PORT&token=TOKEN` from
 * `bookrun connect`) and returns it with the fragment that remains once the pairing is taken out (`''` when
 * nothing remains). Null when the fragment holds no pairing, or a bad one. Pure.
 */
export function readPairing(hash: string): { pairing: Pairing; rest: string } | null {
  const body = hash.replace(/^#/, '');
  if (!/(^|&)token=/.test(body)) return null;
  const params = new URLSearchParams(body);
  const token = params.get('token') ?? '';
  const port = params.get('port');
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return null;
  if (port !== null && !(/^\d{1,5}$/.test(port) && Number(port) > 0 && Number(port) <= 65535)) return null;
  const rest = body
    .split('&')
    .filter((part) => !/^(token|port)=/.test(part))
    .join('&');
  return { pairing: { token, port: port === null ? null : Number(port) }, rest: rest ? `#${rest}` : '' };
}

/** The fragment without a pairing in it (for links the router writes back: changing the variant never restores it). */
export function withoutPairing(hash: string): string {
  return readPairing(hash)?.rest ?? hash;
}
