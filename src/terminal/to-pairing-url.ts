/**
 * The URL `bookrun connect` prints: the book's address with the pairing in its fragment (`#port=PORT&token=TOKEN`),
 * which browsers never send to a server or in a Referer. The book's page takes it from there for the tab
 * (sessionStorage), removes it from the address bar and connects to `ws://127.0.0.1:PORT/terminal`.
 */
export function toPairingUrl(bookUrl: string, port: number, token: string): string {
  const url = new URL(bookUrl);
  url.hash = `port=${port}&token=${token}`;
  return url.href;
}
