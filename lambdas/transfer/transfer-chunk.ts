// One invocation's share of a file: read one long range from the cursor's offset, cut it into parts as
// it streams, hash and count each byte once in file order, upload parts with a few in flight, and stop
// when the file ends or the deadline nears. The returned cursor describes exactly the parts whose
// UploadPart succeeded (hash state and CSV state as of their last byte); bytes read past them are
// dropped and read again next time. Each full part is hashed on one worker thread and counted on
// another while the next one is read (part-checks.ts); a part's slot frees once it is hashed,
// counted and stored. Memory: part size × (parts in flight + 1), whatever the file size.
import { systemClock } from '#shared/clock';
import { SizeMismatchError, SourcePositionExpiredError } from '#shared/errors';
import { silentLogger } from '#shared/logger';
import { type ChunkCheckpoint, advanceCursor, completed, restartedCursor } from './chunk-cursor';
import { isDeferral, keepDeferredProgress } from './chunk-deferral';
import { readHeader } from './csv-header';
import { DeadlinePacer } from './deadline-pacer';
import { openPartChecks } from './part-checks';
import { PartUploadQueue } from './part-upload-queue';
import { MAX_PARTS, choosePartSize } from './part-size';
import { type RangeReadStats, readRange } from './range-reader';
import { settleFailure } from './settle-failure';
import { SourceMarks } from './source-marks';
import { type Resumed, resumeFrom } from './transfer-checkpoint';
import type { TransferChunkDeps } from './transfer-chunk-deps';
import { type TransferCursor, headerFields } from './transfer-cursor';
import { emptyTransferMetrics } from './transfer-metrics';

export type { TransferChunkDeps, TransferTuning } from './transfer-chunk-deps';

type StopReason = 'eof' | 'deadline' | 'failed';

