// The seam between converting records and laying out Parquet bytes: the converter hands over one row
// group at a time and the encoder appends its bytes to a sink, so no file is ever whole in memory.
import type { CuratedColumn } from './curated-column';
import type { TypedValue } from './typed-value';

/** One row group: per column (in column order), one value per row. */
export type RowGroupColumns = readonly (readonly TypedValue[])[];

/** Receives the file's bytes in order; awaiting it is the encoder's back-pressure. */
export type ByteSink = (bytes: Uint8Array) => Promise<void>;

export interface ParquetEncoder {
  writeRowGroup(columns: RowGroupColumns, rows: number): Promise<void>;
  /** Writes the footer; the file is complete once this resolves. */
  finish(): Promise<void>;
}

export type ParquetEncoderFactory = (columns: readonly CuratedColumn[], sink: ByteSink) => ParquetEncoder;
