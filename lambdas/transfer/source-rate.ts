// How fast the source itself sends: bytes over the time spent waiting for them (time the consumer
// spends uploading a part does not count against the source, nor time the client itself spent waiting
// out a rate limit between the calls that make up the body: a throttled API is not a slow source). Measured in windows; a window below the
// minimum rate means the range is abandoned (and resumed), a few in a row that the source is too slow
// to finish at all. A trickle slow enough never trips the body timeout, which only sees silence.

/** Bytes per second below which a range read is abandoned (and resumed). */
export const DEFAULT_MIN_BYTES_PER_SECOND = 8 * 1024;
/** How long the source is watched before its rate is judged. */
export const DEFAULT_RATE_WINDOW_MS = 60_000;
/** Slow windows in a row (each on its own request) before the read fails: TransferTooSlowError. */
export const DEFAULT_MAX_SLOW_READS = 3;

export type RateVerdict =
  { readonly verdict: 'slow' | 'ok'; readonly bytes: number; readonly seconds: number } | undefined;

export class SourceRate {
  private waitedMs = 0;
  private bytes = 0;
  private askedAt: number;
  private ownWaitMs: number;

  constructor(
    private readonly minBytesPerSecond: number,
    private readonly windowMs: number,
    now: number,
    /** The body's own-wait total so far (OpenedRange.ownWaitMs). */
    ownWaitMs = 0,
  ) {
    this.askedAt = now;
    this.ownWaitMs = ownWaitMs;
  }

  /**
   * A chunk arrived: the verdict once a full window of waiting has passed, else undefined. `ownWaitMs`
   * is the body's own-wait total now: what it grew by since the last chunk is not the source's time.
   */
  arrived(bytes: number, now: number, ownWaitMs = this.ownWaitMs): RateVerdict {
    const own = Math.max(0, ownWaitMs - this.ownWaitMs);
    this.ownWaitMs = ownWaitMs;
    this.waitedMs += Math.max(0, now - this.askedAt - own);
    this.bytes += bytes;
    this.askedAt = now;
    if (this.waitedMs < this.windowMs) return undefined;
    const seconds = this.waitedMs / 1000;
    const verdict = {
      verdict: this.bytes / seconds < this.minBytesPerSecond ? ('slow' as const) : ('ok' as const),
      bytes: this.bytes,
      seconds,
    };
    this.waitedMs = 0;
    this.bytes = 0;
    return verdict;
  }

  /** The consumer asks for the next chunk (time before this was the consumer's, not the source's). */
  asking(now: number, ownWaitMs = this.ownWaitMs): void {
    this.askedAt = now;
    this.ownWaitMs = ownWaitMs;
  }
}
