// What an invocation's cursor becomes: the checkpoint of the last part stored in order carries the
// offset, hash and CSV states as of that part's last byte, so the next invocation resumes right after it.
import { type CsvCountState, initialCsvState } from './csv-record-counter';
import { ResumableSha256 } from './resumable-sha256';
import type { CheckedState } from './part-checks';
import type { RangeReadStats } from './range-reader';
import type { TransferCursor } from './transfer-cursor';

export interface ChunkCheckpoint extends CheckedState {
  readonly partNumber: number;
  readonly endOffset: number;
  readonly header: Pick<TransferCursor, 'header' | 'headerColumns'>;
}

export function dataRecords(rows: number, hasHeader: boolean): number {
  return Math.max(0, rows - (hasHeader ? 1 : 0));
}

function finalRows(csv: CsvCountState): number {
  return csv.rows + (csv.lineHasContent ? 1 : 0);
}

/** The cursor once every byte of the file is stored: the record count now includes an unterminated last line. */
export function completed(cursor: TransferCursor): TransferCursor {
  return { ...cursor, done: true, records: dataRecords(finalRows(cursor.csv), cursor.hasHeader) };
}

/** Past the last part stored in order; where it was when none was. `fileSize` is the size the caller knew. */
export function advanceCursor(
  cursor: TransferCursor,
  committed: ChunkCheckpoint | undefined,
  partSize: number,
  readStats: RangeReadStats,
  fileSize: number | undefined,
): TransferCursor {
  return {
    ...cursor,
    ...(committed
      ? {
          offset: committed.endOffset,
          nextPartNumber: committed.partNumber + 1,
          hashState: committed.hashState,
          csv: committed.csv,
          ...(committed.recordStarts
            ? { recordStarts: [...committed.recordStarts.starts], recordStartInterval: committed.recordStarts.interval }
            : {}),
          records: dataRecords(committed.csv.rows, cursor.hasHeader),
          ...committed.header,
        }
      : {}),
    partSize: committed ? partSize : cursor.partSize,
    ...(readStats.totalSize !== undefined && fileSize === undefined ? { sourceSize: readStats.totalSize } : {}),
    invocations: cursor.invocations + 1,
    rangeRequests: cursor.rangeRequests + readStats.requests,
  };
}

/**
 * The cursor of the same upload back at byte 0, for a source that can no longer resume where it stood:
 * parts from 1 on are sent again (replacing the stored ones), and nothing counted so far is kept.
 */
export async function restartedCursor(cursor: TransferCursor): Promise<TransferCursor> {
  const { source: _source, header: _header, headerColumns: _columns, ...kept } = cursor;
  return {
    ...kept,
    offset: 0,
    nextPartNumber: 1,
    hashState: (await ResumableSha256.create()).save(),
    csv: initialCsvState(cursor.csv.delimiter),
    ...(cursor.recordStarts ? { recordStarts: [] } : {}),
    records: 0,
    done: false,
  };
}
