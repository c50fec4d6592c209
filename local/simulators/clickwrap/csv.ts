// Export CSVs as the task would write them: header = the requested dotted paths verbatim, one row per
// activity, RFC 4180 quoting (csv-stringify), booleans and numbers as JSON spells them.
import { stringify } from 'csv-stringify/sync';
import type { Activity } from './activity-data';

/** A dotted path read from an activity, as CSV text ('' when absent). */
export function fieldValue(row: Activity, path: string): string {
  let current: unknown = row;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (current === null || current === undefined) return '';
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

export function toCsv(fields: readonly string[], rows: readonly Activity[]): Buffer {
  const records = [[...fields], ...rows.map((r) => fields.map((f) => fieldValue(r, f)))];
  return Buffer.from(stringify(records, { record_delimiter: '\n' }), 'utf8');
}
