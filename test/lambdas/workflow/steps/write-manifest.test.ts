// WriteManifest without moto: the manifest lists exactly what landed (raw and curated), only when it is
// all still there and the curated rows add up; it removes a window's objects it does not list, retires
// windows of another grain it overlaps, and retires the window's job record.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RecordCountMismatchError, SizeMismatchError } from '../../../../lambdas/shared/errors';
import { jobRecordKey, manifestKey, publishIntentKey, stagedKey } from '../../../../lambdas/window/keys';
import { writeManifest } from '../../../../lambdas/workflow/steps/write-manifest';
import { DAY1, seedJobRecord, stepWorld, type StepWorld } from './support/step-world';

const STEM = '20260101T000000Z_20260102T000000Z';
const KEY1 = `raw/acts/dt=2026-01-01/${STEM}_1.csv`;
const KEY2 = `raw/acts/dt=2026-01-01/${STEM}_2.csv`;

const PARQUET1 = `curated/acts/dt=2026-01-01/${STEM}_1-0001.parquet`;
const PARQUET2 = `curated/acts/dt=2026-01-01/${STEM}_2-0001.parquet`;
const BYTES1 = 'pq01';
const BYTES2 = 'pq02pq02';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const SHA1 = sha(BYTES1);
const SHA2 = sha(BYTES2);

function fileResult(index: number, key: string, bytes: number, verified: boolean, rows = index * 10) {
  const parquet = index === 1 ? PARQUET1 : PARQUET2;
  return {
    index,
    key,
    uri: `memory://test-bucket/${key}`,
    format: 'csv' as const,
    bytes,
    sha256: String(index).repeat(64),
    records: index * 10,
    header: ['id', 'at'],
    expectedSha256: verified ? String(index).repeat(64) : null,
    expectedBytes: verified ? bytes : null,
    expectedRecords: null,
    splits: [{ index: 0, start: 6, end: bytes }],
    curated: [
      {
        split: 0,
        key: parquet,
        uri: `memory://test-bucket/${parquet}`,
        rows,
        bytes: 4 * index,
        sha256: index === 1 ? SHA1 : SHA2,
      },
    ],
  };
}

function manifestEvent(files: ReturnType<typeof fileResult>[]) {
  return {
    export: 'acts',
    window: DAY1,
    job: { id: 'fake-1', enqueued: true, createdAt: '2026-01-03T04:00:00Z' },
    poll: {
      state: 'succeeded',
      providerStatus: 'succeeded',
      files: [],
      fileCount: files.length,
      records: 30,
      count: 4,
      waitSeconds: 1,
      waitedSeconds: 240,
    },
    files,
    runStartedAt: '2026-01-03T04:00:00Z',
  };
}

/** The window as FinishFile left it: two files and the job record. */
function landed(world: StepWorld): void {
  world.store.seed(KEY1, 'a'.repeat(10), 'text/csv');
  world.store.seed(KEY2, 'b'.repeat(20), 'text/csv');
  // ConvertSplit staged them: WriteManifest publishes them.
  world.store.seed(stagedKey(PARQUET1), BYTES1, 'application/vnd.apache.parquet');
  world.store.seed(stagedKey(PARQUET2), BYTES2, 'application/vnd.apache.parquet');
  seedJobRecord(world, DAY1, { id: 'fake-1', enqueued: true });
}

