import { describe, expect, it } from 'vitest';
import { MAX_WINDOWS_PER_RUN, planWindows, snapshotWindow } from '../../../lambdas/workflow/windows';
import { ValidationError } from '../../../lambdas/shared/errors';

const now = new Date('2026-03-10T05:30:00Z');

describe('planWindows', () => {
  it('scheduled: from the watermark up to now − lag, cut to complete days', () => {
    const plan = planWindows({
      grain: 'day',
      maxSpanDays: 31,
      resumeFrom: '2026-03-07T00:00:00Z',
      now,
      lagMinutes: 60,
    });
    expect(plan.windows).toEqual([
      { start: '2026-03-07T00:00:00Z', end: '2026-03-08T00:00:00Z' },
      { start: '2026-03-08T00:00:00Z', end: '2026-03-09T00:00:00Z' },
      { start: '2026-03-09T00:00:00Z', end: '2026-03-10T00:00:00Z' },
    ]);
    expect(plan.end).toBe('2026-03-10T00:00:00Z');
    expect(plan.truncated).toBe(false);
  });

  it('scheduled: the lag can hold back the last day', () => {
    const plan = planWindows({
      grain: 'day',
      maxSpanDays: 31,
      resumeFrom: '2026-03-09T00:00:00Z',
      now,
      lagMinutes: 6 * 60,
    });
    expect(plan.windows).toEqual([]);
    expect(plan.end).toBeUndefined();
  });

  it('a watermark in the middle of a day finishes that day first', () => {
    const plan = planWindows({ grain: 'day', maxSpanDays: 31, resumeFrom: '2026-03-09T12:00:00Z', now, lagMinutes: 0 });
    expect(plan.windows).toEqual([{ start: '2026-03-09T12:00:00Z', end: '2026-03-10T00:00:00Z' }]);
  });

  it('explicit ranges are split at grain boundaries and never exceed the provider span', () => {
    const plan = planWindows({
      grain: 'month',
      maxSpanDays: 31,
      explicit: { from: '2026-01-01', to: '2026-03-01T00:00:00Z' },
      now,
      lagMinutes: 0,
    });
    expect(plan.windows).toEqual([
      { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' },
      { start: '2026-02-01T00:00:00Z', end: '2026-03-01T00:00:00Z' },
    ]);
    const narrow = planWindows({
      grain: 'month',
      maxSpanDays: 10,
      explicit: { from: '2026-01-01', to: '2026-02-01' },
      now,
      lagMinutes: 0,
    });
    expect(narrow.windows.map((w) => w.end)).toEqual([
      '2026-01-11T00:00:00Z',
      '2026-01-21T00:00:00Z',
      '2026-01-31T00:00:00Z',
      '2026-02-01T00:00:00Z',
    ]);
  });

  it('hour and week grains', () => {
    const hours = planWindows({
      grain: 'hour',
      maxSpanDays: 31,
      explicit: { from: '2026-03-01T22:00:00Z', to: '2026-03-02T01:00:00Z' },
      now,
      lagMinutes: 0,
    });
    expect(hours.windows.map((w) => w.start)).toEqual([
      '2026-03-01T22:00:00Z',
      '2026-03-01T23:00:00Z',
      '2026-03-02T00:00:00Z',
    ]);
    // 2026-02-23 and 2026-03-02 are Mondays: ISO weeks start there.
    const weeks = planWindows({
      grain: 'week',
      maxSpanDays: 31,
      explicit: { from: '2026-02-23', to: '2026-03-09' },
      now,
      lagMinutes: 0,
    });
    expect(weeks.windows.map((w) => w.end)).toEqual(['2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z']);
  });

  it('explicit ranges must sit on grain boundaries (so their keys match scheduled runs)', () => {
    const base = { maxSpanDays: 31, now, lagMinutes: 0 };
    expect(() =>
      planWindows({ ...base, grain: 'day', explicit: { from: '2026-03-01T12:00:00Z', to: '2026-03-03' } }),
    ).toThrow(/^from: .* is not on a day boundary/);
    expect(() =>
      planWindows({ ...base, grain: 'day', explicit: { from: '2026-03-01', to: '2026-03-03T06:00:00Z' } }),
    ).toThrow(/^to: /);
    expect(() => planWindows({ ...base, grain: 'week', explicit: { from: '2026-03-01', to: '2026-03-09' } })).toThrow(
      /Monday/,
    );
  });

  it('rejects bad explicit ranges naming the field', () => {
    const base = { grain: 'day' as const, maxSpanDays: 31, now, lagMinutes: 0 };
    expect(() => planWindows({ ...base, explicit: { from: '2026-03-05', to: '2026-03-01' } })).toThrow(
      /^to: must be after from/,
    );
    expect(() => planWindows({ ...base, explicit: { from: 'yesterday', to: '2026-03-01' } })).toThrow(ValidationError);
    expect(() => planWindows({ ...base, explicit: { from: '2026-03-01', to: '2026-04-01' } })).toThrow(
      /^to: .* is in the future/,
    );
    expect(() => planWindows({ ...base, explicit: { from: '2025-01-01', to: '2026-03-01' } })).toThrow(
      /more than 62 day windows/,
    );
  });

  it('scheduled catch-up is cut at the per-run cap and says so', () => {
    const plan = planWindows({ grain: 'day', maxSpanDays: 31, resumeFrom: '2025-01-01T00:00:00Z', now, lagMinutes: 0 });
    expect(plan.windows).toHaveLength(MAX_WINDOWS_PER_RUN);
    expect(plan.truncated).toBe(true);
    expect(plan.end).toBe(plan.windows.at(-1)!.end);
  });
});

describe('snapshotWindow', () => {
  it('is the grain period the run happens in, the same for every run in it', () => {
    expect(snapshotWindow(now, 'day')).toEqual({ start: '2026-03-10T00:00:00Z', end: '2026-03-11T00:00:00Z' });
    expect(snapshotWindow(new Date('2026-03-10T23:59:59Z'), 'day')).toEqual(snapshotWindow(now, 'day'));
    expect(snapshotWindow(now, 'hour')).toEqual({ start: '2026-03-10T05:00:00Z', end: '2026-03-10T06:00:00Z' });
    expect(snapshotWindow(now, 'week')).toEqual({ start: '2026-03-09T00:00:00Z', end: '2026-03-16T00:00:00Z' });
  });
});
