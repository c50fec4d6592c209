// Opens the multipart upload at the file's final key and returns the first cursor.
import type { RemoteFile } from '#providers/types';
import type { CsvDelimiter } from './csv-record-counter';
import { initialCsvState, recordStartInterval } from './csv-record-counter';
import type { ObjectStore } from './object-store';
import { choosePartSize } from './part-size';
import { ResumableSha256 } from './resumable-sha256';
import type { TransferCursor } from './transfer-cursor';

export interface BeginTransferOptions {
  /** Preferred part size, raised when the file's size demands it. @default 8 MiB */
  readonly partSize?: number;
  /** Whether the first row is a header, not a record. @default true */
  readonly hasHeader?: boolean;
  /**
   * Bytes between the record starts listed for splitting the file, widened so that a file of known
   * size needs at most MAX_RECORD_STARTS of them. @default 64 MiB
   */
  readonly recordStartInterval?: number;
}

/** About one split point per 64 MiB: a comfortable piece for one Parquet writer. */
export const DEFAULT_RECORD_START_INTERVAL = 64 * 1024 * 1024;

const DELIMITERS: Record<RemoteFile['format'], CsvDelimiter> = { csv: ',', tsv: '\t', ssv: ' ' };

export async function beginTransfer(
  store: ObjectStore,
  target: { key: string; contentType: string },
  file: { size?: number; format?: RemoteFile['format'] },
  options: BeginTransferOptions = {},
): Promise<TransferCursor> {
  const partSize = choosePartSize(file.size, options.partSize);
  const hasher = await ResumableSha256.create();
  const { uploadId } = await store.createUpload(target.key, target.contentType, { partSize });
  return {
    version: 1,
    key: target.key,
    uploadId,
    offset: 0,
    nextPartNumber: 1,
    partSize,
    hashState: hasher.save(),
    csv: initialCsvState(DELIMITERS[file.format ?? 'csv']),
    recordStarts: [],
    recordStartInterval: recordStartInterval(options.recordStartInterval ?? DEFAULT_RECORD_START_INTERVAL, file.size),
    records: 0,
    hasHeader: options.hasHeader ?? true,
    done: false,
    invocations: 0,
    rangeRequests: 0,
  };
}
