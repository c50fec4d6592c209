// One split of a raw file → one Parquet object. The bytes stream from the store through a strict
// RFC 4180 parse (csv-parse, no relax options), every field takes its column's type, and row groups
// go out as they fill, so memory is bounded by one row group and one upload part, never the file.
import { CsvError, Parser } from 'csv-parse';
import { MalformedCsvError, TooManyRejectsError, UntypeableValueError } from '#shared/errors';
import type { BadValueMode } from '#shared/export-definition';
import type { ObjectStore } from '#transfer/object-store';
import { CSV_DELIMITER_OF, type CuratedColumn, type RawFormat } from './curated-column';
import { hyparquetEncoder } from './hyparquet-encoder';
import { StreamingObjectUpload } from './object-upload';
import type { ParquetEncoderFactory } from './parquet-encoder';
import { MAX_REJECTS_PER_SPLIT, storedRawValue, type RejectedValue } from './rejects';
import type { Split } from './split-plan';
import { type TypedValue, TypingFailure, typeValue } from './typed-value';

/**
 * Raw CSV bytes per row group. Athena reads row groups in parallel and prunes them by statistics, so
 * larger is better for it, but a row group's values are held as JS values until written: 64 MiB of
 * Marketo CSV peaks at ~0.9 GiB RSS (npm run bench), the memory a conversion Lambda needs.
 */
export const ROW_GROUP_RAW_BYTES = 64 * 1024 * 1024;
/** Bounds a row group's JS objects when records are tiny. */
export const ROW_GROUP_MAX_ROWS = 1_000_000;
const QUOTE_CHARS = 40;

export interface ConvertSplitInput {
  readonly store: ObjectStore;
  readonly rawKey: string;
  readonly format: RawFormat;
  /** The file's header row; split 0 starts after it, like every other split. */
  readonly header: readonly string[];
  /** One per header field, in the header's order. */
  readonly columns: readonly CuratedColumn[];
  readonly split: Split;
  /** Deterministic key of the Parquet object (a re-run replaces it). */
  readonly outputKey: string;
  /** 1-based number of the split's first record in the file, when known (always 1 for split 0). */
  readonly firstRecordNumber?: number;
  /**
   * Finds the split's first record number when it is not given (it costs a read of the file before the
   * split): called only when an untypeable value must be named or rejects numbered.
   */
  readonly locateFirstRecord?: () => Promise<number>;
  /** An untypeable value fails the split (`fail`) or is written as NULL and returned as a reject (`null`). @default 'fail' */
  readonly badValues?: BadValueMode;
  /** Rejects past this fail the split with TooManyRejectsError. @default MAX_REJECTS_PER_SPLIT */
  readonly maxRejects?: number;
  /** Raw CSV bytes per row group. @default ROW_GROUP_RAW_BYTES */
  readonly rowGroupRawBytes?: number;
  /** @default ROW_GROUP_MAX_ROWS */
  readonly rowGroupMaxRows?: number;
  /** @default hyparquet-writer */
  readonly encoder?: ParquetEncoderFactory;
}

export interface ConvertedSplit {
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
  /** Values written as NULL (`badValues: "null"`), in the order met; empty otherwise. */
  readonly rejects: readonly RejectedValue[];
  /** The split's first record number in the file, when known (given, or located for the rejects). */
  readonly firstRecordNumber?: number;
}

function quote(raw: string): string {
  const shown = raw.length > QUOTE_CHARS ? `${raw.slice(0, QUOTE_CHARS)}…` : raw;
  return JSON.stringify(shown);
}

/** The error again, naming the record by its number in the file when the split's first can be located. */
async function withRecordInFile(
  err: UntypeableValueError,
  at: { n: number; offset: number; what: string },
  locate: (() => Promise<number>) | undefined,
  where: (n: number, offset: number, first: number) => string,
): Promise<UntypeableValueError> {
  if (!locate) return err;
  try {
    return new UntypeableValueError(`${where(at.n, at.offset, await locate())}, ${at.what}`, { cause: err });
  } catch {
    // The record's place within the split is still in the message: better than no error at all.
    return err;
  }
}

