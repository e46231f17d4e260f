import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('stays within [0, min(max, base*2^(n-1))]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const policy = { baseMs: 100, maxMs: 3000, maxAttempts: 5 };
        const delay = backoffDelay(policy, attempt, () => r);
        return delay >= 0 && delay <= Math.min(3000, 100 * 2 ** (attempt - 1));
      }),
    );
  });
  it('grows with the attempt number at the top of the jitter range', () => {
    const policy = { baseMs: 100, maxMs: 10_000, maxAttempts: 5 };
    expect(backoffDelay(policy, 1, () => 0.999)).toBeLessThan(backoffDelay(policy, 4, () => 0.999));
  });
});
