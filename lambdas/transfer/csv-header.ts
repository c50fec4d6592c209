// Reads the header row with csv-parse (quoting, BOM) from the first bytes of a file.
import { parse } from 'csv-parse/sync';
import { type CsvDelimiter, endOfFirstRecord } from './csv-record-counter';

/** A header is looked for only this far into the file (the first part always holds this much). */
export const HEADER_SCAN_BYTES = 1024 * 1024;

/** The first record's fields, or undefined when `head` holds no complete first line and `complete` is false. */
export function readHeader(head: Buffer, delimiter: CsvDelimiter, complete: boolean): string[] | undefined {
  const scanned = head.subarray(0, HEADER_SCAN_BYTES);
  const end =
    endOfFirstRecord(scanned, delimiter) ?? (complete && head.length <= HEADER_SCAN_BYTES ? scanned.length : undefined);
  if (end === undefined || end === 0) return undefined;
  let records: unknown;
  try {
    records = parse(scanned.subarray(0, end), {
      delimiter,
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
    });
  } catch {
    // Not CSV after all (or a broken quote): the manifest simply shows no header.
    return undefined;
  }
  if (!Array.isArray(records)) return undefined;
  const first: unknown = records[0];
  return Array.isArray(first) && first.every((f) => typeof f === 'string') ? first : undefined;
}
