import { describe, expect, it } from 'vitest';
import { checkHost, checkOrigin } from './check-request.ts';

describe('checkHost', () => {
  it('accepts loopback names with the server port only', () => {
    for (const host of ['127.0.0.1:4000', 'localhost:4000', '[::1]:4000', 'LOCALHOST:4000']) expect(checkHost(host, 4000)).toBe(true);
    for (const host of [undefined, '', '127.0.0.1', 'localhost', '127.0.0.1:4001', 'evil.example:4000', 'localhost.evil.example:4000', '127.0.0.2:4000', '0.0.0.0:4000', '[::ffff:127.0.0.1]:4000']) {
      expect(checkHost(host, 4000)).toBe(false);
    }
  });
});

describe('checkOrigin', () => {
  it('accepts the server\'s own origins and explicitly allowed ones', () => {
    expect(checkOrigin('http://127.0.0.1:4000', 4000)).toBe(true);
    expect(checkOrigin('http://localhost:4000', 4000)).toBe(true);
    expect(checkOrigin('http://[::1]:4000', 4000)).toBe(true);
    expect(checkOrigin('http://localhost:3000', 4000, ['http://localhost:3000/'])).toBe(true);
  });

  it('refuses missing, opaque, foreign and look-alike origins', () => {
    for (const origin of [undefined, '', 'null', 'https://127.0.0.1:4000', 'http://127.0.0.1:4001', 'http://evil.example', 'http://localhost:4000.evil.example', 'file://']) {
      expect(checkOrigin(origin, 4000, ['http://localhost:3000'])).toBe(false);
    }
  });
});
