import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, fullJitterMs } from '../../../../lambdas/shared/http/backoff';

describe('full-jitter backoff', () => {
  it('retry n waits up to base·2^(n−1), capped', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => fullJitterMs(n, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });

  it('is uniform between 0 and the ceiling', () => {
    expect(fullJitterMs(4, () => 0)).toBe(0);
    expect(fullJitterMs(4, () => 0.5)).toBe(4000);
  });

  it('a retry count below 1 waits like the first retry', () => {
    expect(fullJitterMs(0, () => 1)).toBe(DEFAULT_BACKOFF.baseMs);
  });

  it('takes its own base and cap', () => {
    expect(fullJitterMs(3, () => 1, { baseMs: 10, capMs: 25 })).toBe(25);
    expect(fullJitterMs(2, () => 1, { baseMs: 10, capMs: 25 })).toBe(20);
  });
});
