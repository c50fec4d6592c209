// One invocation's share of a file: read one long range from the cursor's offset, cut it into parts as
// it streams, hash and count each byte once in file order, upload parts with a few in flight, and stop
// when the file ends or the deadline nears. The returned cursor describes exactly the parts whose
// UploadPart succeeded (hash state and CSV state as of their last byte); bytes read past them are
// dropped and read again next time. Each full part is hashed on one worker thread and counted on
// another while the next one is read (part-hasher.ts, part-counter.ts); a part's slot frees once it
// is hashed, counted and stored. Memory: part size × (parts in flight + 1), whatever the file size.
import type { Clock } from '#shared/clock';
import { systemClock } from '#shared/clock';
import { PipelineError, RangeMismatchError, SizeMismatchError } from '#shared/errors';
import type { Logger } from '#shared/logger';
import { silentLogger } from '#shared/logger';
import { readHeader } from './csv-header';
import type { CsvCountState, RecordStarts } from './csv-record-counter';
import { DeadlinePacer, type PacingOptions } from './deadline-pacer';
import type { ObjectStore } from './object-store';
import { openPartCounter } from './part-counter';
import { openPartHasher } from './part-hasher';
import { type PartWorkers, allocateSharedPart, countWorkers, hashWorkers } from './part-workers';
import { PartUploadQueue } from './part-upload-queue';
import { MAX_PARTS, choosePartSize } from './part-size';
import { type OpenRange, type RangeReadStats, type RangeReaderOptions, readRange } from './range-reader';
import { ResumableSha256 } from './resumable-sha256';
import { type TransferCursor, headerFields } from './transfer-cursor';
import { type TransferMetrics, emptyTransferMetrics } from './transfer-metrics';

export interface TransferTuning extends PacingOptions {
  /** Parts uploading while the next one is read. @default 2 */
  readonly maxPartsInFlight?: number;
  /**
   * Start no new part once this many bytes were stored or read in one invocation (one part always
   * moves). Splits a file over several invocations on purpose (the CLI's --max-chunk-bytes, benchmarks).
   * @default no limit besides the deadline
   */
  readonly maxBytesPerInvocation?: number;
  /** Reconnect policy for the source range. */
  readonly retry?: Omit<RangeReaderOptions, 'clock' | 'logger' | 'signal'>;
}

export interface TransferChunkDeps {
  readonly store: ObjectStore;
  readonly openRange: OpenRange;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * Called as bytes arrive with the file offset read so far. It can step back at the start of a
   * later invocation, which re-reads the bytes an earlier one dropped at its deadline.
   */
  readonly onProgress?: (bytes: number) => void;
  readonly tuning?: TransferTuning;
  /** Adds this invocation's timings and counts (where the time went). */
  readonly metrics?: TransferMetrics;
  /** Where parts are hashed. @default the process's hashing thread */
  readonly hashing?: PartWorkers;
  /** Where records are counted. @default the process's counting thread */
  readonly counting?: PartWorkers;
}

interface Checkpoint {
  readonly partNumber: number;
  readonly endOffset: number;
  /** These three are filled in once the part is hashed and counted, before the queue may commit it. */
  hashState: string;
  csv: CsvCountState;
  recordStarts: RecordStarts | undefined;
  readonly header: Pick<TransferCursor, 'header' | 'headerColumns'>;
}

type StopReason = 'eof' | 'deadline' | 'failed';

const DEADLINE = new Error('invocation deadline');
/** setTimeout fires at once for longer delays. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function dataRecords(rows: number, hasHeader: boolean): number {
  return Math.max(0, rows - (hasHeader ? 1 : 0));
}

function finalRows(csv: CsvCountState): number {
  return csv.rows + (csv.lineHasContent ? 1 : 0);
}

/** The cursor once every byte of the file is stored: the record count now includes an unterminated last line. */
function completed(cursor: TransferCursor): TransferCursor {
  return { ...cursor, done: true, records: dataRecords(finalRows(cursor.csv), cursor.hasHeader) };
}

export async function transferChunk(
  deps: TransferChunkDeps,
  file: { size?: number },
  cursor: TransferCursor,
  deadlineEpochMs: number,
): Promise<TransferCursor> {
  return transferAttempt(deps, file, cursor, deadlineEpochMs, true);
}

