// Window grains and their boundaries (UTC; weeks start on Monday, as ISO weeks do).
import { DateTime } from 'luxon';

export type Grain = 'hour' | 'day' | 'week' | 'month';

export function startOfGrain(dt: DateTime, grain: Grain): DateTime {
  return grain === 'week' ? dt.startOf('week') : dt.startOf(grain);
}

/** Whether an ISO date or date-time is exactly on a boundary of `grain` (unparseable: false). */
export function isOnGrainBoundary(value: string, grain: Grain): boolean {
  const dt = DateTime.fromISO(value, { zone: 'utc' });
  return dt.isValid && startOfGrain(dt, grain).toMillis() === dt.toMillis();
}

export const GRAIN_EXAMPLES: Record<Grain, string> = {
  hour: 'on the hour, e.g. 2026-11-01T05:00:00Z',
  day: 'at 00:00 UTC, e.g. 2026-11-01',
  week: 'at 00:00 UTC on a Monday, e.g. 2026-11-02',
  month: 'at 00:00 UTC on the 1st, e.g. 2026-11-01',
};
