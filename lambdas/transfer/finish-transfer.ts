// Verifies the whole file against what the provider promised BEFORE it becomes visible, then completes
// the upload (ListParts → CompleteMultipartUpload). On any mismatch the upload is aborted and a named
// error thrown: a bad file never appears at its key.
import { ChecksumMismatchError, RecordCountMismatchError, SizeMismatchError, ValidationError } from '#shared/errors';
import { HEADER_SCAN_BYTES, readHeader } from './csv-header';
import type { ObjectStore } from './object-store';
import { ResumableSha256 } from './resumable-sha256';
import type { TransferCursor } from './transfer-cursor';

export interface TransferResult {
  readonly key: string;
  /** Where the object is, e.g. s3://bucket/key. */
  readonly uri: string;
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the stored bytes. */
  readonly sha256: string;
  /** Records excluding the header row. */
  readonly records: number;
  readonly header?: string[];
  /**
   * Offsets where records start (never inside quotes), about one per interval the transfer chose,
   * for reading the file in pieces; empty for a file begun before they were tracked.
   */
  readonly recordStarts: number[];
  readonly parts: number;
  /** Range requests the transfer opened (API calls against the provider's quota). */
  readonly rangeRequests: number;
  readonly invocations: number;
}

export interface ExpectedFile {
  readonly size?: number;
  /** Hex SHA-256; a "sha256:" prefix (Marketo's fileChecksum) is accepted. */
  readonly sha256?: string;
  /** Compared only when given (Marketo's numberOfRecords counts the whole job, not one file). */
  readonly records?: number;
}

function normalizeSha256(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
}

export async function finishTransfer(
  store: ObjectStore,
  file: ExpectedFile,
  cursor: TransferCursor,
): Promise<TransferResult> {
  if (!cursor.done) throw new ValidationError('cursor.done', 'the transfer has not reached the end of the file yet');
  const sha256 = (await ResumableSha256.resume(cursor.hashState)).digestHex();
  const refuse = async (error: Error): Promise<never> => {
    await store.abortUpload(cursor.key, cursor.uploadId);
    throw error;
  };
  if (file.size !== undefined && cursor.offset !== file.size) {
    await refuse(
      new SizeMismatchError(`${cursor.key}: received ${cursor.offset} bytes, the provider announced ${file.size}`),
    );
  }
  if (file.sha256 !== undefined && sha256 !== normalizeSha256(file.sha256)) {
    await refuse(
      new ChecksumMismatchError(
        `${cursor.key}: SHA-256 of the received bytes is ${sha256}, the provider announced ${normalizeSha256(file.sha256)}`,
      ),
    );
  }
  if (file.records !== undefined && cursor.records !== file.records) {
    await refuse(
      new RecordCountMismatchError(
        `${cursor.key}: counted ${cursor.records} records, the provider announced ${file.records}`,
      ),
    );
  }
  const parts = cursor.nextPartNumber - 1;
  try {
    await store.completeUpload(cursor.key, cursor.uploadId, { parts, bytes: cursor.offset });
  } catch (err) {
    if (err instanceof SizeMismatchError) await refuse(err);
    throw err;
  }
  const header =
    cursor.header ?? (cursor.headerColumns !== undefined ? await headerFromObject(store, cursor) : undefined);
  return {
    key: cursor.key,
    uri: `${store.description}/${cursor.key}`,
    bytes: cursor.offset,
    sha256,
    records: cursor.records,
    ...(header ? { header } : {}),
    recordStarts: cursor.recordStarts ?? [],
    parts,
    rangeRequests: cursor.rangeRequests,
    invocations: cursor.invocations,
  };
}

/** A header too long for the cursor is read back from the stored object. */
async function headerFromObject(store: ObjectStore, cursor: TransferCursor): Promise<string[] | undefined> {
  const head = await store.readHead(cursor.key, HEADER_SCAN_BYTES);
  return head ? readHeader(head, cursor.csv.delimiter, head.length < HEADER_SCAN_BYTES) : undefined;
}
