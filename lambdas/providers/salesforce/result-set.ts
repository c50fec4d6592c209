// One result set's CSV, checked before a byte of it is passed on: its records counted with quotes kept
// track of (a line break inside a value ends no record), its header found, and its last record
// complete. Bulk sets each repeat the header; the file keeps the first set's only.
import { TransientApiError } from '#shared/errors';

const QUOTE = 0x22;
const LF = 0x0a;

export interface ScannedSet {
  /** Offset of the first record: the header's length with its line ending (0 for an empty body). */
  readonly headerEnd: number;
  /** Records after the header. */
  readonly records: number;
}

/** Counts the set's records; a body that ends inside quotes or without its line ending was cut short. */
export function scanResultSet(body: Buffer, what: string): ScannedSet {
  if (body.length === 0) return { headerEnd: 0, records: 0 };
  let inQuotes = false;
  let lines = 0;
  let headerEnd = -1;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (byte === QUOTE) inQuotes = !inQuotes;
    else if (byte === LF && !inQuotes) {
      lines += 1;
      if (headerEnd < 0) headerEnd = i + 1;
    }
  }
  if (inQuotes || body[body.length - 1] !== LF)
    throw new TransientApiError(`${what}: the set ends mid-record (${body.length} bytes): cut short`, 'truncated-set');
  return { headerEnd, records: lines - 1 };
}

/** The header line of a set (its first line, line ending included). */
export function headerOf(body: Buffer, scanned: ScannedSet): Buffer {
  return body.subarray(0, scanned.headerEnd);
}
