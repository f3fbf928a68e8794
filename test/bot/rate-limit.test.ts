import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserRateLimiter } from '../../bot/turn-middleware.ts';

describe('the per-user message limit', () => {
  it('decides as a plain sliding one-minute window does, for any sequence of messages', () => {
    const message = fc.record({ user: fc.integer({ min: 0, max: 4 }), gap: fc.integer({ min: 0, max: 30_000 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(message, { maxLength: 200 }), (perMinute, messages) => {
        const limiter = new UserRateLimiter(perMinute);
        const accepted = new Map<number, number[]>();
        let t = 0;
        for (const { user, gap } of messages) {
          t += gap;
          const recent = (accepted.get(user) ?? []).filter((x) => t - x < 60_000);
          const expected = recent.length < perMinute;
          if (expected) recent.push(t);
          accepted.set(user, recent);
          expect(limiter.take(`u${user}`, t)).toBe(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('forgets users idle for a minute', () => {
    const limiter = new UserRateLimiter(3);
    for (let i = 0; i < 1000; i++) limiter.take(`u${i}`, i);
    expect(limiter.size).toBe(1000);
    expect(limiter.take('late', 61_000)).toBe(true);
    // Users 0–999 wrote between 0 and 999 ms: at 61,000 ms all are a minute idle, and only the new one is left.
    expect(limiter.size).toBe(1);
  });

  it('remembers at most its cap of users, dropping the least recently active, and still limits an active one', () => {
    const limiter = new UserRateLimiter(2, 100);
    expect(limiter.take('early', 0)).toBe(true);
    expect(limiter.take('early', 0)).toBe(true);
    expect(limiter.take('flooder', 0)).toBe(true);
    expect(limiter.take('flooder', 0)).toBe(true);
    for (let i = 0; i < 10_000; i++) {
      limiter.take(`u${i}`, 1);
      expect(limiter.size).toBeLessThanOrEqual(100);
      // The flooder keeps writing, so it stays among the recently active and stays limited.
      if (i % 50 === 0) expect(limiter.take('flooder', 1)).toBe(false);
    }
    // "early" was at its limit, but it was the least recently active and has been forgotten.
    expect(limiter.take('early', 2)).toBe(true);
  });
});
