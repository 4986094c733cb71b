import { describe, expect, it } from 'vitest';
import { AuthLimiter } from './auth-limiter.ts';

describe('AuthLimiter', () => {
  it('backs off exponentially per address after bad tokens, and forgives a good one', () => {
    const limiter = new AuthLimiter({ baseDelayMs: 100, maxDelayMs: 1000, globalMax: 100, globalWindowMs: 60_000 });
    expect(limiter.check('a', 0)).toEqual({ kind: 'allowed' });
    limiter.fail('a', 0);
    expect(limiter.check('a', 50)).toEqual({ kind: 'limited', retryAfterMs: 50 });
    expect(limiter.check('b', 50)).toEqual({ kind: 'allowed' });
    expect(limiter.check('a', 100)).toEqual({ kind: 'allowed' });
    limiter.fail('a', 100);
    expect(limiter.check('a', 250)).toMatchObject({ kind: 'limited', retryAfterMs: 50 }); // 200 ms after the second
    limiter.fail('a', 300);
    limiter.fail('a', 700);
    limiter.fail('a', 1500);
    expect(limiter.check('a', 2000)).toMatchObject({ kind: 'limited', retryAfterMs: 500 }); // capped at 1 s
    limiter.succeed('a');
    expect(limiter.check('a', 2000)).toEqual({ kind: 'allowed' });
  });

  it('limits everyone once too many bad tokens came in a window', () => {
    const limiter = new AuthLimiter({ baseDelayMs: 1, maxDelayMs: 1, globalMax: 3, globalWindowMs: 1000 });
    limiter.fail('a', 0);
    limiter.fail('b', 10);
    limiter.fail('c', 20);
    expect(limiter.check('d', 30)).toEqual({ kind: 'limited', retryAfterMs: 970 });
    expect(limiter.check('d', 1001)).toEqual({ kind: 'allowed' });
  });
});
