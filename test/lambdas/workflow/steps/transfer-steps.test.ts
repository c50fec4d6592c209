// BeginFile → TransferChunk… → FinishFile without moto: the fake provider's bytes into the memory
// store, through JSON between invocations as Step Functions carries them.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { JobRef, RemoteFile } from '../../../../lambdas/providers/types';
import {
  ChecksumMismatchError,
  RecordCountMismatchError,
  TransferStalledError,
} from '../../../../lambdas/shared/errors';
import { MIB } from '../../../../lambdas/transfer/part-size';
import { rawFileKey } from '../../../../lambdas/window/keys';
import {
  beginFile,
  finishFile,
  MAX_STALLED_INVOCATIONS,
  transferFileChunk,
  type TransferState,
} from '../../../../lambdas/workflow/steps/transfer-steps';
import { csvBytes, type FakeFile } from '../../../support/fake-provider';
import { DAY1, stepWorld, type StepWorld, type StepWorldOptions } from './support/step-world';

const ROWS = csvBytes(
  ['id', 'at'],
  [
    ['1', 'a'],
    ['2', 'b'],
    ['3', 'c'],
  ],
);

/** A CSV of about `bytes` bytes with a header and `records` known. */
function bigCsv(bytes: number): { bytes: Buffer; records: number } {
  const line = 'x'.repeat(99);
  const records = Math.ceil(bytes / 100);
  return { bytes: Buffer.from(`h\n${`${line}\n`.repeat(records)}`), records };
}

async function succeededJob(
  world: StepWorld,
  files: FakeFile[],
  records?: number,
): Promise<{ job: JobRef; files: RemoteFile[] }> {
  world.provider.scriptNextJob({ state: 'succeeded', files, ...(records !== undefined ? { records } : {}) });
  const started = await world.provider.startJob(DAY1, { format: 'csv' });
  if (started.kind !== 'started') throw new Error('not started');
  const status = await world.provider.checkJob(started.job, 0);
  return { job: started.job, files: [...status.files] };
}

function fileTask(job: JobRef, file: RemoteFile, fileCount: number, jobRecords: number | null) {
  return { export: 'acts', window: DAY1, job, file, fileCount, jobRecords };
}

const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

async function moveFile(world: StepWorld, task: ReturnType<typeof fileTask>, between?: (invocation: number) => void) {
  let state: TransferState = viaJson(await beginFile(task, world.rt));
  let invocations = 0;
  while (!state.cursor.done) {
    if (invocations >= 20) throw new Error('too many invocations');
    between?.(invocations);
    state = viaJson(await transferFileChunk({ ...task, transfer: state }, world.rt));
    invocations += 1;
  }
  return { state, invocations, result: await finishFile({ ...task, transfer: state }, world.rt) };
}

