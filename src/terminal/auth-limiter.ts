/** Limits for guessing tokens. */
export interface AuthLimits {
  /** Wait after the first bad token from an address; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Bad tokens allowed from all addresses together within `globalWindowMs`, then everyone waits. */
  globalMax: number;
  globalWindowMs: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = { baseDelayMs: 250, maxDelayMs: 60_000, globalMax: 20, globalWindowMs: 60_000 };

/** Whether an auth attempt may be checked now, or how long to wait. */
export type AuthDecision = { kind: 'allowed' } | { kind: 'limited'; retryAfterMs: number };

/**
 * Rate-limits bad tokens: exponential backoff per remote address, plus a global cap (every client is on
 * loopback, so per-address alone would not slow a local attacker juggling ::1 and 127.0.0.1).
 * `now` is passed in so the limiter is deterministic to test.
 */
export class AuthLimiter {
  private readonly limits: AuthLimits;
  private readonly perAddress = new Map<string, { failures: number; until: number }>();
  private globalFailures: number[] = [];

  constructor(limits: AuthLimits = DEFAULT_AUTH_LIMITS) {
    this.limits = limits;
  }

  check(address: string, now: number): AuthDecision {
    const entry = this.perAddress.get(address);
    if (entry && entry.until > now) return { kind: 'limited', retryAfterMs: entry.until - now };
    this.globalFailures = this.globalFailures.filter((t) => t > now - this.limits.globalWindowMs);
    if (this.globalFailures.length >= this.limits.globalMax) {
      return { kind: 'limited', retryAfterMs: this.globalFailures[0] + this.limits.globalWindowMs - now };
    }
    return { kind: 'allowed' };
  }

  fail(address: string, now: number): void {
    const entry = this.perAddress.get(address) ?? { failures: 0, until: 0 };
    entry.failures += 1;
    entry.until = now + Math.min(this.limits.maxDelayMs, this.limits.baseDelayMs * 2 ** (entry.failures - 1));
    this.perAddress.set(address, entry);
    this.globalFailures.push(now);
    if (this.perAddress.size > 1024) {
      // Bound memory: forget addresses whose wait is over.
      for (const [key, value] of this.perAddress) if (value.until <= now) this.perAddress.delete(key);
    }
  }

  succeed(address: string): void {
    this.perAddress.delete(address);
  }
}
