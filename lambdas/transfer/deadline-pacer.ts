// Decides, against the invocation's deadline, whether another part may start: only when the parts
// still travelling plus the new one fit at the rate measured so far, with a fixed margin to return
// the cursor. Bytes read for a part that is then abandoned are dropped (the next invocation re-reads
// them), so stopping early costs a little time and never correctness.
import type { Clock } from '#shared/clock';

export interface PacingOptions {
  /** Time kept free at the end of an invocation, beyond the estimated time of the parts. @default 10000 */
  readonly safetyMarginMs?: number;
  /** A part being read is dropped when less than this is left. @default half the safety margin */
  readonly abandonMarginMs?: number;
  /** Rate assumed until a MiB has been measured. @default 5 MB/s */
  readonly assumedBytesPerSecond?: number;
}

const MEASURE_AFTER_BYTES = 1024 * 1024;

export class DeadlinePacer {
  private readonly startedMs: number;
  private bytes = 0;
  private readonly safetyMarginMs: number;
  private readonly abandonMarginMs: number;
  private readonly assumedBytesPerMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly deadlineMs: number,
    options: PacingOptions = {},
  ) {
    this.startedMs = clock.now().getTime();
    this.safetyMarginMs = options.safetyMarginMs ?? 10_000;
    this.abandonMarginMs = options.abandonMarginMs ?? this.safetyMarginMs / 2;
    this.assumedBytesPerMs = (options.assumedBytesPerSecond ?? 5_000_000) / 1000;
  }

  record(bytes: number): void {
    this.bytes += bytes;
  }

  bytesPerMs(): number {
    const elapsed = this.clock.now().getTime() - this.startedMs;
    if (this.bytes < MEASURE_AFTER_BYTES || elapsed <= 0) return this.assumedBytesPerMs;
    return this.bytes / elapsed;
  }

  remainingMs(): number {
    return this.deadlineMs - this.clock.now().getTime();
  }

  /**
   * The first part of an invocation starts whenever the safety margin is left (otherwise an
   * invocation could never make progress); later ones only when they are expected to fit.
   */
  mayStartPart(partSize: number, partsInFlight: number, firstOfInvocation: boolean): boolean {
    const remaining = this.remainingMs();
    if (firstOfInvocation) return remaining > this.safetyMarginMs;
    return remaining >= ((partsInFlight + 1) * partSize) / this.bytesPerMs() + this.safetyMarginMs;
  }

  mustAbandon(): boolean {
    return this.remainingMs() < this.abandonMarginMs;
  }

  /** Milliseconds until a part being read must be dropped. */
  msUntilAbandon(): number {
    return this.remainingMs() - this.abandonMarginMs;
  }
}
