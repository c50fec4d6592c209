// The Parquet writers the curated bench compares, behind the converter's ParquetEncoder seam. Only
// hyparquet-writer ships (lambdas/curated/hyparquet-encoder.ts); these two exist to be measured.
import { Writable } from 'node:stream';
import { ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import { Bool, DateDay, Float64, Int32, Int64, TimestampMillisecond, Utf8, Table as ArrowTable, tableToIPC, vectorFromArray, type DataType } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, transformParquetStream, type RecordBatch } from 'parquet-wasm';
import type { CuratedColumn, CuratedType } from '../lambdas/curated/curated-column';
import { hyparquetEncoder } from '../lambdas/curated/hyparquet-encoder';
import type { ParquetEncoder, ParquetEncoderFactory, RowGroupColumns } from '../lambdas/curated/parquet-encoder';

const MS_PER_DAY = 86_400_000;

const ARROW_TYPE_OF: Record<CuratedType, () => DataType> = {
  string: () => new Utf8(),
  bigint: () => new Int64(),
  int: () => new Int32(),
  double: () => new Float64(),
  boolean: () => new Bool(),
  date: () => new DateDay(),
  timestamp: () => new TimestampMillisecond('UTC'),
};

function arrowValues(type: CuratedType, values: readonly unknown[]): unknown[] {
  if (type === 'timestamp') return values.map((v) => (v === null ? null : new Date(Number(v))));
  if (type === 'date') return values.map((v) => (v === null ? null : new Date(Number(v) * MS_PER_DAY)));
  return [...values];
}

/** parquet-wasm (arrow-rs compiled to WASM): each row group becomes an Arrow batch (apache-arrow builders → IPC → WASM). */
class ParquetWasmEncoder implements ParquetEncoder {
  private readonly input: WritableStreamDefaultWriter<RecordBatch>;
  private readonly pump: Promise<void>;

  constructor(
    private readonly columns: readonly CuratedColumn[],
    sink: (bytes: Uint8Array) => Promise<void>,
  ) {
    const batches = new TransformStream<RecordBatch, RecordBatch>(undefined, { highWaterMark: 1 });
    this.input = batches.writable.getWriter();
    const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(10_000_000).build();
    this.pump = (async () => {
      const out = (await transformParquetStream(batches.readable, props)) as ReadableStream<Uint8Array>;
      for await (const bytes of out as unknown as AsyncIterable<Uint8Array>) await sink(bytes);
    })();
  }

  async writeRowGroup(data: RowGroupColumns, rows: number): Promise<void> {
    if (rows === 0) return;
    const vectors = Object.fromEntries(this.columns.map((c, i) => [c.name, vectorFromArray(arrowValues(c.type, data[i]!), ARROW_TYPE_OF[c.type]())]));
    const ipc = tableToIPC(new ArrowTable(vectors), 'stream');
    const table = WasmTable.fromIPCStream(ipc);
    for (const batch of table.recordBatches()) await this.input.write(batch);
  }

  async finish(): Promise<void> {
    await this.input.close();
    await this.pump;
  }
}

const PARQUETJS_TYPE_OF = {
  string: 'UTF8',
  bigint: 'INT64',
  int: 'INT32',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP_MILLIS',
} as const satisfies Record<CuratedType, string>;

/** @dsnp/parquetjs (pure JS, row at a time). */
class ParquetjsEncoder implements ParquetEncoder {
  private readonly writer: Promise<ParquetWriter>;
  private readonly out: Writable;
  private pendingSink: Promise<void> = Promise.resolve();

  constructor(
    private readonly columns: readonly CuratedColumn[],
    sink: (bytes: Uint8Array) => Promise<void>,
  ) {
    const schema = new ParquetSchema(
      Object.fromEntries(columns.map((c) => [c.name, { type: PARQUETJS_TYPE_OF[c.type], optional: true, compression: 'SNAPPY' as const }])),
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
        if (v !== null && v !== undefined) row[this.columns[c]!.name] = this.columns[c]!.type === 'timestamp' ? new Date(Number(v)) : v;
      }
      await writer.appendRow(row);
    }
  }

  async finish(): Promise<void> {
    await (await this.writer).close();
    await this.pendingSink;
  }
}

export const ENCODERS = {
  hyparquet: hyparquetEncoder,
  'parquet-wasm': (columns, sink) => new ParquetWasmEncoder(columns, sink),
  parquetjs: (columns, sink) => new ParquetjsEncoder(columns, sink),
} as const satisfies Record<string, ParquetEncoderFactory>;

export type EncoderName = keyof typeof ENCODERS;
export const ENCODER_NAMES = Object.keys(ENCODERS) as EncoderName[];
