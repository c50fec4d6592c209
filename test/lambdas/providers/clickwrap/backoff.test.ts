import { describe, expect, it } from 'vitest';
import { nextPollSeconds, parseRetryAfter } from '../../../../lambdas/providers/clickwrap/backoff';

const now = new Date('2024-03-10T12:00:00Z');

describe('waits', () => {
  it('reads Retry-After as seconds or an HTTP date, bounded, with a default', () => {
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Sun, 10 Mar 2024 12:00:42 GMT', now)).toBe(42);
    expect(parseRetryAfter('Sun, 10 Mar 2024 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('99999', now)).toBe(300);
    expect(parseRetryAfter(undefined, now)).toBe(30);
    expect(parseRetryAfter('soon', now)).toBe(30);
  });

  it('polls every 30-60 s, growing with the poll count, jittered, in whole seconds', () => {
    for (let n = 0; n < 12; n += 1) {
      for (const r of [0, 0.5, 0.999]) {
        const s = nextPollSeconds(n, () => r);
        expect(s).toBeGreaterThanOrEqual(30);
        expect(s).toBeLessThanOrEqual(60);
      }
    }
    expect(nextPollSeconds(10, () => 0.999)).toBeGreaterThan(nextPollSeconds(0, () => 0.999));
    expect(nextPollSeconds(3, () => 0)).not.toBe(nextPollSeconds(3, () => 0.99));
    expect(Number.isInteger(nextPollSeconds(3))).toBe(true);
  });

  it('a task still running after a dozen polls backs off towards 5 minutes, never beyond', () => {
    expect(nextPollSeconds(20, () => 0.5)).toBeGreaterThan(100);
    for (const n of [30, 60, 500]) expect(nextPollSeconds(n, () => 0.999)).toBeLessThanOrEqual(300);
    expect(nextPollSeconds(500, () => 0)).toBeGreaterThanOrEqual(150);
  });
});
