// @dsnp/parquetjs (pure JS, a row at a time) behind the converter's ParquetEncoder seam, for the
// curated bench only.
import { Writable } from 'node:stream';
import { ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import type { CuratedColumn, CuratedType } from '../lambdas/curated/curated-column';
import type { ParquetEncoder, ParquetEncoderFactory, RowGroupColumns } from '../lambdas/curated/parquet-encoder';

const PARQUETJS_TYPE_OF = {
  string: 'UTF8',
  bigint: 'INT64',
  int: 'INT32',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP_MILLIS',
} as const satisfies Record<CuratedType, string>;

class ParquetjsEncoder implements ParquetEncoder {
  private readonly writer: Promise<ParquetWriter>;
  private readonly out: Writable;
  private pendingSink: Promise<void> = Promise.resolve();

  constructor(
    private readonly columns: readonly CuratedColumn[],
    sink: (bytes: Uint8Array) => Promise<void>,
  ) {
    const schema = new ParquetSchema(
      Object.fromEntries(
        columns.map((c) => [
          c.name,
          { type: PARQUETJS_TYPE_OF[c.type], optional: true, compression: 'SNAPPY' as const },
        ]),
      ),
    );
    this.out = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        this.pendingSink = this.pendingSink.then(() => sink(chunk));
        this.pendingSink.then(() => done(), done);
      },
    });
    this.writer = ParquetWriter.openStream(schema, this.out as never, { rowGroupSize: Number.MAX_SAFE_INTEGER });
  }

  async writeRowGroup(data: RowGroupColumns, rows: number): Promise<void> {
    if (rows === 0) return;
    const writer = await this.writer;
    // appendRow flushes a row group at rowGroupSize; this sets it so one call is one group.
    writer.setRowGroupSize(rows);
    for (let r = 0; r < rows; r++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < this.columns.length; c++) {
        const v = data[c]![r];
        if (v !== null && v !== undefined)
          row[this.columns[c]!.name] = this.columns[c]!.type === 'timestamp' ? new Date(Number(v)) : v;
      }
      await writer.appendRow(row);
    }
  }

  async finish(): Promise<void> {
    await (await this.writer).close();
    await this.pendingSink;
  }
}

export const parquetjsEncoder: ParquetEncoderFactory = (columns, sink) => new ParquetjsEncoder(columns, sink);
