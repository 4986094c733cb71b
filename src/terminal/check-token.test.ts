import { describe, expect, it } from 'vitest';
import { checkToken, createToken } from './check-token.ts';

describe('tokens', () => {
  it('are 256 random bits, base64url, new each time', () => {
    const a = createToken();
    const b = createToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('match only themselves, whatever the length of the guess', () => {
    const token = createToken();
    expect(checkToken(token, token)).toBe(true);
    expect(checkToken(token.slice(0, -1), token)).toBe(false);
    expect(checkToken(`${token}x`, token)).toBe(false);
    expect(checkToken('', token)).toBe(false);
    expect(checkToken(createToken(), token)).toBe(false);
  });
});
