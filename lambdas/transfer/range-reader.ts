// One long byte range, read from `start` to the end of the file, surviving broken connections. Every
// Range request may be an API call against a shared quota (Marketo), so the reader opens one request
// and keeps it until the end, re-opening only after a failure, from the first byte it has not yet
// handed out, with bounded attempts and backoff. A source that ignores Range (200 with the whole file)
// is detected and the bytes already held are skipped, never handed out twice.
import type { OpenedRange, RangeRequest } from '#providers/types';
import type { Clock } from '#shared/clock';
import {
  PipelineError,
  RangeMismatchError,
  RateLimitedError,
  SizeMismatchError,
  TransferTooSlowError,
  TransientApiError,
} from '#shared/errors';
import { discardBody } from '#shared/http/discard-body';
import { describeTransportFailure, timeoutPhase } from '#shared/http/transport-failure';
import type { Logger } from '#shared/logger';
import { RETRY_POLICY } from '#shared/retry-policy';
import { verifyPrefix } from './prefix-check';
import { ResumableSha256 } from './resumable-sha256';
import type { SourceMarks } from './source-marks';
import {
  DEFAULT_MAX_SLOW_READS,
  DEFAULT_MIN_BYTES_PER_SECOND,
  DEFAULT_RATE_WINDOW_MS,
  SourceRate,
} from './source-rate';

export type OpenRange = (range: RangeRequest, signal?: AbortSignal) => Promise<OpenedRange>;

export interface RangeReaderOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Failed attempts in a row (no byte received in between) before giving up. @default RETRY_POLICY.rangeRead.maxAttempts */
  readonly maxAttempts?: number;
  /** First backoff; doubles per failure, with jitter. @default RETRY_POLICY.rangeRead.baseMs */
  readonly backoffBaseMs?: number;
  /** @default RETRY_POLICY.rangeRead.capMs */
  readonly backoffMaxMs?: number;
  /** Requests one read may open in all, however much progress each makes. @default 25 */
  readonly maxRequests?: number;
  /** Stops the read (closing the request) from outside, e.g. when the invocation's time is up. */
  readonly signal?: AbortSignal;
  /**
   * The saved SHA-256 state of the bytes before the read's start. When a source ignores Range and
   * sends the whole file again, the bytes skipped are hashed and must match it: a source whose
   * content changed between invocations (a list route re-paged in another order) fails loudly
   * instead of splicing two different files together.
   */
  readonly prefixHashState?: string;
  /** Below this rate (bytes per second of waiting for the source) a request is abandoned and resumed. @default DEFAULT_MIN_BYTES_PER_SECOND */
  readonly minBytesPerSecond?: number;
  /** How long the source is watched before its rate is judged. @default DEFAULT_RATE_WINDOW_MS */
  readonly rateWindowMs?: number;
  /** Slow windows in a row before the read fails with TransferTooSlowError. @default DEFAULT_MAX_SLOW_READS */
  readonly maxSlowReads?: number;
  /** A paged source's positions: each open resumes at the latest one, and learns the body's. */
  readonly marks?: SourceMarks;
}

export interface RangeReadStats {
  /** Requests opened (each one an API call). */
  requests: number;
  /** Re-opens after a failure. */
  resumes: number;
  /** Whole-file size as the source stated it. */
  totalSize?: number;
  /** Whether a response ignored Range. */
  rangeIgnored: boolean;
  /** Set when reading stopped because a re-open mid-read ignored Range (the bytes to skip are unverifiable there). */
  resumeIgnoredRange?: boolean;
}

function hasErrnoCode(err: unknown): boolean {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string';
}

function closeQuietly(body: OpenedRange['body']): void {
  if (!body.destroyed) discardBody(body);
}

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk));
}

/**
 * Yields the file's bytes from `start` on, in order, each byte once. Stops at the end of the file;
 * the consumer may stop earlier by leaving its loop (the request is then closed).
 */