export async function convertSplit(input: ConvertSplitInput): Promise<ConvertedSplit> {
  const { store, rawKey, header, columns, split } = input;
  if (columns.length !== header.length) {
    throw new MalformedCsvError(
      `${rawKey}: the header has ${header.length} fields but ${columns.length} columns are declared`,
    );
  }
  const rowGroupRawBytes = input.rowGroupRawBytes ?? ROW_GROUP_RAW_BYTES;
  const rowGroupMaxRows = input.rowGroupMaxRows ?? ROW_GROUP_MAX_ROWS;
  const width = columns.length;
  const nullBadValues = input.badValues === 'null';
  const maxRejects = input.maxRejects ?? MAX_REJECTS_PER_SPLIT;
  const rejects: RejectedValue[] = [];

  /** Where a record is, for messages a person can act on (record numbers within the file when known). */
  const place = (n: number, offset: number, first = input.firstRecordNumber): string =>
    first !== undefined
      ? `record ${first + n - 1} (byte ${offset})`
      : `record ${n} of the split starting at byte ${split.start} (byte ${offset})`;
  /** The untypeable value that stopped the parse (`fail`), to name its record in the file afterwards. */
  let untypeable: { n: number; offset: number; what: string } | undefined;

  const upload = new StreamingObjectUpload(store, input.outputKey, 'application/vnd.apache.parquet');
  const encoder = (input.encoder ?? hyparquetEncoder)(columns, (bytes) => upload.append(bytes));

  let columnsData: TypedValue[][] = columns.map(() => []);
  let groupRows = 0;
  let groupStartBytes = 0;
  let rows = 0;
  let previousBytes = 0;
  let bytesParsed = 0;

  /** Types one record into the row group being built; throws (stopping the parse) on the first bad field. */
  const accept = (record: string[], bytes: number): void => {
    rows += 1;
    const offset = split.start + previousBytes;
    previousBytes = bytes;
    bytesParsed = bytes;
    if (record.length !== width) {
      throw new MalformedCsvError(`${rawKey}: ${place(rows, offset)} has ${record.length} fields, the header ${width}`);
    }
    for (let c = 0; c < width; c++) {
      const column = columns[c]!;
      const raw = record[c]!;
      const value = typeValue(column, raw);
      if (value instanceof TypingFailure) {
        const where = `${rawKey}: ${place(rows, offset)}, column ${column.name} (${column.type})`;
        if (!nullBadValues) {
          const what = `column ${column.name} (${column.type}): ${value.reason}: ${quote(raw)}`;
          untypeable = { n: rows, offset, what };
          throw new UntypeableValueError(`${where}: ${value.reason}: ${quote(raw)}`);
        }
        if (rejects.length >= maxRejects) {
          throw new TooManyRejectsError(
            `${where}: more than ${maxRejects} values of the split cannot take their column's type (this one: ${value.reason}): a column type or the format is wrong, not a few values`,
          );
        }
        rejects.push({
          recordInSplit: rows,
          column: column.name,
          type: column.type,
          reason: value.reason,
          rawValue: storedRawValue(raw),
          rawLength: raw.length,
        });
        columnsData[c]!.push(null);
        continue;
      }
      columnsData[c]!.push(value);
    }
    groupRows += 1;
  };

  // Records are typed inside csv-parse's synchronous on_record (returning null keeps them out of the
  // stream): an object stream of records costs more than parsing them.
  const parser = new Parser({
    delimiter: CSV_DELIMITER_OF[input.format],
    // Both line ends, always: auto-detection would lock onto the first one seen and then read the
    // other as field content.
    record_delimiter: ['\r\n', '\n'],
    skip_empty_lines: true,
    // Every record must have the header's width; checked in accept() against the header itself.
    relax_column_count: false,
    on_record: (record: string[], info: { bytes: number }) => {
      accept(record, info.bytes);
      return null;
    },
  });
  parser.on('error', () => undefined); // reported through the write/end callbacks below
  const source = await store.openRead(rawKey, { start: split.start, endExclusive: split.end });
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      await new Promise<void>((resolve, reject) => parser.write(chunk, (err) => (err ? reject(err) : resolve())));
      if (groupRows >= rowGroupMaxRows || bytesParsed - groupStartBytes >= rowGroupRawBytes) {
        await encoder.writeRowGroup(columnsData, groupRows);
        columnsData = columns.map(() => []);
        groupRows = 0;
        groupStartBytes = bytesParsed;
      }
    }
    await new Promise<void>((resolve, reject) => parser.end((err?: Error | null) => (err ? reject(err) : resolve())));
    // Before completing: a failure to locate must leave no object, like any other.
    const first = input.firstRecordNumber ?? (rejects.length > 0 ? await input.locateFirstRecord?.() : undefined);
    await encoder.writeRowGroup(columnsData, groupRows);
    await encoder.finish();
    const written = await upload.complete();
    return {
      key: written.key,
      rows,
      bytes: written.bytes,
      sha256: written.sha256,
      rejects,
      ...(first !== undefined ? { firstRecordNumber: first } : {}),
    };
  } catch (err) {
    source.destroy();
    await upload.abort();
    if (err instanceof UntypeableValueError && untypeable && input.firstRecordNumber === undefined)
      throw await withRecordInFile(
        err,
        untypeable,
        input.locateFirstRecord,
        (n, offset, first) => `${rawKey}: ${place(n, offset, first)}`,
      );
    if (err instanceof CsvError)
      throw new MalformedCsvError(
        `${rawKey}: split at byte ${split.start} is not strict ${input.format}: ${err.message}`,
        { cause: err },
      );
    throw err;
  }
}
