// Where a transfer's time goes, summed over the invocations that share one metrics object. The
// benchmark prints these; a handler may log them.
export interface TransferMetrics {
  invocations: number;
  bytesRead: number;
  bytesCommitted: number;
  partsStarted: number;
  partsCommitted: number;
  rangeRequests: number;
  resumes: number;
  /** Waiting for the source's next bytes. */
  readWaitMs: number;
  /** Copying bytes into part buffers. */
  copyMs: number;
  /** SHA-256 (hash-wasm) on the event loop: all of it without a worker, else handing parts over. */
  hashMs: number;
  /** SHA-256 on the worker thread, in parallel with everything else. */
  offThreadHashMs: number;
  /** CSV record counting on the event loop: all of it without a worker, else handing parts over. */
  countMs: number;
  /** CSV record counting on its worker thread, in parallel with everything else. */
  offThreadCountMs: number;
  /** Waiting for a free upload slot (uploads slower than reading). */
  uploadWaitMs: number;
  /** Waiting for the last uploads at the end of an invocation. */
  drainMs: number;
  totalMs: number;
}

export function emptyTransferMetrics(): TransferMetrics {
  return {
    invocations: 0,
    bytesRead: 0,
    bytesCommitted: 0,
    partsStarted: 0,
    partsCommitted: 0,
    rangeRequests: 0,
    resumes: 0,
    readWaitMs: 0,
    copyMs: 0,
    hashMs: 0,
    offThreadHashMs: 0,
    countMs: 0,
    offThreadCountMs: 0,
    uploadWaitMs: 0,
    drainMs: 0,
    totalMs: 0,
  };
}
