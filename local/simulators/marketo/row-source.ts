// What a job's file is made from, whatever its bulk type: a header and rows that are each a pure
// function of their number, so the file index can restart rendering at any checkpoint.
import type { ExportFormat } from './delimited-format';

export interface RowSource {
  /** The header line, encoded. */
  readonly header: Buffer;
  readonly format: ExportFormat;
  /** Rows [from, to) as LF-terminated records; with `rowEnds`, pushes each row's end offset within the buffer. */
  renderRows(from: number, to: number, rowEnds?: number[]): Buffer;
}
