// Marketo's daily quotas (50k REST calls, 500 MB of bulk export) reset at midnight US Central time,
// which is 05:00 or 06:00 UTC depending on daylight saving: compute it in the zone, never as a fixed offset.
import { DateTime } from 'luxon';

export const QUOTA_TIME_ZONE = 'America/Chicago';

/** The first midnight in America/Chicago strictly after `now`, as an ISO-8601 UTC instant without ms. */
export function nextQuotaReset(now: Date): string {
  const reset = DateTime.fromJSDate(now).setZone(QUOTA_TIME_ZONE).startOf('day').plus({ days: 1 });
  return reset.toUTC().toISO({ suppressMilliseconds: true }) ?? new Date(reset.toMillis()).toISOString();
}

/** The last midnight in America/Chicago at or before `now`: where today's quota use starts counting. */
export function quotaDayStart(now: Date): Date {
  return DateTime.fromJSDate(now).setZone(QUOTA_TIME_ZONE).startOf('day').toJSDate();
}
