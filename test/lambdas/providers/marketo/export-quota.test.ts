// Today's bulk export quota use: file sizes of the jobs that finished since the last midnight in
// America/Chicago (05:00 or 06:00 UTC by daylight saving), and nothing from before it.
import { describe, expect, it } from 'vitest';
import { exportQuotaUsedToday } from '../../../../lambdas/providers/marketo/export-quota';
import { MARKETO_DAILY_EXPORT_QUOTA_BYTES } from '../../../../lambdas/shared/metric-catalog';

const job = (exportId: string, finishedAt: string | undefined, fileSize?: number) => ({
  exportId,
  status: 'Completed',
  ...(finishedAt ? { finishedAt } : {}),
  ...(fileSize !== undefined ? { fileSize } : {}),
});

describe('exportQuotaUsedToday', () => {
  it('sums the file sizes of jobs finished since midnight US Central (winter: 06:00 UTC)', () => {
    const now = new Date('2026-01-15T12:00:00Z');
    const jobs = [
      job('a', '2026-01-15T06:00:00Z', 100),
      job('b', '2026-01-15T05:59:59Z', 1_000),
      job('c', '2026-01-15T11:00:00Z', 23),
      job('d', '2026-01-15T11:00:00Z'),
      job('e', undefined, 7),
    ];
    expect(exportQuotaUsedToday(jobs, now)).toEqual({ usedBytes: 123, limitBytes: MARKETO_DAILY_EXPORT_QUOTA_BYTES });
  });

  it('in summer the day starts at 05:00 UTC', () => {
    const now = new Date('2026-07-15T12:00:00Z');
    expect(
      exportQuotaUsedToday([job('a', '2026-07-15T05:00:00Z', 5), job('b', '2026-07-15T04:59:00Z', 50)], now).usedBytes,
    ).toBe(5);
  });
});
