import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StreamingObjectUpload } from '../../../lambdas/curated/object-upload';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import type { ObjectStore } from '../../../lambdas/transfer/object-store';

const root = mkdtempSync(path.join(tmpdir(), 'upload-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Records the part sizes the upload sends. */
function recordingStore(): { store: ObjectStore; partSizes: number[] } {
  const inner = new LocalDirObjectStore({ root });
  const partSizes: number[] = [];
  const store = Object.assign(Object.create(inner) as ObjectStore, {
    uploadPart: (key: string, uploadId: string, n: number, body: Buffer, length: number) => {
      partSizes.push(length);
      return inner.uploadPart(key, uploadId, n, body, length);
    },
  });
  return { store, partSizes };
}

describe('StreamingObjectUpload', () => {
  it('sends fixed-size parts (the last one shorter) and reports the bytes and sha256 of the whole', async () => {
    const { store, partSizes } = recordingStore();
    const upload = new StreamingObjectUpload(store, 'curated/a.parquet', 'application/octet-stream', 10);
    const pieces = [Buffer.from('abc'), Buffer.from('defghijklmnopqrstuvw'), Buffer.alloc(0), Buffer.from('xyz0123')];
    for (const p of pieces) await upload.append(p);
    const done = await upload.complete();
    const whole = Buffer.concat(pieces);
    expect(partSizes).toEqual([10, 10, 10]);
    expect(done).toEqual({
      key: 'curated/a.parquet',
      bytes: whole.length,
      sha256: createHash('sha256').update(whole).digest('hex'),
    });
    expect((await store.getObject('curated/a.parquet'))?.body.equals(whole)).toBe(true);
  });

  it('an object smaller than a part is one part; abort leaves no object and no pending upload', async () => {
    const { store, partSizes } = recordingStore();
    const small = new StreamingObjectUpload(store, 'curated/b.parquet', 'application/octet-stream', 10);
    await small.append(Buffer.from('tiny'));
    await small.complete();
    expect(partSizes).toEqual([4]);

    const aborted = new StreamingObjectUpload(store, 'curated/c.parquet', 'application/octet-stream', 4);
    await aborted.append(Buffer.from('0123456789'));
    await aborted.abort();
    expect(await store.listKeys('curated/c')).toEqual([]);
    expect(await store.listPendingUploads('curated/c')).toEqual([]);
  });
});
