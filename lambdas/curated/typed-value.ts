// One raw CSV field → the value its column stores. Strict: a value that cannot take its type is a
// failure for the caller to report, never a silent NULL (a NULL would hide a broken export); under
// `badValues: "null"` the caller writes NULL and records the value as a reject.

import type { CuratedColumn } from './curated-column';

/** What a Parquet column holds for each type: dates as days since 1970-01-01, timestamps as UTC epoch millis. */
export type TypedValue = string | bigint | number | boolean | null;

/** Why a value could not be typed; the converter turns it into UntypeableValueError with the record's place. */
export class TypingFailure {
  constructor(readonly reason: string) {}
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const MS_PER_DAY = 86_400_000;

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

/** Epoch millis of a UTC calendar date and time, or undefined when a field is out of range (Feb 30, 24:00). */
function utcMillis(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  // Date rolls Feb 30 over into March: a changed day means the day does not exist.
  return date.getUTCDate() === d && date.getUTCMonth() === mo - 1 ? date.getTime() : undefined;
}

function parseInteger(raw: string, min: bigint, max: bigint): bigint | TypingFailure {
  if (!INTEGER.test(raw)) return new TypingFailure('not an integer');
  const value = BigInt(raw);
  if (value < min || value > max) return new TypingFailure(`out of range [${min}, ${max}]`);
  return value;
}

function parseTimestamp(raw: string): bigint | TypingFailure {
  const m = TIMESTAMP.exec(raw);
  if (!m) return new TypingFailure('not an ISO-8601 timestamp with Z or an offset');
  const [, y, mo, d, h, mi, s, fraction = '', z, sign, oh, om] = m;
  // Milliseconds are what the column keeps; finer digits that are not zero would be lost silently.
  if (/[1-9]/.test(fraction.slice(3))) return new TypingFailure('finer than milliseconds');
  const base = utcMillis(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  if (base === undefined) return new TypingFailure('no such date or time');
  let offsetMinutes = 0;
  if (!z) {
    const hours = Number(oh);
    const minutes = Number(om);
    if (hours > 18 || minutes > 59) return new TypingFailure('offset out of range');
    offsetMinutes = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  return BigInt(base + millis - offsetMinutes * 60_000);
}

function parseDate(raw: string): number | TypingFailure {
  const m = DATE.exec(raw);
  const millis = m ? utcMillis(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  return millis === undefined ? new TypingFailure('not a yyyy-mm-dd date') : millis / MS_PER_DAY;
}

/** The stored value of `raw` in `column`, or a TypingFailure saying why it has none. */
export function typeValue(column: CuratedColumn, raw: string): TypedValue | TypingFailure {
  if (column.nullTokens?.includes(raw)) return null;
  switch (column.type) {
    case 'string':
      return raw;
    case 'bigint':
      return parseInteger(raw, INT64_MIN, INT64_MAX);
    case 'int': {
      const value = parseInteger(raw, BigInt(INT32_MIN), BigInt(INT32_MAX));
      return value instanceof TypingFailure ? value : Number(value);
    }
    case 'double':
      return DECIMAL.test(raw) ? Number(raw) : new TypingFailure('not a decimal number');
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      return new TypingFailure('not true or false');
    case 'date':
      return parseDate(raw);
    case 'timestamp':
      return parseTimestamp(raw);
  }
}
