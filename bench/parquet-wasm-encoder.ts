// parquet-wasm (arrow-rs compiled to WASM) behind the converter's ParquetEncoder seam, for the curated
// bench only: each row group becomes an Arrow batch (apache-arrow builders → IPC → WASM).
import {
  Bool,
  DateDay,
  Float64,
  Int32,
  Int64,
  TimestampMillisecond,
  Utf8,
  Table as ArrowTable,
  tableToIPC,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import {
  Compression,
  Table as WasmTable,
  WriterPropertiesBuilder,
  transformParquetStream,
  type RecordBatch,
} from 'parquet-wasm';
import type { CuratedColumn, CuratedType } from '../lambdas/curated/curated-column';
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

class ParquetWasmEncoder implements ParquetEncoder {
  private readonly input: WritableStreamDefaultWriter<RecordBatch>;
  private readonly pump: Promise<void>;

  constructor(
    private readonly columns: readonly CuratedColumn[],
    sink: (bytes: Uint8Array) => Promise<void>,
  ) {
    const batches = new TransformStream<RecordBatch, RecordBatch>(undefined, { highWaterMark: 1 });
    this.input = batches.writable.getWriter();
    const props = new WriterPropertiesBuilder()
      .setCompression(Compression.SNAPPY)
      .setMaxRowGroupSize(10_000_000)
      .build();
    this.pump = (async () => {
      const out = (await transformParquetStream(batches.readable, props)) as ReadableStream<Uint8Array>;
      for await (const bytes of out as unknown as AsyncIterable<Uint8Array>) await sink(bytes);
    })();
  }

  async writeRowGroup(data: RowGroupColumns, rows: number): Promise<void> {
    if (rows === 0) return;
    const vectors = Object.fromEntries(
      this.columns.map((c, i) => [c.name, vectorFromArray(arrowValues(c.type, data[i]!), ARROW_TYPE_OF[c.type]())]),
    );
    const ipc = tableToIPC(new ArrowTable(vectors), 'stream');
    const table = WasmTable.fromIPCStream(ipc);
    for (const batch of table.recordBatches()) await this.input.write(batch);
  }

  async finish(): Promise<void> {
    await this.input.close();
    await this.pump;
  }
}

export const parquetWasmEncoder: ParquetEncoderFactory = (columns, sink) => new ParquetWasmEncoder(columns, sink);
