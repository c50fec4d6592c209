// How a failed transferChunk invocation ends, so that neither a bad file nor stored progress is lost.
import { PipelineError, RangeMismatchError, SizeMismatchError } from '#shared/errors';
import type { Logger } from '#shared/logger';
import type { ObjectStore } from './object-store';
import type { TransferCursor } from './transfer-cursor';

/**
 * After a failure: a file that is provably bad is aborted at once; a transient failure after some
 * parts were stored returns the progress (the next invocation resumes there); otherwise the error
 * propagates for the state machine's Retry (with the old cursor, which is still valid).
 */
export async function settleFailure(
  store: ObjectStore,
  before: TransferCursor,
  after: TransferCursor,
  failure: unknown,
  logger: Logger,
): Promise<TransferCursor> {
  if (failure instanceof SizeMismatchError || failure instanceof RangeMismatchError) {
    await store.abortUpload(before.key, before.uploadId);
    throw failure;
  }
  const retryable = !(failure instanceof PipelineError) || failure.retryable;
  if (retryable && after.offset > before.offset) {
    logger.warn('transfer chunk failed after storing parts; returning the progress', {
      key: before.key,
      offset: after.offset,
      error: failure instanceof Error ? failure.message : String(failure),
    });
    return after;
  }
  throw failure;
}
