// Every byte of a file is hashed and counted once, in file order: one invocation's hasher and record
// counter, resumed from the cursor, each on a worker thread when there is one, so both run while the
// next part is read. A part's checkpoint takes their states only once both have seen its last byte.
import type { CsvCountState, RecordStarts } from './csv-record-counter';
import { openPartCounter } from './part-counter';
import { openPartHasher } from './part-hasher';
import { type PartWorkers, allocateSharedPart, countWorkers, hashWorkers } from './part-workers';
import { ResumableSha256 } from './resumable-sha256';
import type { TransferCursor } from './transfer-cursor';
import type { TransferMetrics } from './transfer-metrics';

/** Filled in once the part is hashed and counted, before the upload queue may commit it. */
export interface CheckedState {
  hashState: string;
  csv: CsvCountState;
  recordStarts: RecordStarts | undefined;
}

export interface PartChecks {
  /** Shared memory when either check runs on a worker, which then reads the part without a copy. */
  readonly allocatePart: (size: number) => Buffer;
  /** Hashes and counts `body` after every part before it (leave it unchanged until this settles). */
  check(body: Buffer, into: CheckedState, metrics: TransferMetrics): Promise<unknown>;
  /** Ends the worker sessions and adds the workers' time to `metrics`. */
  close(metrics: TransferMetrics): void;
  readonly hashThread: 'worker' | 'main';
  readonly countThread: 'worker' | 'main';
}

export async function openPartChecks(
  cursor: TransferCursor,
  workers: { readonly hashing?: PartWorkers; readonly counting?: PartWorkers },
): Promise<PartChecks> {
  const partHasher = await openPartHasher(
    workers.hashing ?? hashWorkers,
    cursor.hashState,
    await ResumableSha256.resume(cursor.hashState),
  );
  const tracked = cursor.recordStarts !== undefined && cursor.recordStartInterval !== undefined;
  const counter = await openPartCounter(
    workers.counting ?? countWorkers,
    cursor.csv,
    tracked
      ? {
          offset: cursor.offset,
          recordStarts: { interval: cursor.recordStartInterval ?? 0, starts: cursor.recordStarts ?? [] },
        }
      : undefined,
  );
  return {
    allocatePart:
      partHasher.offThread || counter.offThread ? allocateSharedPart : (size: number) => Buffer.allocUnsafeSlow(size),
    check(body, into, metrics) {
      let t = performance.now();
      const hashed = partHasher.update(body).then((state) => {
        into.hashState = state;
      });
      const t2 = performance.now();
      metrics.hashMs += t2 - t;
      const counted = counter.update(body).then((r) => {
        into.csv = r.csv;
        if (tracked) into.recordStarts = r.recordStarts;
      });
      t = performance.now();
      metrics.countMs += t - t2;
      return Promise.all([hashed, counted]);
    },
    close(metrics) {
      partHasher.close();
      counter.close();
      metrics.offThreadHashMs += partHasher.offThreadMs;
      metrics.offThreadCountMs += counter.offThreadMs;
    },
    hashThread: partHasher.offThread ? 'worker' : 'main',
    countThread: counter.offThread ? 'worker' : 'main',
  };
}
