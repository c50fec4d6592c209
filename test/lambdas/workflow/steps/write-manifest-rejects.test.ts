// WriteManifest under badValues "null": the manifest lists each Parquet object's rejects object and
// sums the rejected values; nulled values are still rows, so rows = records holds; a listed rejects
// object that is gone fails the window like any listed object; ValuesRejected counts the window's.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { manifestKey } from '../../../../lambdas/window/keys';
import { writeManifest } from '../../../../lambdas/workflow/steps/write-manifest';
import { DAY1, exportDefinition, seedJobRecord, stepWorld } from './support/step-world';

const STEM = '20260101T000000Z_20260102T000000Z';
const RAW = `raw/acts/dt=2026-01-01/${STEM}.csv`;
const PARQUET = `curated/acts/dt=2026-01-01/${STEM}-0001.parquet`;
const REJECTS = `curated/acts_rejects/dt=2026-01-01/${STEM}-0001.parquet`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
// ConvertSplit staged both; the publish reads them back and checks their SHA-256.
const rejects = { key: REJECTS, uri: `memory://test-bucket/${REJECTS}`, bytes: 3, sha256: sha256('rrr'), rows: 2 };

function event() {
  return {
    export: 'acts',
    window: DAY1,
    job: { id: 'fake-1', enqueued: true },
    poll: {
      state: 'succeeded',
      providerStatus: 'succeeded',
      files: [],
      fileCount: 1,
      records: 5,
      count: 1,
      waitSeconds: 1,
      waitedSeconds: 1,
    },
    files: [
      {
        index: 1,
        key: RAW,
        uri: `memory://test-bucket/${RAW}`,
        format: 'csv' as const,
        bytes: 10,
        sha256: 'a'.repeat(64),
        records: 5,
        header: ['id'],
        expectedSha256: null,
        expectedBytes: null,
        expectedRecords: 5,
        splits: [{ index: 0, start: 3, end: 10 }],
        curated: [
          {
            split: 0,
            key: PARQUET,
            uri: `memory://test-bucket/${PARQUET}`,
            rows: 5,
            bytes: 4,
            sha256: sha256('pppp'),
            rejects,
          },
        ],
      },
    ],
    runStartedAt: '2026-01-03T04:00:00Z',
  };
}

function landedWorld() {
  const world = stepWorld({ exports: [exportDefinition({ badValues: 'null' })] });
  world.store.seed(RAW, 'r'.repeat(10), 'text/csv');
  world.store.seed(`staging/${PARQUET}`, 'pppp');
  world.store.seed(`staging/${REJECTS}`, 'rrr');
  seedJobRecord(world, DAY1, { id: 'fake-1', enqueued: true });
  return world;
}

describe('WriteManifest with rejects', () => {
  it('lists the rejects object beside its Parquet object and the window total; counts ValuesRejected', async () => {
    const world = landedWorld();
    await writeManifest(event(), world.rt);
    const manifest = world.store.json(manifestKey('acts', DAY1)) as {
      manifestVersion: number;
      rejectedValues: number;
      records: { counted: number; curated: number };
      files: { curated: { rejects?: unknown }[] }[];
    };
    expect(manifest.manifestVersion).toBe(2);
    expect(manifest.rejectedValues).toBe(2);
    expect(manifest.records).toMatchObject({ counted: 5, curated: 5 });
    expect(manifest.files[0]!.curated[0]!.rejects).toEqual(rejects);
    // Published with its split; nothing stays staged.
    expect(world.store.keys()).toContain(REJECTS);
    expect(world.store.keys().filter((k) => k.startsWith('staging/'))).toEqual([]);
    world.metrics.flush();
    expect(
      world.metrics
        .emitted()
        .filter((m) => m.name === 'ValuesRejected')
        .map((m) => m.value),
    ).toEqual([2]);
  });

  it('fails like for any listed object when the rejects object is gone', async () => {
    const world = landedWorld();
    await world.store.deleteObject(`staging/${REJECTS}`);
    await expect(writeManifest(event(), world.rt)).rejects.toMatchObject({
      name: 'SizeMismatchError',
      message: expect.stringContaining(`staging/${REJECTS} is gone`),
    });
  });
});
