import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new terminal token: 256 bits of randomness, base64url (43 characters, URL-fragment safe). */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares a token from a page with the server's in constant time. Both are hashed first so the
 * comparison runs on equal-length buffers and leaks neither content nor length.
 */
export function checkToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