describe('WriteManifest', () => {
  it('writes one manifest for the window (files in index order), retires the job record and returns the summary', async () => {
    const world = stepWorld();
    landed(world);
    // Map iterations finish in any order.
    const summary = await writeManifest(
      manifestEvent([fileResult(2, KEY2, 20, false), fileResult(1, KEY1, 10, true)]),
      world.rt,
    );
    const key = manifestKey('acts', DAY1);
    expect(summary).toEqual({
      outcome: 'landed',
      window: DAY1,
      jobId: 'fake-1',
      manifest: `memory://test-bucket/${key}`,
      files: [
        {
          uri: `memory://test-bucket/${KEY1}`,
          key: KEY1,
          bytes: 10,
          sha256: '1'.repeat(64),
          records: 10,
          verified: { bytes: true, sha256: true, records: false },
          curated: [{ uri: `memory://test-bucket/${PARQUET1}`, key: PARQUET1, bytes: 4, sha256: SHA1, rows: 10 }],
        },
        {
          uri: `memory://test-bucket/${KEY2}`,
          key: KEY2,
          bytes: 20,
          sha256: '2'.repeat(64),
          records: 20,
          verified: { bytes: false, sha256: false, records: false },
          curated: [{ uri: `memory://test-bucket/${PARQUET2}`, key: PARQUET2, bytes: 8, sha256: SHA2, rows: 20 }],
        },
      ],
      records: 30,
      bytes: 30,
    });
    expect(world.store.json(key)).toEqual({
      manifestVersion: 2,
      export: 'acts',
      provider: 'marketo',
      dataset: 'activities',
      window: DAY1,
      job: { id: 'fake-1', createdAt: '2026-01-03T04:00:00Z', providerStatus: 'succeeded', polls: 4 },
      files: [
        {
          key: KEY1,
          uri: `memory://test-bucket/${KEY1}`,
          bytes: 10,
          sha256: '1'.repeat(64),
          records: 10,
          columns: ['id', 'at'],
          verified: { bytes: true, sha256: true, records: false },
          curated: [{ key: PARQUET1, uri: `memory://test-bucket/${PARQUET1}`, bytes: 4, sha256: SHA1, rows: 10 }],
        },
        {
          key: KEY2,
          uri: `memory://test-bucket/${KEY2}`,
          bytes: 20,
          sha256: '2'.repeat(64),
          records: 20,
          columns: ['id', 'at'],
          verified: { bytes: false, sha256: false, records: false },
          curated: [{ key: PARQUET2, uri: `memory://test-bucket/${PARQUET2}`, bytes: 8, sha256: SHA2, rows: 20 }],
        },
      ],
      records: { counted: 30, provider: 30, curated: 30 },
      bytes: 30,
      timings: { runStartedAt: '2026-01-03T04:00:00Z', finishedAt: '2026-01-03T05:00:00.000Z' },
    });
    expect(world.store.text(jobRecordKey('acts', DAY1))).toBeUndefined();
  });

  it.each([
    ['gone', (world: StepWorld) => world.store.deleteObject(KEY2), /is gone/],
    ['rewritten at another size', (world: StepWorld) => world.store.putObject(KEY2, 'short', 'text/csv'), /is 5 bytes/],
  ])(
    'a file another run %s fails the window: no manifest, the record kept for Cleanup',
    async (_what, change, message) => {
      const world = stepWorld();
      landed(world);
      await change(world);
      const write = writeManifest(
        manifestEvent([fileResult(1, KEY1, 10, true), fileResult(2, KEY2, 20, true)]),
        world.rt,
      );
      await expect(write).rejects.toBeInstanceOf(SizeMismatchError);
      await expect(write).rejects.toThrow(message);
      expect(world.store.text(manifestKey('acts', DAY1))).toBeUndefined();
      expect(world.store.text(jobRecordKey('acts', DAY1))).toBeDefined();
    },
  );

  it("removes the window's objects that the manifest does not list (an earlier run made more files), and nothing else", async () => {
    const world = stepWorld();
    landed(world);
    const stale = `raw/acts/dt=2026-01-01/${STEM}_3.csv`;
    const otherWindow = 'raw/acts/dt=2026-01-02/20260102T000000Z_20260103T000000Z.csv';
    world.store.seed(stale, 'old', 'text/csv');
    world.store.seed(otherWindow, 'next day', 'text/csv');
    const staleParquet = `curated/acts/dt=2026-01-01/${STEM}_3-0001.parquet`;
    world.store.seed(staleParquet, 'old', 'application/vnd.apache.parquet');
    await writeManifest(manifestEvent([fileResult(1, KEY1, 10, true), fileResult(2, KEY2, 20, true)]), world.rt);
    expect(await world.store.listKeys('raw/')).toEqual([KEY1, KEY2, otherWindow]);
    expect(await world.store.listKeys('curated/')).toEqual([PARQUET1, PARQUET2]);
    expect(world.logger.lines.filter((l) => l.level === 'warn').map((l) => l.fields?.key)).toEqual([
      stale,
      staleParquet,
    ]);
  });

  it('retires every window of another grain that this one overlaps: the same records are never readable twice', async () => {
    const world = stepWorld();
    landed(world);
    // An earlier run with an hourly grain landed 01:00–02:00 of the same day; a weekly one started the day before.
    const hour = { stem: '20260101T010000Z_20260101T020000Z', day: '2026-01-01' };
    const week = { stem: '20251229T000000Z_20260105T000000Z', day: '2025-12-29' };
    const nextDay = { stem: '20260102T000000Z_20260103T000000Z', day: '2026-01-02' };
    for (const w of [hour, week, nextDay]) {
      world.store.seed(`raw/acts/dt=${w.day}/${w.stem}.csv`, 'x', 'text/csv');
      world.store.seed(`curated/acts/dt=${w.day}/${w.stem}-0001.parquet`, 'y', 'application/vnd.apache.parquet');
      world.store.seed(`manifests/acts/${w.stem}.json`, '{}', 'application/json');
    }
    await writeManifest(manifestEvent([fileResult(1, KEY1, 10, true), fileResult(2, KEY2, 20, true)]), world.rt);
    expect(await world.store.listKeys('curated/')).toEqual([
      `curated/acts/dt=2026-01-01/${STEM}_1-0001.parquet`,
      `curated/acts/dt=2026-01-01/${STEM}_2-0001.parquet`,
      `curated/acts/dt=${nextDay.day}/${nextDay.stem}-0001.parquet`,
    ]);
    expect(await world.store.listKeys('raw/')).toEqual([KEY1, KEY2, `raw/acts/dt=${nextDay.day}/${nextDay.stem}.csv`]);
    expect(await world.store.listKeys('manifests/')).toEqual([
      manifestKey('acts', DAY1),
      `manifests/acts/${nextDay.stem}.json`,
    ]);
  });

  it('fails the window, writing no manifest, when the Parquet rows do not add up to the records counted', async () => {
    const world = stepWorld();
    landed(world);
    const write = writeManifest(
      manifestEvent([fileResult(1, KEY1, 10, true, 9), fileResult(2, KEY2, 20, true)]),
      world.rt,
    );
    await expect(write).rejects.toBeInstanceOf(RecordCountMismatchError);
    await expect(write).rejects.toThrow(`${KEY1}: 9 rows written to Parquet, 10 records counted in the raw file`);
    expect(world.store.text(manifestKey('acts', DAY1))).toBeUndefined();
  });

  it("fails the window when its records differ from the provider's count for the job", async () => {
    const world = stepWorld();
    landed(world);
    const event = manifestEvent([fileResult(1, KEY1, 10, true), fileResult(2, KEY2, 20, true)]);
    const write = writeManifest({ ...event, poll: { ...event.poll, records: 31 } }, world.rt);
    await expect(write).rejects.toThrow(/30 records landed, marketo announced 31/);
    expect(world.store.text(manifestKey('acts', DAY1))).toBeUndefined();
  });

  it('a Parquet object another run removed fails the window too', async () => {
    const world = stepWorld();
    landed(world);
    await world.store.deleteObject(stagedKey(PARQUET2));
    await expect(
      writeManifest(manifestEvent([fileResult(1, KEY1, 10, true), fileResult(2, KEY2, 20, true)]), world.rt),
    ).rejects.toThrow(`${stagedKey(PARQUET2)} is gone`);
    expect(await world.store.listKeys('curated/')).toEqual([]);
    expect(world.store.text(publishIntentKey('acts', DAY1))).toBeUndefined();
  });

  it('a window whose job produced no file gets a manifest with no files', async () => {
    const world = stepWorld();
    seedJobRecord(world, DAY1, { id: 'fake-1', enqueued: true });
    const event = manifestEvent([]);
    const summary = await writeManifest({ ...event, poll: { ...event.poll, records: 0 } }, world.rt);
    expect(summary).toMatchObject({ files: [], records: 0, bytes: 0 });
    expect(world.store.json(manifestKey('acts', DAY1))).toMatchObject({
      files: [],
      records: { counted: 0, provider: 0 },
    });
  });

  it('a malformed event is refused naming the field, and nothing is written', async () => {
    const world = stepWorld();
    await expect(writeManifest({ ...manifestEvent([]), runStartedAt: undefined }, world.rt)).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'runStartedAt',
    });
    expect(world.store.calls).toEqual([]);
  });
});
