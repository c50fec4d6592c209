import { describe, expect, it } from 'vitest';
import { nextQuotaReset } from '../../../../lambdas/providers/marketo/quota-reset';

describe('nextQuotaReset (midnight America/Chicago)', () => {
  it('is 06:00Z in winter (CST) and 05:00Z in summer (CDT)', () => {
    expect(nextQuotaReset(new Date('2026-01-15T12:00:00Z'))).toBe('2026-01-16T06:00:00Z');
    expect(nextQuotaReset(new Date('2026-07-15T12:00:00Z'))).toBe('2026-07-16T05:00:00Z');
  });

  it('counts the Chicago day, not the UTC day', () => {
    // 03:00Z on Jan 16 is still Jan 15 in Chicago: the reset is a few hours away, not a day.
    expect(nextQuotaReset(new Date('2026-01-16T03:00:00Z'))).toBe('2026-01-16T06:00:00Z');
    // Exactly at a reset, the next one is a full day later.
    expect(nextQuotaReset(new Date('2026-01-16T06:00:00Z'))).toBe('2026-01-17T06:00:00Z');
  });

  it('is right across the spring-forward day (23-hour day)', () => {
    // DST starts 2026-03-08 02:00 local. Before midnight of the 7th/8th: reset at CST midnight.
    expect(nextQuotaReset(new Date('2026-03-08T05:30:00Z'))).toBe('2026-03-08T06:00:00Z');
    // During the 8th: the next midnight is already CDT.
    expect(nextQuotaReset(new Date('2026-03-08T12:00:00Z'))).toBe('2026-03-09T05:00:00Z');
  });

  it('is right across the fall-back day (25-hour day)', () => {
    // DST ends 2026-11-01 02:00 local: the 1st starts in CDT and the next midnight is CST.
    expect(nextQuotaReset(new Date('2026-11-01T04:30:00Z'))).toBe('2026-11-01T05:00:00Z');
    expect(nextQuotaReset(new Date('2026-11-01T07:30:00Z'))).toBe('2026-11-02T06:00:00Z');
  });
});