describe('transfer steps', () => {
  it('BeginFile opens an upload at the window key; the chunks and FinishFile land the verified file there', async () => {
    const world = stepWorld();
    const { job, files } = await succeededJob(world, [{ bytes: ROWS }], 3);
    const file = files[0]!;
    const task = fileTask(job, file, 1, 3);
    const key = rawFileKey('acts', DAY1, file, 1);
    expect(key).toBe('raw/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z.csv');

    const begun = await beginFile(task, world.rt);
    expect(begun.cursor).toMatchObject({ key, offset: 0, done: false });
    expect(await world.store.listPendingUploads('raw/acts/')).toEqual([{ key, uploadId: begun.cursor.uploadId }]);
    await world.store.abortUpload(key, begun.cursor.uploadId);

    const { result } = await moveFile(world, task);
    expect(result).toEqual({
      index: 1,
      key,
      uri: `memory://test-bucket/${key}`,
      bytes: ROWS.length,
      sha256: createHash('sha256').update(ROWS).digest('hex'),
      records: 3,
      format: 'csv',
      header: ['id', 'at'],
      expectedSha256: file.sha256,
      expectedBytes: ROWS.length,
      expectedRecords: 3,
      // One split from the end of the header to the end of the file: small files are converted whole.
      splits: [{ index: 0, start: ROWS.indexOf('\n') + 1, end: ROWS.length }],
    });
    expect((await world.store.getObject(key))?.body.equals(ROWS)).toBe(true);
    expect(world.store.contentType(key)).toBe('text/csv; charset=utf-8');
    expect(await world.store.listPendingUploads('')).toEqual([]);
  });

  it('a job with several files names them _1, _2…; a file the provider states nothing about is still counted', async () => {
    const world = stepWorld();
    const { job, files } = await succeededJob(world, [
      { bytes: ROWS },
      { bytes: ROWS, statedSize: false, statedSha256: false, format: 'tsv' },
    ]);
    const second = files[1]!;
    const { result } = await moveFile(world, fileTask(job, second, 2, null));
    expect(result.key).toBe('raw/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z_2.tsv');
    expect(result).toMatchObject({
      index: 2,
      bytes: ROWS.length,
      records: 3,
      expectedSha256: null,
      expectedBytes: null,
    });
  });

  it('a file larger than one invocation moves crosses several, part by part, byte for byte', async () => {
    const world = stepWorld({ transferTuning: { maxBytesPerInvocation: 1 } } satisfies StepWorldOptions);
    const csv = bigCsv(17 * MIB);
    const { job, files } = await succeededJob(world, [{ bytes: csv.bytes }], csv.records);
    const { invocations, result, state } = await moveFile(world, fileTask(job, files[0]!, 1, csv.records));
    // 8 MiB parts, one per invocation, then one that only sees the end.
    expect(invocations).toBeGreaterThanOrEqual(3);
    expect(state.cursor.nextPartNumber - 1).toBe(3);
    expect(result).toMatchObject({ bytes: csv.bytes.length, records: csv.records });
    expect((await world.store.getObject(result.key))?.body.equals(csv.bytes)).toBe(true);
    expect(world.progress.filter((p) => p.step === 'TransferChunk' && p.message).length).toBe(invocations);
  });

  it('a source that ignores Range still lands the file', async () => {
    const world = stepWorld({ transferTuning: { maxBytesPerInvocation: 1 } });
    const csv = bigCsv(9 * MIB);
    const { job, files } = await succeededJob(world, [{ bytes: csv.bytes, honoursRange: false }], csv.records);
    const { invocations, result } = await moveFile(world, fileTask(job, files[0]!, 1, csv.records));
    expect(invocations).toBeGreaterThanOrEqual(2);
    expect((await world.store.getObject(result.key))?.body.equals(csv.bytes)).toBe(true);
  });

  it('an expired link is refreshed once and the fresh link is handed on to later chunks', async () => {
    const world = stepWorld({ transferTuning: { maxBytesPerInvocation: 1 } });
    const csv = bigCsv(9 * MIB);
    const { job, files } = await succeededJob(world, [{ bytes: csv.bytes }], csv.records);
    const original = files[0]!;
    const { state, result } = await moveFile(world, fileTask(job, original, 1, csv.records), (n) => {
      if (n === 1) world.provider.expireLinks();
    });
    expect(world.provider.count('refresh')).toBe(1);
    expect(state.file.source).not.toEqual(original.source);
    expect((await world.store.getObject(result.key))?.body.equals(csv.bytes)).toBe(true);
  });

  it(`invocations that store nothing are counted; the ${MAX_STALLED_INVOCATIONS}rd in a row fails the file`, async () => {
    const world = stepWorld();
    const { job, files } = await succeededJob(world, [{ bytes: ROWS }], 3);
    const task = fileTask(job, files[0]!, 1, 3);
    const begun = await beginFile(task, world.rt);
    // Less than a minute left of the Lambda: not even one part may start.
    const first = await transferFileChunk({ ...task, transfer: begun }, world.rt, 30_000);
    expect(first).toMatchObject({ stalled: 1, cursor: { offset: 0, done: false } });
    const second = await transferFileChunk({ ...task, transfer: first }, world.rt, 30_000);
    expect(second.stalled).toBe(2);
    await expect(transferFileChunk({ ...task, transfer: second }, world.rt, 30_000)).rejects.toBeInstanceOf(
      TransferStalledError,
    );
    // Progress resets the count.
    const moved = await transferFileChunk({ ...task, transfer: first }, world.rt);
    expect(moved).toMatchObject({ cursor: { done: true } });
    expect(moved.stalled).toBeUndefined();
  });

  it('FinishFile refuses bytes that do not hash to the provider checksum, and nothing appears at the key', async () => {
    const world = stepWorld();
    const { job, files } = await succeededJob(world, [{ bytes: ROWS, statedSha256: '0'.repeat(64) }], 3);
    await expect(moveFile(world, fileTask(job, files[0]!, 1, 3))).rejects.toBeInstanceOf(ChecksumMismatchError);
    expect(world.store.keys()).toEqual([]);
    expect(await world.store.listPendingUploads('')).toEqual([]);
  });

  it('the provider record count is checked when the job has one file, and only then', async () => {
    const world = stepWorld();
    const one = await succeededJob(world, [{ bytes: ROWS }], 4);
    await expect(moveFile(world, fileTask(one.job, one.files[0]!, 1, 4))).rejects.toBeInstanceOf(
      RecordCountMismatchError,
    );
    expect(world.store.keys()).toEqual([]);

    const two = await succeededJob(world, [{ bytes: ROWS }, { bytes: ROWS }], 4);
    await expect(moveFile(world, fileTask(two.job, two.files[0]!, 2, 4))).resolves.toMatchObject({
      result: { records: 3 },
    });
  });

  it('a malformed transfer state is refused naming the field', async () => {
    const world = stepWorld();
    const { job, files } = await succeededJob(world, [{ bytes: ROWS }], 3);
    const task = fileTask(job, files[0]!, 1, 3);
    await expect(transferFileChunk({ ...task, transfer: { file: task.file } }, world.rt)).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'transfer.cursor',
    });
    await expect(beginFile({ ...task, fileCount: 0 }, world.rt)).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'fileCount',
    });
  });
});
