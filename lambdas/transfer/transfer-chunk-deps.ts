// What one transferChunk invocation is given: the store and the source, and the knobs that shape how
// much it moves and how hard it tries.
import type { Clock } from '#shared/clock';
import type { Logger } from '#shared/logger';
import type { PacingOptions } from './deadline-pacer';
import type { ObjectStore } from './object-store';
import type { PartWorkers } from './part-workers';
import type { OpenRange, RangeReaderOptions } from './range-reader';
import type { TransferMetrics } from './transfer-metrics';

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
  /**
   * A key prefix of the store for this file's checkpoints: a deferral met mid-read keeps its progress
   * there (transfer-checkpoint.ts). Without one, a deferral keeps only what the cursor in state says.
   */
  readonly checkpointPrefix?: string;
}
