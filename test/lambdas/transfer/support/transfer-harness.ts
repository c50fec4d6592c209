// Runs a transfer the way the state machine does (begin → transferChunk until done → finish), each
// chunk a simulated invocation with its own deadline. Time is simulated from bytes read, so a budget
// of "one part per invocation" holds exactly on a loaded machine: the clock advances by msPerByte
// for every byte the source delivers, never by wall time.
import { createHash } from 'node:crypto';
import type { Clock } from '../../../../lambdas/shared/clock';
import type { OpenRange, TransferCursor, TransferTuning } from '../../../../lambdas/transfer/transfer-file';
import { beginTransfer, finishTransfer, transferChunk } from '../../../../lambdas/transfer/transfer-file';
import type { ExpectedFile, TransferResult } from '../../../../lambdas/transfer/finish-transfer';
import type { ObjectStore } from '../../../../lambdas/transfer/object-store';
import type { PartWorkers } from '../../../../lambdas/transfer/part-workers';
import { ResumableSha256 } from '../../../../lambdas/transfer/resumable-sha256';
import { type TransferMetrics, emptyTransferMetrics } from '../../../../lambdas/transfer/transfer-metrics';

export const MIB = 1024 * 1024;
/** One MiB per simulated minute: a 5 MiB part takes 5 minutes, far beyond any real timer in a test. */
export const MS_PER_BYTE = 60_000 / MIB;
/** Room for exactly one 5 MiB part per invocation with the margins below. */
export const ONE_PART_BUDGET_MS = 6.5 * 60_000;

export const TEST_TUNING: TransferTuning = {
  safetyMarginMs: 60_000,
  abandonMarginMs: 30_000,
  retry: { backoffBaseMs: 1, backoffMaxMs: 10 },
};

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface SimulatedTime {
  readonly clock: Clock & { sleeps: number[] };
  startInvocation(offset: number): void;
  onProgress(offset: number): void;
  nowMs(): number;
}

export function simulatedTime(msPerByte = MS_PER_BYTE): SimulatedTime {
  let now = Date.UTC(2026, 0, 1);
  let last = 0;
  const sleeps: number[] = [];
  return {
    clock: {
      sleeps,
      now: () => new Date(now),
      sleep: async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        sleeps.push(ms);
      },
    },
    startInvocation: (offset) => {
      last = offset;
    },
    onProgress: (offset) => {
      if (offset > last) now += (offset - last) * msPerByte;
      last = offset;
    },
    nowMs: () => now,
  };
}

export interface RunOptions {
  readonly store: ObjectStore;
  readonly openRange: OpenRange;
  readonly file: { size?: number; format?: 'csv' | 'tsv' | 'ssv' };
  readonly key?: string;
  readonly partSize?: number;
  readonly budgetMs?: number;
  readonly tuning?: TransferTuning;
  readonly maxInvocations?: number;
  readonly time?: SimulatedTime;
  readonly metrics?: TransferMetrics;
  /** Threads for hashing and counting (both; default: the process's worker threads). */
  readonly threads?: PartWorkers;
}

export interface RunOutcome {
  readonly cursors: TransferCursor[];
  readonly last: TransferCursor;
  readonly metrics: TransferMetrics;
}

/** begin + transferChunk until done; every cursor passes through JSON as it would through state. */
export async function runChunks(options: RunOptions, start?: TransferCursor): Promise<RunOutcome> {
  const time = options.time ?? simulatedTime();
  const metrics = options.metrics ?? emptyTransferMetrics();
  let cursor =
    start ??
    (await beginTransfer(
      options.store,
      { key: options.key ?? 'raw/acts/dt=2024-01-01/file.csv', contentType: 'text/csv' },
      options.file,
      {
        partSize: options.partSize ?? 5 * MIB,
      },
    ));
  const cursors: TransferCursor[] = [cursor];
  for (let i = 0; !cursor.done; i++) {
    if (i >= (options.maxInvocations ?? 50)) throw new Error(`not done after ${i} invocations`);
    time.startInvocation(cursor.offset);
    cursor = JSON.parse(
      JSON.stringify(
        await transferChunk(
          {
            store: options.store,
            openRange: options.openRange,
            clock: time.clock,
            onProgress: time.onProgress,
            tuning: options.tuning ?? TEST_TUNING,
            metrics,
            ...(options.threads ? { hashing: options.threads, counting: options.threads } : {}),
          },
          options.file,
          cursor,
          time.nowMs() + (options.budgetMs ?? ONE_PART_BUDGET_MS),
        ),
      ),
    ) as TransferCursor;
    cursors.push(cursor);
  }
  return { cursors, last: cursor, metrics };
}

export async function runTransfer(
  options: RunOptions,
  expected: ExpectedFile,
): Promise<RunOutcome & { result: TransferResult }> {
  const outcome = await runChunks(options);
  const result = await finishTransfer(options.store, expected, outcome.last);
  return { ...outcome, result };
}

/** The SHA-256 a cursor's saved state would give if the file ended at its offset. */
export async function digestAtCursor(cursor: TransferCursor): Promise<string> {
  return (await ResumableSha256.resume(cursor.hashState)).digestHex();
}
