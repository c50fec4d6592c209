// The Parquet writers the curated bench compares. Each has its own case entry point, so a case's
// process loads only its own writer and its peak RSS is that writer's.
export const WRITERS = ['hyparquet', 'parquet-wasm', 'parquetjs'] as const;
export type WriterName = (typeof WRITERS)[number];
/** The one that ships (lambdas/curated/hyparquet-encoder.ts). */
export const CHOSEN_WRITER: WriterName = 'hyparquet';
