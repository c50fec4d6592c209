// The values a `badValues: "null"` export wrote as NULL, kept so nothing is lost silently: each one is
// recorded where the converter met it, its raw text redacted and cut short (a provider value may hold
// anything, and a rejects table is for finding bad values, not for copying them), and a split's rejects
// land as one small Parquet object in the `<export>_rejects` table.
import { redact } from '#shared/redact';
import type { ExportWindow } from '#providers/types';
import type { ObjectStore } from '#transfer/object-store';
import { REJECTS_COLUMNS, type CuratedType } from './curated-column';
import type { UploadedObject } from './object-upload';
import { writeParquetRows } from './write-rows';

/**
 * Rejects one split may hold. More are not a few bad values but a wrong column type or a changed
 * format, which NULLs would hide; the bound also keeps a split's rejects small in memory.
 */
export const MAX_REJECTS_PER_SPLIT = 10_000;
/** Longest raw value stored, marker included. */
export const MAX_REJECT_VALUE_CHARS = 256;

/** One value that could not take its column's type, as the converter met it. */
export interface RejectedValue {
  /** 1-based number of the record within its split (the file's number needs the split's first). */
  readonly recordInSplit: number;
  readonly column: string;
  readonly type: CuratedType;
  /** Why the value has no typed form. */
  readonly reason: string;
  /** The raw text, redacted and bounded (storedRawValue). */
  readonly rawValue: string;
  /** Characters of the raw text before it was redacted and cut. */
  readonly rawLength: number;
}

/** `raw` redacted, then cut to MAX_REJECT_VALUE_CHARS with a marker saying how long it was. */
export function storedRawValue(raw: string): string {
  const clean = redact(raw);
  if (clean.length <= MAX_REJECT_VALUE_CHARS) return clean;
  const marker = `…[cut, ${clean.length} chars]`;
  return `${clean.slice(0, MAX_REJECT_VALUE_CHARS - marker.length)}${marker}`;
}

export interface RejectsObjectInput {
  readonly store: ObjectStore;
  /** The rejects object's key (curatedRejectsKey). */
  readonly key: string;
  readonly window: ExportWindow;
  readonly rawKey: string;
  /** 1-based number of the split's first record in the raw file. */
  readonly firstRecordNumber: number;
  readonly rejects: readonly RejectedValue[];
}

/** Writes a split's rejects as one Parquet object of the rejects table. */
export async function writeRejectsObject(input: RejectsObjectInput): Promise<UploadedObject & { rows: number }> {
  const rows = input.rejects.map((r) => ({
    window_start: input.window.start,
    window_end: input.window.end,
    raw_file: input.rawKey,
    record: String(input.firstRecordNumber + r.recordInSplit - 1),
    column_name: r.column,
    column_type: r.type,
    reason: r.reason,
    raw_value: r.rawValue,
    raw_length: r.rawLength,
  }));
  return writeParquetRows(input.store, input.key, REJECTS_COLUMNS, rows);
}
