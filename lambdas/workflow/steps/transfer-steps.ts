// BeginFile / TransferChunk / FinishFile: the per-file loop. The bytes never pass through state:
// each TransferChunk streams ranges straight into multipart parts and hands back a small cursor.
import type { ExportProvider, RemoteFile } from '#providers/types';
import { LinkExpiredError, TransferStalledError } from '#shared/errors';
import {
  beginTransfer,
  discardCheckpoints,
  finishTransfer,
  parseTransferCursor,
  transferChunk,
  type TransferCursor,
  type TransferTuning,
} from '#transfer/transfer-file';
import { planSplits, type Split } from '#curated/split-plan';
import { HEADER_SCAN_BYTES } from '#transfer/csv-header';
import { endOfFirstRecord, type CsvDelimiter } from '#transfer/csv-record-counter';
import { CONTENT_TYPES, rawFileKey, transferCheckpointPrefix } from '#window/keys';
import { fileForState, liveFile } from '../state-links';
import { recordChunk, recordFile } from '../metrics';
import type { WorkflowRuntime } from '../runtime';
import { ChunkInputSchema, FileTaskSchema, type FileResult } from '../state';
import { parseOrThrow } from '#shared/validation';

export interface TransferState {
  file: RemoteFile;
  cursor: TransferCursor;
  /** Invocations in a row that stored nothing (a deadline too short for one part, a dead source). */
  stalled?: number;
}

/** After this many invocations in a row without progress the file fails instead of looping forever. */
export const MAX_STALLED_INVOCATIONS = 3;

export async function beginFile(event: unknown, rt: WorkflowRuntime): Promise<TransferState> {
  const input = parseOrThrow(FileTaskSchema, event, 'event');
  const { name } = rt.exports.definition(input.export);
  const key = rawFileKey(name, input.window, input.file, input.fileCount);
  const cursor = await beginTransfer(
    rt.store,
    { key, contentType: CONTENT_TYPES[input.file.format] },
    {
      format: input.file.format,
      ...(input.file.size !== undefined ? { size: input.file.size } : {}),
    },
    rt.tuning.split?.recordStartInterval ? { recordStartInterval: rt.tuning.split.recordStartInterval } : {},
  );
  rt.logger.info('upload opened', { export: name, key, size: input.file.size });
  return { file: input.file, cursor };
}

/**
 * Opens ranges of `file`; when a link has expired (Clickwrap's pre-signed links do), asks the provider
 * for a fresh one once per open and carries on: the new link is returned so later chunks use it.
 */
function rangeOpener(provider: ExportProvider, job: { id: string }, holder: { file: RemoteFile }) {
  return async (range: { start: number; endInclusive?: number }, signal?: AbortSignal) => {
    try {
      return await provider.openRange(holder.file, range, signal);
    } catch (err) {
      if (!(err instanceof LinkExpiredError) || !provider.refreshFile) throw err;
      holder.file = await provider.refreshFile(job, holder.file);
      return provider.openRange(holder.file, range, signal);
    }
  };
}

export async function transferFileChunk(
  event: unknown,
  rt: WorkflowRuntime,
  remainingMs?: number,
): Promise<TransferState> {
  const input = parseOrThrow(ChunkInputSchema, event, 'event');
  const def = rt.exports.definition(input.export);
  const provider = await rt.provider(def);
  // State holds the link without its signature (state-links.ts): ask the provider for a live one.
  const holder: { file: RemoteFile } = { file: await liveFile(provider, input.job, input.transfer.file) };
  const cursor = parseTransferCursor(input.transfer.cursor);
  // Leave a minute of the Lambda's own timeout for the last part's upload and the response.
  const budget =
    remainingMs !== undefined ? Math.min(rt.tuning.chunkBudgetMs, remainingMs - 60_000) : rt.tuning.chunkBudgetMs;
  const startedMs = rt.clock.now().getTime();
  const deadline = startedMs + Math.max(budget, 1_000);
  const name = def.name;
  const next = await transferChunk(
    {
      store: rt.store,
      openRange: rangeOpener(provider, input.job, holder),
      clock: rt.clock,
      logger: rt.logger,
      tuning: withMinRate(rt.tuning.transfer, def.minTransferBytesPerSecond),
      checkpointPrefix: transferCheckpointPrefix(name, input.window, input.file, input.fileCount),
      onProgress: (bytes) =>
        rt.events({
          export: name,
          step: 'TransferChunk',
          window: input.window,
          key: cursor.key,
          bytes,
          ...(holder.file.size !== undefined ? { totalBytes: holder.file.size } : {}),
        }),
    },
    { ...(holder.file.size !== undefined ? { size: holder.file.size } : {}) },
    cursor,
    deadline,
  );
  recordChunk(rt, def, cursor, next, rt.clock.now().getTime() - startedMs);
  const cursorBytes = Buffer.byteLength(JSON.stringify(next));
  rt.logger.info('chunk transferred', {
    export: name,
    key: next.key,
    offset: next.offset,
    done: next.done,
    cursorBytes,
  });
  rt.events({
    export: name,
    step: 'TransferChunk',
    window: input.window,
    message: `invocation ${next.invocations}: ${next.offset} bytes stored in ${next.nextPartNumber - 1} part(s)${next.done ? ', file complete' : ''}; cursor handed back: ${cursorBytes} bytes`,
  });
  const progressed = next.done || next.offset > cursor.offset || next.nextPartNumber > cursor.nextPartNumber;
  const stalled = progressed ? 0 : (input.transfer.stalled ?? 0) + 1;
  if (stalled >= MAX_STALLED_INVOCATIONS) {
    throw new TransferStalledError(
      `${next.key}: ${stalled} invocations in a row stored nothing past byte ${next.offset}; giving up`,
    );
  }
  // A refreshed file is handed on (later chunks need not refresh again), never with a live link.
  return { file: fileForState(holder.file), cursor: next, ...(stalled > 0 ? { stalled } : {}) };
}

