// Marketo's clock conventions: timestamps without milliseconds, and "today" is a day in US Central
// time (America/Chicago), which is when the daily quotas reset. luxon handles the DST shifts.
import { DateTime } from 'luxon';

export const MARKETO_TIME_ZONE = 'America/Chicago';

/** `2017-01-21T19:47:30Z`: the UTC form Marketo also uses (it accepts and emits offsets too). */
export function formatMarketoTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Start (inclusive) and end (exclusive) of the Chicago day holding `ms`, as epoch milliseconds. */
export function chicagoDay(ms: number): { start: number; end: number; key: string } {
  const local = DateTime.fromMillis(ms, { zone: MARKETO_TIME_ZONE });
  const start = local.startOf('day');
  const end = start.plus({ days: 1 });
  return { start: start.toMillis(), end: end.toMillis(), key: start.toISODate() ?? String(start.toMillis()) };
}

/** The next quota reset (midnight America/Chicago) strictly after `ms`. */
export function nextChicagoMidnight(ms: number): number {
  return chicagoDay(ms).end;
}
