// The transfer as the handlers call it: begin → transferChunk (as often as the file needs) → finish,
// or abort. See transfer-chunk.ts for how one invocation moves its share of the bytes.
export { beginTransfer, type BeginTransferOptions } from './begin-transfer';
export { transferChunk } from './transfer-chunk';
export type { TransferChunkDeps, TransferTuning } from './transfer-chunk-deps';
export { finishTransfer, type ExpectedFile, type TransferResult } from './finish-transfer';
export { abortTransfer } from './abort-transfer';
export { discardCheckpoints } from './transfer-checkpoint';
export { type TransferCursor, parseTransferCursor, TransferCursorSchema } from './transfer-cursor';
export type { OpenRange } from './range-reader';
export { type TransferMetrics, emptyTransferMetrics } from './transfer-metrics';