export async function finishFile(event: unknown, rt: WorkflowRuntime): Promise<FileResult> {
  const input = parseOrThrow(ChunkInputSchema, event, 'event');
  const def = rt.exports.definition(input.export);
  const file = input.transfer.file;
  const cursor = parseTransferCursor(input.transfer.cursor);
  // The provider's record count is per job; it can be checked against a file only when the job has one file.
  const expectedRecords = input.fileCount === 1 && input.jobRecords !== null ? input.jobRecords : undefined;
  const result = await finishTransfer(
    rt.store,
    {
      ...(file.size !== undefined ? { size: file.size } : {}),
      ...(file.sha256 !== undefined ? { sha256: file.sha256 } : {}),
      ...(expectedRecords !== undefined ? { records: expectedRecords } : {}),
    },
    cursor,
  );
  recordFile(rt, def, cursor);
  await discardCheckpoints(rt.store, transferCheckpointPrefix(def.name, input.window, file, input.fileCount));
  rt.logger.info('file verified and completed', {
    export: def.name,
    key: result.key,
    bytes: result.bytes,
    sha256: result.sha256,
    records: result.records,
  });
  rt.events({
    export: def.name,
    step: 'FinishFile',
    window: input.window,
    key: result.key,
    bytes: result.bytes,
    message: 'verified',
  });
  const splits = await splitsOf(rt, result, cursor);
  return {
    index: file.index,
    key: result.key,
    uri: rt.uri(result.key),
    format: file.format,
    bytes: result.bytes,
    sha256: result.sha256,
    records: result.records,
    header: result.header ?? [],
    expectedSha256: file.sha256 ?? null,
    expectedBytes: file.size ?? null,
    expectedRecords: expectedRecords ?? null,
    splits,
  };
}

/** Largest split one ConvertSplit invocation converts (its memory and time stay bounded by this). */
export const MAX_SPLIT_BYTES = 128 * 1024 * 1024;

/** Where the curated conversion cuts the file: after the header, at record starts the transfer recorded. */
async function splitsOf(
  rt: WorkflowRuntime,
  result: { key: string; bytes: number; recordStarts?: readonly number[] },
  cursor: { csv: { delimiter: CsvDelimiter } },
): Promise<Split[]> {
  const head = result.bytes > 0 ? await rt.store.readHead(result.key, HEADER_SCAN_BYTES) : undefined;
  const headerEnd = head ? (endOfFirstRecord(head, cursor.csv.delimiter) ?? result.bytes) : 0;
  return planSplits({
    fileSize: result.bytes,
    headerEnd,
    recordStarts: result.recordStarts ?? [],
    maxSplitBytes: rt.tuning.split?.maxSplitBytes ?? MAX_SPLIT_BYTES,
  });
}

/** The export's own minimum transfer rate, when it sets one, over the runtime's tuning. */
function withMinRate(tuning: TransferTuning | undefined, minBytesPerSecond: number | undefined): TransferTuning {
  if (minBytesPerSecond === undefined) return tuning ?? {};
  return { ...tuning, retry: { ...tuning?.retry, minBytesPerSecond } };
}
