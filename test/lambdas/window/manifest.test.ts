// The manifest's one schema: what WriteManifest writes reads back equal, and a manifest of a version
// this code does not know is refused by name, never half-read.
import { describe, expect, it } from 'vitest';
import {
  MANIFEST_VERSION,
  ManifestSchema,
  UnknownManifestVersionError,
  listedObjects,
  parseManifest,
  putManifest,
  readManifest,
} from '../../../lambdas/window/manifest';
import { MemoryObjectStore } from '../../support/memory-object-store';
import { manifestFixture } from '../../support/manifest-fixture';

const KEY = 'manifests/acts/20260101T000000Z_20260102T000000Z.json';
const RAW = 'raw/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z.csv';
const PARQUET = 'curated/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z-0001.parquet';

describe('window manifest', () => {
  it('write → read round trip: the manifest read back is the one written', async () => {
    const store = new MemoryObjectStore('test-bucket');
    const written = {
      ...manifestFixture({ files: [{ key: RAW, bytes: 10, curated: [{ key: PARQUET, bytes: 4 }] }] }),
      source: 'simulator',
    };
    await putManifest(store, KEY, written);
    expect(await readManifest(store, KEY)).toEqual(written);
    expect(listedObjects(written)).toEqual(
      new Map([
        [RAW, 10],
        [PARQUET, 4],
      ]),
    );
  });

  it('refuses a manifest of an unknown version by name, and one without a version', () => {
    const newer = { ...manifestFixture({ files: [] }), manifestVersion: MANIFEST_VERSION + 1 };
    expect(() => parseManifest(newer)).toThrow(UnknownManifestVersionError);
    expect(() => parseManifest(newer)).toThrow(expect.objectContaining({ name: 'UnknownManifestVersionError' }));
    expect(() => parseManifest({ files: [] })).toThrow(UnknownManifestVersionError);
  });

  it('reading: none is undefined, an unreadable one of our version is undefined, an unknown version throws', async () => {
    const store = new MemoryObjectStore('test-bucket');
    expect(await readManifest(store, KEY)).toBeUndefined();
    store.seed(KEY, 'not json', 'application/json');
    expect(await readManifest(store, KEY)).toBeUndefined();
    store.seed(KEY, JSON.stringify({ manifestVersion: MANIFEST_VERSION, files: 'none' }), 'application/json');
    expect(await readManifest(store, KEY)).toBeUndefined();
    store.seed(KEY, JSON.stringify({ manifestVersion: 99 }), 'application/json');
    await expect(readManifest(store, KEY)).rejects.toBeInstanceOf(UnknownManifestVersionError);
  });

  it('a manifest that does not fit the schema is not written', async () => {
    const store = new MemoryObjectStore('test-bucket');
    const broken = { ...manifestFixture({ files: [] }), bytes: -1 };
    expect(ManifestSchema.safeParse(broken).success).toBe(false);
    await expect(putManifest(store, KEY, broken)).rejects.toThrow();
    expect(store.keys()).toEqual([]);
  });
});
