// listKeys on both stores: only complete, visible objects under the prefix (never staging files).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import type { ObjectStore } from '../../../lambdas/transfer/object-store';
import { S3ObjectStore } from '../../../lambdas/transfer/s3-object-store';
import { describeWithMoto, freshBucket, motoS3Client } from '../../support/moto';

async function exercise(store: ObjectStore): Promise<void> {
  await store.putObject('raw/e/dt=2026-11-01/a_b.csv', 'x', 'text/csv');
  await store.putObject('raw/e/dt=2026-11-01/a_b_2.csv', 'y', 'text/csv');
  await store.putObject('raw/e/dt=2026-11-02/c_d.csv', 'z', 'text/csv');
  await store.putObject('manifests/e/a_b.json', '{}', 'application/json');
  // An upload in progress is not an object.
  const { uploadId } = await store.createUpload('raw/e/dt=2026-11-01/a_b_3.csv', 'text/csv');
  await store.uploadPart('raw/e/dt=2026-11-01/a_b_3.csv', uploadId, 1, Buffer.from('partial'), 7);

  expect(await store.listKeys('raw/e/dt=2026-11-01/a_b')).toEqual([
    'raw/e/dt=2026-11-01/a_b.csv',
    'raw/e/dt=2026-11-01/a_b_2.csv',
  ]);
  expect(await store.listKeys('raw/e/')).toHaveLength(3);
  expect(await store.listKeys('raw/none/')).toEqual([]);
  await store.abortUpload('raw/e/dt=2026-11-01/a_b_3.csv', uploadId);
}

describe('LocalDirObjectStore.listKeys', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'keys-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  it('lists complete objects only', () => exercise(new LocalDirObjectStore({ root })));
});

describeWithMoto('S3ObjectStore.listKeys', () => {
  it('lists complete objects only, across pages', async () => {
    const client = motoS3Client();
    await exercise(new S3ObjectStore({ bucket: await freshBucket(client), client }));
  });
});