const DEADLINE = new Error('invocation deadline');
/** setTimeout fires at once for longer delays. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function transferChunk(
  deps: TransferChunkDeps,
  file: { size?: number },
  cursor: TransferCursor,
  deadlineEpochMs: number,
): Promise<TransferCursor> {
  if (cursor.done) return cursor;
  const started = await resumeFrom(deps.store, deps.checkpointPrefix, cursor, deps.logger ?? silentLogger);
  return transferAttempt(deps, file, cursor, started, deadlineEpochMs, true);
}

async function transferAttempt(
  deps: TransferChunkDeps,
  file: { size?: number },
  stateCursor: TransferCursor,
  started: Resumed,
  deadlineEpochMs: number,
  mayRestart: boolean,
): Promise<TransferCursor> {
  const { cursor, carry } = started;
  if (cursor.done) return cursor;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const tuning = deps.tuning ?? {};
  const metrics = deps.metrics ?? emptyTransferMetrics();
  const { store } = deps;
  const startedAt = performance.now();
  const expectedSize = file.size ?? cursor.sourceSize;

  // Every byte is already stored (the last invocation stopped right after the last part).
  if (expectedSize !== undefined && cursor.offset >= expectedSize && cursor.nextPartNumber > 1) {
    return { ...completed(cursor), invocations: cursor.invocations + 1 };
  }
  // S3 needs one part even for an empty file; no range is opened (bytes=0- of nothing is a 416).
  if (expectedSize === 0) {
    await store.uploadPart(cursor.key, cursor.uploadId, 1, Buffer.alloc(0), 0);
    return { ...completed(cursor), nextPartNumber: 2, invocations: cursor.invocations + 1 };
  }

  const checks = await openPartChecks(cursor, deps);
  const pacer = new DeadlinePacer(clock, deadlineEpochMs, tuning);
  const stopReading = new AbortController();
  const readStats: RangeReadStats = { requests: 0, resumes: 0, rangeIgnored: false };
  const marks = new SourceMarks(cursor.source);
  const reader = withCarry(
    carry,
    readRange(
      deps.openRange,
      cursor.offset + carry.length,
      expectedSize,
      {
        ...tuning.retry,
        clock,
        logger,
        signal: stopReading.signal,
        marks,
        // The saved hash state is the one at the read's start only when nothing is carried before it.
        ...(carry.length === 0 ? { prefixHashState: cursor.hashState } : {}),
      },
      readStats,
    ),
  );
  const queue = new PartUploadQueue<ChunkCheckpoint>(
    (partNumber, body) => store.uploadPart(cursor.key, cursor.uploadId, partNumber, body, body.length),
    tuning.maxPartsInFlight ?? 2,
    cursor.nextPartNumber,
  );
  const spare: Buffer[] = [];
  let partSize = cursor.partSize;
  let part: Buffer | undefined;
  let fill = 0;
  let partNumber = cursor.nextPartNumber;
  let fileOffset = cursor.offset;
  let header: Pick<TransferCursor, 'header' | 'headerColumns'> = {
    ...(cursor.header ? { header: cursor.header } : {}),
    ...(cursor.headerColumns !== undefined ? { headerColumns: cursor.headerColumns } : {}),
  };

  const submitPart = (atEof: boolean): void => {
    const buffer = part ?? Buffer.alloc(0);
    const body = buffer.subarray(0, fill);
    if (partNumber === 1 && cursor.hasHeader) header = headerFields(readHeader(body, cursor.csv.delimiter, atEof));
    const checkpoint: ChunkCheckpoint = {
      partNumber,
      endOffset: fileOffset,
      hashState: '',
      csv: cursor.csv,
      recordStarts: undefined,
      header,
    };
    queue.start(
      checkpoint,
      body,
      () => {
        if (buffer.length === partSize) spare.push(buffer);
      },
      checks.check(body, checkpoint, metrics),
    );
    metrics.partsStarted++;
    part = undefined;
    fill = 0;
    partNumber++;
  };

  // A stalled source must not keep the invocation past its deadline: stop reading at the abandon point.
  const watchdog = setTimeout(
    () => stopReading.abort(DEADLINE),
    Math.min(MAX_TIMER_MS, Math.max(0, pacer.msUntilAbandon())),
  );
  watchdog.unref();

  let stop: StopReason = 'eof';
  let failure: unknown;
  try {
    reading: for (;;) {
      const waitStart = performance.now();
      const next = await reader.next();
      metrics.readWaitMs += performance.now() - waitStart;
      if (next.done) break;
      let data = next.value;
      metrics.bytesRead += data.length;
      pacer.record(data.length);
      // A body larger than announced is refused as soon as it shows, never read to its end: a hostile or
      // broken source must not fill a disk or a bucket before the size check at FinishFile.
      if (expectedSize !== undefined && fileOffset + data.length > expectedSize) {
        throw new SizeMismatchError(
          `${cursor.key}: the source sent more than the ${expectedSize} bytes announced (at least ${fileOffset + data.length}); stopped reading`,
        );
      }
      while (data.length > 0) {
        if (part === undefined) {
          const slotStart = performance.now();
          await queue.waitForSlot();
          metrics.uploadWaitMs += performance.now() - slotStart;
          if (queue.hasFailed) {
            stop = 'failed';
            break reading;
          }
          const firstOfInvocation = partNumber === cursor.nextPartNumber;
          const overBudget =
            !firstOfInvocation &&
            fileOffset - cursor.offset >= (tuning.maxBytesPerInvocation ?? Number.POSITIVE_INFINITY);
          if (overBudget || !pacer.mayStartPart(partSize, queue.size, firstOfInvocation)) {
            stop = 'deadline';
            break reading;
          }
          if (partNumber > MAX_PARTS) {
            throw new SizeMismatchError(
              `the file does not fit in ${MAX_PARTS} parts of ${partSize} bytes (more than ${fileOffset} bytes)`,
            );
          }
          if (partNumber === 1 && readStats.totalSize !== undefined)
            partSize = choosePartSize(readStats.totalSize, partSize);
          part = spare.pop() ?? checks.allocatePart(partSize);
        }
        const n = Math.min(partSize - fill, data.length);
        const slice = data.subarray(0, n);
        const t = performance.now();
        slice.copy(part, fill);
        metrics.copyMs += performance.now() - t;
        fill += n;
        fileOffset += n;
        data = data.subarray(n);
        if (fill === partSize) submitPart(false);
      }
      deps.onProgress?.(fileOffset);
      if (part !== undefined && pacer.mustAbandon()) {
        stop = 'deadline';
        break;
      }
    }
    if (stop === 'eof' && (fill > 0 || partNumber === 1)) submitPart(true);
  } catch (err) {
    if (stopReading.signal.aborted && stopReading.signal.reason === DEADLINE) stop = 'deadline';
    else {
      stop = 'failed';
      failure = err;
    }
  } finally {
    clearTimeout(watchdog);
    stopReading.abort();
    await reader.return(undefined).catch(() => undefined);
  }

  const drainStart = performance.now();
  await queue.drain();
  metrics.drainMs += performance.now() - drainStart;
  checks.close(metrics);
  failure ??= queue.error;

  const committed = queue.committed;
  // The position handed on is always at or before the offset handed on (a carried one may be past it).
  const { source: _carried, ...moved } = advanceCursor(cursor, committed, partSize, readStats, file.size);
  const source = marks.best(moved.offset);
  const advanced: TransferCursor = { ...moved, ...(source ? { source } : {}) };
  const allStored = stop === 'eof' && committed?.partNumber === partNumber - 1;
  const result = allStored ? completed(advanced) : advanced;

  metrics.rangeRequests += readStats.requests;
  metrics.resumes += readStats.resumes;
  metrics.partsCommitted += committed ? committed.partNumber - cursor.nextPartNumber + 1 : 0;
  metrics.bytesCommitted += result.offset - cursor.offset;
  metrics.totalMs += performance.now() - startedAt;
  metrics.invocations++;
  logger.info('transfer chunk', {
    key: cursor.key,
    stop: failure ? 'failed' : stop,
    offset: result.offset,
    nextPartNumber: result.nextPartNumber,
    done: result.done,
    bytesCommitted: result.offset - cursor.offset,
    bytesDropped: fileOffset - result.offset,
    rangeRequests: readStats.requests,
    resumes: readStats.resumes,
    rangeIgnored: readStats.rangeIgnored,
    hashThread: checks.hashThread,
    countThread: checks.countThread,
  });

  // A paged source that can no longer resume at its saved position: the file starts over on the same
  // upload, so the parts stored and the position always describe the same pages.
  if (failure instanceof SourcePositionExpiredError && mayRestart) {
    logger.warn('source refused its saved position; the file starts over', { key: cursor.key, at: cursor.offset });
    const restarted = await restartedCursor({ ...cursor, rangeRequests: cursor.rangeRequests + readStats.requests });
    const fresh = { cursor: restarted, carry: Buffer.alloc(0) };
    return transferAttempt(deps, file, stateCursor, fresh, deadlineEpochMs, false);
  }
  if (isDeferral(failure)) {
    const held = { part, fill, fileOffset };
    await keepDeferredProgress({ ...deps, logger }, stateCursor, started, result, marks, held);
    throw failure;
  }
  // A source that ignores Range and dropped the connection before this invocation stored a part:
  // reading again from the cursor, where the skipped bytes can be checked, costs one request here
  // instead of a failed invocation and a Retry that would do the same.
  if (failure !== undefined && readStats.resumeIgnoredRange && result.offset === cursor.offset && mayRestart) {
    logger.warn('source ignored Range on a resume before any part was stored; reading again from the cursor', {
      key: cursor.key,
      offset: cursor.offset,
    });
    const again = { cursor: { ...cursor, rangeRequests: cursor.rangeRequests + readStats.requests }, carry };
    return transferAttempt(deps, file, stateCursor, again, deadlineEpochMs, false);
  }
  if (failure !== undefined) return settleFailure(store, cursor, result, failure, logger);
  return result;
}

/** The carried bytes first (they are the file's from the cursor's offset on), then the source's. */
async function* withCarry(carry: Buffer, source: AsyncGenerator<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  if (carry.length > 0) yield carry;
  yield* source;
}