async function transferAttempt(
  deps: TransferChunkDeps,
  file: { size?: number },
  cursor: TransferCursor,
  deadlineEpochMs: number,
  mayRestart: boolean,
): Promise<TransferCursor> {
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

  const partHasher = await openPartHasher(
    deps.hashing ?? hashWorkers,
    cursor.hashState,
    await ResumableSha256.resume(cursor.hashState),
  );
  const tracked = cursor.recordStarts !== undefined && cursor.recordStartInterval !== undefined;
  const counter = await openPartCounter(
    deps.counting ?? countWorkers,
    cursor.csv,
    tracked
      ? {
          offset: cursor.offset,
          recordStarts: { interval: cursor.recordStartInterval ?? 0, starts: cursor.recordStarts ?? [] },
        }
      : undefined,
  );
  const allocatePart =
    partHasher.offThread || counter.offThread ? allocateSharedPart : (size: number) => Buffer.allocUnsafeSlow(size);
  const pacer = new DeadlinePacer(clock, deadlineEpochMs, tuning);
  const stopReading = new AbortController();
  const readStats: RangeReadStats = { requests: 0, resumes: 0, rangeIgnored: false };
  const reader = readRange(
    deps.openRange,
    cursor.offset,
    expectedSize,
    { ...tuning.retry, clock, logger, signal: stopReading.signal, prefixHashState: cursor.hashState },
    readStats,
  );
  const queue = new PartUploadQueue<Checkpoint>(
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
    const checkpoint: Checkpoint = {
      partNumber,
      endOffset: fileOffset,
      hashState: '',
      csv: cursor.csv,
      recordStarts: undefined,
      header,
    };
    let t = performance.now();
    const hashed = partHasher.update(body).then((state) => {
      checkpoint.hashState = state;
    });
    const t2 = performance.now();
    metrics.hashMs += t2 - t;
    const counted = counter.update(body).then((r) => {
      checkpoint.csv = r.csv;
      if (tracked) checkpoint.recordStarts = r.recordStarts;
    });
    t = performance.now();
    metrics.countMs += t - t2;
    queue.start(
      checkpoint,
      body,
      () => {
        if (buffer.length === partSize) spare.push(buffer);
      },
      Promise.all([hashed, counted]),
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
          part = spare.pop() ?? allocatePart(partSize);
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
  partHasher.close();
  counter.close();
  metrics.offThreadHashMs += partHasher.offThreadMs;
  metrics.offThreadCountMs += counter.offThreadMs;
  failure ??= queue.error;

  const committed = queue.committed;
  const advanced: TransferCursor = {
    ...cursor,
    ...(committed
      ? {
          offset: committed.endOffset,
          nextPartNumber: committed.partNumber + 1,
          hashState: committed.hashState,
          csv: committed.csv,
          ...(committed.recordStarts
            ? { recordStarts: [...committed.recordStarts.starts], recordStartInterval: committed.recordStarts.interval }
            : {}),
          records: dataRecords(committed.csv.rows, cursor.hasHeader),
          ...committed.header,
        }
      : {}),
    partSize: committed ? partSize : cursor.partSize,
    ...(readStats.totalSize !== undefined && file.size === undefined ? { sourceSize: readStats.totalSize } : {}),
    invocations: cursor.invocations + 1,
    rangeRequests: cursor.rangeRequests + readStats.requests,
  };
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
    hashThread: partHasher.offThread ? 'worker' : 'main',
    countThread: counter.offThread ? 'worker' : 'main',
  });

  // A source that ignores Range and dropped the connection before this invocation stored a part:
  // reading again from the cursor, where the skipped bytes can be checked, costs one request here
  // instead of a failed invocation and a Retry that would do the same.
  if (failure !== undefined && readStats.resumeIgnoredRange && result.offset === cursor.offset && mayRestart) {
    logger.warn('source ignored Range on a resume before any part was stored; reading again from the cursor', {
      key: cursor.key,
      offset: cursor.offset,
    });
    return transferAttempt(
      deps,
      file,
      { ...cursor, rangeRequests: cursor.rangeRequests + readStats.requests },
      deadlineEpochMs,
      false,
    );
  }
  if (failure !== undefined) return settleFailure(store, cursor, result, failure, logger);
  return result;
}

/**
 * After a failure: a file that is provably bad is aborted at once; a transient failure after some
 * parts were stored returns the progress (the next invocation resumes there); otherwise the error
 * propagates for the state machine's Retry (with the old cursor, which is still valid).
 */
async function settleFailure(
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
