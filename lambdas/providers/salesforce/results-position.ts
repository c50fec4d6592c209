// Where a job's results file stands, as a plain string: the set to fetch next (its locator), the
// file offset its first byte lands at, and the records and sets before it. Any reader can start from
// one (resumable at set granularity): the org serves a locator's set unchanged while the job exists.
import { ValidationError } from '#shared/errors';

export interface ResultsPosition {
  /** 0-based number of the set. */
  readonly set: number;
  /** Offset in the file of the set's first byte (the header is only in set 0). */
  readonly byte: number;
  /** Records in the sets before it. */
  readonly records: number;
  /** The set's locator; '' for the first set (no locator is sent). */
  readonly locator: string;
}

export const START_POSITION: ResultsPosition = { set: 0, byte: 0, records: 0, locator: '' };

const PREFIX = 'sfdc1';
const LOCATOR = /^[A-Za-z0-9+/=_-]{0,200}$/;

export function encodePosition(p: ResultsPosition): string {
  return `${PREFIX}:${p.set}:${p.byte}:${p.records}:${p.locator}`;
}

export function decodePosition(text: string): ResultsPosition {
  const [prefix, set, byte, records, locator, extra] = text.split(':');
  const nums = [set, byte, records].map((n) => (n !== undefined && /^\d{1,15}$/.test(n) ? Number(n) : NaN));
  if (
    prefix !== PREFIX ||
    extra !== undefined ||
    locator === undefined ||
    !LOCATOR.test(locator) ||
    nums.some(Number.isNaN)
  )
    throw new ValidationError('position', `"${text.slice(0, 80)}" is not a Salesforce results position`);
  const [s, b, r] = nums as [number, number, number];
  if ((s === 0) !== (locator === '') || (s === 0 && (b !== 0 || r !== 0)))
    throw new ValidationError('position', `"${text.slice(0, 80)}": only the first set has no locator`);
  return { set: s, byte: b, records: r, locator };
}
