// The state one file's transfer carries between invocations (through Step Functions state). It holds
// no ETags and no part list: a few hundred bytes whatever the file's size. Everything in it describes
// the file up to `offset`, the end of the last part whose UploadPart succeeded.
import { z } from 'zod';
import { toValidationError } from '#shared/validation';
import { MAX_RECORD_STARTS } from './csv-record-counter';
import { MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE } from './part-size';
import { MAX_SOURCE_POSITION_CHARS } from './source-marks';

/** A header longer than this (as JSON) stays out of the cursor; finish reads it from the object. */
export const MAX_CURSOR_HEADER_CHARS = 2048;
/** The cursor must stay far below the 256 KB state limit even inside a Map of many files. */
export const MAX_CURSOR_CHARS = 4096;

const CsvCountStateSchema = z.object({
  delimiter: z.enum([',', '\t', ' ']),
  rows: z.number().int().nonnegative(),
  inQuotes: z.boolean(),
  quotePending: z.boolean(),
  atFieldStart: z.boolean(),
  lineHasContent: z.boolean(),
});

export const TransferCursorSchema = z.object({
  version: z.literal(1),
  key: z.string().min(1),
  uploadId: z.string().min(1),
  /** Bytes of the file safely stored in parts 1..nextPartNumber-1. */
  offset: z.number().int().nonnegative(),
  nextPartNumber: z
    .number()
    .int()
    .min(1)
    .max(MAX_PARTS + 1),
  partSize: z.number().int().min(MIN_PART_SIZE).max(MAX_PART_SIZE),
  /** base64 of hash-wasm's SHA-256 save() after byte offset-1. */
  hashState: z.string().min(1).max(512),
  csv: CsvCountStateSchema,
  /**
   * File offsets where records start (never inside quotes), about one per `recordStartInterval`
   * bytes, for splitting the file later. Absent in cursors begun before they were tracked.
   */
  recordStarts: z.array(z.number().int().positive()).max(MAX_RECORD_STARTS).optional(),
  recordStartInterval: z.number().int().positive().optional(),
  /** Data records (header excluded) completed before offset; final once `done`. */
  records: z.number().int().nonnegative(),
  /** Whether the first row is a header (not counted as a record). */
  hasHeader: z.boolean(),
  header: z.array(z.string()).optional(),
  /** Set when the header was read but too long to carry. */
  headerColumns: z.number().int().nonnegative().optional(),
  /** The whole file's size as the source stated it, when the caller did not know it. */
  sourceSize: z.number().int().nonnegative().optional(),
  done: z.boolean(),
  /**
   * A paged source's position at byte `at` ≤ offset (the provider's, opaque here): the next invocation
   * continues paging there and skips the bytes from `at` to offset, instead of paging from the start.
   */
  source: z
    .object({
      at: z.number().int().nonnegative(),
      position: z.string().min(1).max(MAX_SOURCE_POSITION_CHARS),
    })
    .optional(),
  /** transferChunk calls that advanced or finished this file, for the manifest's timings. */
  invocations: z.number().int().nonnegative(),
  /** Range requests opened so far: each is an API call against the provider's quota. */
  rangeRequests: z.number().int().nonnegative(),
});

export type TransferCursor = z.infer<typeof TransferCursorSchema>;

/** Validates a cursor coming back from state, naming the bad field. */
export function parseTransferCursor(input: unknown): TransferCursor {
  const result = TransferCursorSchema.safeParse(input);
  if (result.success) return result.data;
  throw toValidationError(result.error, { under: ['cursor'] });
}

/** The header as the cursor may carry it. */
export function headerFields(header: string[] | undefined): Pick<TransferCursor, 'header' | 'headerColumns'> {
  if (header === undefined) return {};
  return JSON.stringify(header).length <= MAX_CURSOR_HEADER_CHARS ? { header } : { headerColumns: header.length };
}
