import { describe, expect, it } from 'vitest';
import { pollIntervalSeconds, rateLimitWaitMs } from '../../../../lambdas/providers/marketo/backoff';

describe('backoff', () => {
  it('rate-limit waits are never under 20 s', () => {
    expect(rateLimitWaitMs(() => 0)).toBe(20_000);
    expect(rateLimitWaitMs(() => 0.999)).toBeLessThanOrEqual(25_000);
  });

  it('poll interval: ≥ 60 s, growing with pollCount, capped at 300 s, jittered', () => {
    const low = [0, 1, 2, 3, 4, 10].map((n) => pollIntervalSeconds(n, () => 0));
    const high = [0, 1, 2, 3, 4, 10].map((n) => pollIntervalSeconds(n, () => 1));
    expect(low).toEqual([60, 90, 135, 200, 200, 200]);
    expect(high).toEqual([90, 135, 203, 300, 300, 300]);
    for (let n = 0; n < 20; n += 1) {
      const s = pollIntervalSeconds(n, Math.random);
      expect(s).toBeGreaterThanOrEqual(60);
      expect(s).toBeLessThanOrEqual(300);
    }
  });
});