export async function* readRange(
  openRange: OpenRange,
  start: number,
  expectedSize: number | undefined,
  options: RangeReaderOptions,
  stats: RangeReadStats,
): AsyncGenerator<Buffer, void, undefined> {
  const maxAttempts = options.maxAttempts ?? RETRY_POLICY.rangeRead.maxAttempts;
  const backoffBaseMs = options.backoffBaseMs ?? RETRY_POLICY.rangeRead.baseMs;
  const backoffMaxMs = options.backoffMaxMs ?? RETRY_POLICY.rangeRead.capMs;
  const maxRequests = options.maxRequests ?? 25;
  let position = start;
  let knownSize = expectedSize;
  let failures = 0;
  const minRate = options.minBytesPerSecond ?? DEFAULT_MIN_BYTES_PER_SECOND;
  const maxSlowReads = options.maxSlowReads ?? DEFAULT_MAX_SLOW_READS;
  let slowReads = 0;

  const signal = options.signal;
  const backOff = async (err: unknown, what: string): Promise<void> => {
    if (signal?.aborted) throw signal.reason;
    failures++;
    const resumable =
      err instanceof TransientApiError ||
      (err instanceof RateLimitedError && err.retryAfterSeconds * 1000 <= backoffMaxMs) ||
      (!(err instanceof PipelineError) && (what === 'read' || hasErrnoCode(err)));
    if (!resumable) throw err;
    if (failures >= maxAttempts || stats.requests >= maxRequests) {
      if (err instanceof PipelineError) throw err;
      const detail = err instanceof Error ? err.message : String(err);
      throw new TransientApiError(
        `source failed ${failures} times in a row at byte ${position} (${stats.requests} requests): ${detail}`,
        undefined,
        { cause: err },
      );
    }
    const exponential = Math.min(backoffMaxMs, backoffBaseMs * 2 ** (failures - 1));
    const floor = err instanceof RateLimitedError ? err.retryAfterSeconds * 1000 : 0;
    const delay = Math.max(floor, Math.round(exponential * (0.5 + Math.random() / 2)));
    options.logger.warn('source range failed; resuming', {
      at: position,
      attempt: failures,
      delayMs: delay,
      error: err instanceof Error ? err.message : String(err),
    });
    stats.resumes++;
    await options.clock.sleep(delay, signal);
  };

  for (;;) {
    if (signal?.aborted) throw signal.reason;
    const controller = new AbortController();
    let body: OpenedRange['body'] | undefined;
    // Destroying the body directly too: an openRange may not wire the signal into its request.
    const stop = () => {
      controller.abort(signal?.reason);
      if (body) closeQuietly(body);
    };
    signal?.addEventListener('abort', stop, { once: true });
    let opened: OpenedRange;
    try {
      stats.requests++;
      const resumeFrom = options.marks?.best(position);
      opened = await openRange({ start: position, ...(resumeFrom ? { resumeFrom } : {}) }, controller.signal);
      options.marks?.track(opened);
      body = opened.body;
      if (signal?.aborted) stop();
    } catch (err) {
      signal?.removeEventListener('abort', stop);
      await backOff(err, 'open');
      continue;
    }
    let skip = 0;
    let ended = false;
    try {
      checkOpened(opened, position, knownSize);
      if (opened.totalSize !== undefined) {
        stats.totalSize = opened.totalSize;
        knownSize ??= opened.totalSize;
      }
      if (!opened.ranged && position > start) {
        // Resuming mid-read from a source that ignores Range: the bytes to skip could only be checked
        // against the hash state at the read's start. End this invocation at the parts already stored;
        // the next one re-reads from its cursor, where the check applies.
        closeQuietly(opened.body);
        stats.resumeIgnoredRange = true;
        throw new TransientApiError(
          `source ignored Range when resuming at byte ${position}; stopping at the stored parts`,
        );
      }
      if (!opened.ranged) {
        stats.rangeIgnored = true;
        skip = position;
        options.logger.warn('source ignored Range: reading from byte 0 and skipping what is already held', { skip });
      }
      // Only the first open of a read starts at the point whose hash state the caller holds.
      const prefixCheck =
        !opened.ranged && skip > 0 && skip === start && options.prefixHashState
          ? await ResumableSha256.create()
          : undefined;
      let received = 0;
      const ownWait = () => opened.ownWaitMs?.() ?? 0;
      const rate = new SourceRate(
        minRate,
        options.rateWindowMs ?? DEFAULT_RATE_WINDOW_MS,
        options.clock.now().getTime(),
        ownWait(),
      );
      try {
        for await (const raw of opened.body) {
          let chunk = asBuffer(raw);
          const judged = rate.arrived(chunk.length, options.clock.now().getTime(), ownWait());
          if (judged?.verdict === 'ok') slowReads = 0;
          if (judged?.verdict === 'slow') {
            slowReads += 1;
            const measured = `${judged.bytes} bytes in ${judged.seconds.toFixed(1)} s, below the minimum of ${minRate} bytes/s`;
            if (slowReads >= maxSlowReads) {
              throw new TransferTooSlowError(
                `source too slow at byte ${position} on ${slowReads} requests in a row (last: ${measured}); it would not finish`,
              );
            }
            throw new TransientApiError(
              `source too slow at byte ${position}: ${measured}; abandoning the request`,
              'slow',
            );
          }
          if (skip > 0) {
            const skipped = chunk.length <= skip ? chunk : chunk.subarray(0, skip);
            prefixCheck?.update(skipped);
            if (chunk.length <= skip) {
              skip -= chunk.length;
              if (skip === 0) await verifyPrefix(prefixCheck, options.prefixHashState, start);
              continue;
            }
            chunk = chunk.subarray(skip);
            skip = 0;
            await verifyPrefix(prefixCheck, options.prefixHashState, start);
          }
          position += chunk.length;
          if (received === 0) failures = 0;
          received += chunk.length;
          yield chunk;
          rate.asking(options.clock.now().getTime(), ownWait());
        }
        ended = true;
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (err instanceof PipelineError && !err.retryable) throw err;
        // A body timeout of undici says neither host nor phase: the message a person reads does.
        const phase = err instanceof PipelineError ? undefined : timeoutPhase(err);
        const named = phase
          ? new TransientApiError(describeTransportFailure(err, opened.host ?? 'the source'), 'timeout', { cause: err })
          : err;
        // Silence until the body timeout is the slowest rate of all: it counts against the source too.
        if (
          phase === 'body' &&
          rate.arrived(0, options.clock.now().getTime(), ownWait())?.verdict === 'slow' &&
          ++slowReads >= maxSlowReads
        ) {
          throw new TransferTooSlowError(
            `source too slow at byte ${position} on ${slowReads} requests in a row (last: ${describeTransportFailure(err, opened.host ?? 'the source')})`,
            { cause: err },
          );
        }
        await backOff(named, 'read');
        continue;
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      closeQuietly(opened.body);
      if (!ended) controller.abort();
    }
    if (skip > 0)
      throw new SizeMismatchError(
        `source sent the whole file but it ends at byte ${position - skip}, before byte ${position} already read`,
      );
    if (knownSize !== undefined && position < knownSize) {
      await backOff(new TransientApiError(`source ended at byte ${position} of ${knownSize}`), 'read');
      continue;
    }
    return;
  }
}

function checkOpened(opened: OpenedRange, position: number, knownSize: number | undefined): void {
  if (opened.ranged && opened.start !== position) {
    throw new RangeMismatchError(`asked for bytes from ${position}, the source answered from ${opened.start}`);
  }
  if (!opened.ranged && opened.start !== 0) {
    throw new RangeMismatchError(`a response that ignored Range must start at byte 0, not ${opened.start}`);
  }
  if (knownSize !== undefined && opened.totalSize !== undefined && opened.totalSize !== knownSize) {
    throw new SizeMismatchError(`the source says the file has ${opened.totalSize} bytes, expected ${knownSize}`);
  }
}
