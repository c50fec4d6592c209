// Instants travel as ISO-8601 UTC without milliseconds (what Marketo's createdAt filter accepts and
// what sorts correctly as text); object names use the compact basic form, which is safe in any file system.
import { DateTime } from 'luxon';
import { ValidationError } from './errors';

export function toIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2026-01-02T03:04:05Z` → `20260102T030405Z`. */
export function toCompact(iso: string): string {
  return toIsoSeconds(parseInstant(iso, 'instant')).replace(/[-:]/g, '');
}

/** `YYYY-MM-DD` of an instant, in UTC: the `dt=` partition value. */
export function toPartitionDate(iso: string): string {
  return toIsoSeconds(parseInstant(iso, 'instant')).slice(0, 10);
}

/** Parses an ISO-8601 date or date-time (a bare date means midnight UTC); names `field` when it cannot. */
export function parseInstant(value: string, field: string): Date {
  const dt = DateTime.fromISO(value, { zone: 'utc', setZone: false });
  if (!dt.isValid) throw new ValidationError(field, `"${value}" is not an ISO-8601 date or date-time`);
  return dt.toJSDate();
}
