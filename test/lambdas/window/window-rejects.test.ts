// A split's rejects object is part of its window: its key is the split's stem under the
// `<export>_rejects` table, the manifest lists it (an optional field: still version 2), and whatever
// replaces or takes down a window (a landing re-run, an overlapping window of another grain, the undo of
// a window that did not land) replaces or takes down its rejects too, while a landed window's stay.
import { describe, expect, it } from 'vitest';
import { curatedRejectsKey, curatedSplitKey, manifestKey, windowPrefixes } from '../../../lambdas/window/keys';
import {
  MANIFEST_VERSION,
  listedObjects,
  manifestText,
  parseManifest,
  type Manifest,
} from '../../../lambdas/window/manifest';
import { overlappingWindowObjects, unlistedObjects } from '../../../lambdas/window/supersede';
import { cleanupWindow } from '../../../lambdas/workflow/steps/cleanup-window';
import { MemoryObjectStore } from '../../support/memory-object-store';
import { manifestFixture } from '../../support/manifest-fixture';
import { DAY1, EXECUTION, seedJobRecord, stepWorld } from '../workflow/steps/support/step-world';

const STEM = '20260101T000000Z_20260102T000000Z';
const RAW = `raw/acts/dt=2026-01-01/${STEM}.csv`;
const PARQUET = `curated/acts/dt=2026-01-01/${STEM}-0001.parquet`;
const REJECTS = `curated/acts_rejects/dt=2026-01-01/${STEM}-0001.parquet`;

function withRejects(): Manifest {
  const manifest = manifestFixture({ files: [{ key: RAW, bytes: 10, curated: [{ key: PARQUET, bytes: 4 }] }] });
  manifest.files[0]!.curated[0]!.rejects = {
    key: REJECTS,
    uri: `memory://b/${REJECTS}`,
    bytes: 3,
    sha256: 'c'.repeat(64),
    rows: 2,
  };
  return { ...manifest, rejectedValues: 2 };
}

describe('rejects objects of a window', () => {
  it("have the split's stem under curated/<export>_rejects/, a prefix of the window's", () => {
    const file = { index: 2 };
    expect(curatedRejectsKey('acts', DAY1, { index: 1 }, 1, 0)).toBe(REJECTS);
    expect(curatedRejectsKey('acts', DAY1, file, 3, 4)).toBe(
      curatedSplitKey('acts', DAY1, file, 3, 4).replace('curated/acts/', 'curated/acts_rejects/'),
    );
    expect(windowPrefixes('acts', DAY1).some((p) => REJECTS.startsWith(p))).toBe(true);
    // Never below the export's own table location: Athena would read them as its rows.
    expect(REJECTS.startsWith('curated/acts/')).toBe(false);
  });

  it('are listed by the manifest, which stays version 2 and still reads without them', () => {
    const manifest = withRejects();
    expect(parseManifest(JSON.parse(manifestText(manifest)))).toEqual(manifest);
    expect(manifest.manifestVersion).toBe(MANIFEST_VERSION);
    expect(MANIFEST_VERSION).toBe(2);
    expect(listedObjects(manifest)).toEqual(
      new Map([
        [RAW, 10],
        [PARQUET, 4],
        [REJECTS, 3],
      ]),
    );
    const plain = manifestFixture({ files: [{ key: RAW, bytes: 10, curated: [{ key: PARQUET, bytes: 4 }] }] });
    expect(parseManifest(JSON.parse(manifestText(plain)))).toEqual(plain);
  });

  it('a landing re-run supersedes the rejects its manifest does not list; another grain takes them down', async () => {
    const store = new MemoryObjectStore('b');
    for (const key of [RAW, PARQUET, REJECTS, `staging/${REJECTS}`]) store.seed(key, 'x');
    expect((await unlistedObjects(store, 'acts', DAY1, new Set([RAW, PARQUET]))).sort()).toEqual(
      [REJECTS, `staging/${REJECTS}`].sort(),
    );

    store.seed(manifestKey('acts', DAY1), manifestText(withRejects()), 'application/json');
    const week = { start: '2025-12-29T00:00:00Z', end: '2026-01-05T00:00:00Z' };
    const overlapping = await overlappingWindowObjects(store, 'acts', week);
    expect(overlapping.windows).toEqual([DAY1]);
    // What readers see first (the rejects and the Parquet), then the raw file, the manifest last.
    expect(overlapping.keys).toEqual([REJECTS, PARQUET, RAW, manifestKey('acts', DAY1)]);
  });

  it('the undo removes the rejects of a window that did not land, and keeps those of an intact landed one', async () => {
    const world = stepWorld();
    const failed = { Error: 'UntypeableValueError', Cause: 'x' };
    seedJobRecord(world, DAY1, { id: 'job-1' }, { executionId: EXECUTION });
    for (const key of [RAW, PARQUET, REJECTS]) world.store.seed(key, 'x');
    // (The job's record is the job's business: this test looks at the window's objects.)
    const windowKeys = () => world.store.keys().filter((k) => !k.startsWith('state/'));
    await cleanupWindow({ export: 'acts', window: DAY1, error: failed, executionId: EXECUTION }, world.rt);
    expect(windowKeys()).toEqual([]);

    const landed = withRejects();
    world.store.seed(RAW, 'r'.repeat(10));
    world.store.seed(PARQUET, 'pppp');
    world.store.seed(REJECTS, 'rrr');
    world.store.seed(manifestKey('acts', DAY1), manifestText(landed), 'application/json');
    seedJobRecord(world, DAY1, { id: 'job-2' }, { executionId: EXECUTION });
    await cleanupWindow({ export: 'acts', window: DAY1, error: failed, executionId: EXECUTION }, world.rt);
    expect(windowKeys()).toEqual([manifestKey('acts', DAY1), PARQUET, RAW, REJECTS].sort());
  });
});
