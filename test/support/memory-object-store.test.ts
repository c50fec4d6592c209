// The memory store keeps the S3 rules the steps rely on (the step tests move real multipart transfers
// through it: test/lambdas/workflow/steps/transfer-steps.test.ts).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PreconditionFailedError, SizeMismatchError } from '../../lambdas/shared/errors';
import { MIN_PART_SIZE } from '../../lambdas/transfer/part-size';
import { MemoryObjectStore } from './memory-object-store';

describe('MemoryObjectStore', () => {
  it('assembles parts 1..n in order; a re-sent part replaces the earlier one; a retried completion finds the object', async () => {
    const store = new MemoryObjectStore();
    const key = 'raw/e/dt=2026-01-01/a_b.csv';
    const { uploadId } = await store.createUpload(key, 'text/csv');
    const big = Buffer.alloc(MIN_PART_SIZE, 'a');
    await store.uploadPart(key, uploadId, 2, Readable.from([Buffer.from('tail')]), 4);
    await store.uploadPart(key, uploadId, 1, Buffer.alloc(MIN_PART_SIZE, 'x'), MIN_PART_SIZE);
    await store.uploadPart(key, uploadId, 1, big, MIN_PART_SIZE);
    expect(await store.listKeys('raw/')).toEqual([]);
    expect(await store.listPendingUploads('raw/e/')).toEqual([{ key, uploadId }]);

    const expected = { parts: 2, bytes: MIN_PART_SIZE + 4 };
    expect(await store.completeUpload(key, uploadId, expected)).toEqual({ ...expected, alreadyCompleted: false });
    const got = await store.getObject(key);
    expect(got?.body.equals(Buffer.concat([big, Buffer.from('tail')]))).toBe(true);
    expect(got?.etag).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect(store.contentType(key)).toBe('text/csv');
    expect(await store.listPendingUploads('')).toEqual([]);
    expect(await store.completeUpload(key, uploadId, expected)).toEqual({ ...expected, alreadyCompleted: true });
    expect(await store.readHead(key, 3)).toEqual(Buffer.from('aaa'));
    expect(await store.headObject(key)).toEqual({ size: MIN_PART_SIZE + 4 });
  });

  it('refuses what S3 refuses: a missing part, a small part before the last, a size other than expected, a wrong length', async () => {
    const store = new MemoryObjectStore();
    const { uploadId } = await store.createUpload('k', 'text/csv');
    await expect(store.uploadPart('k', uploadId, 1, Buffer.from('abc'), 4)).rejects.toBeInstanceOf(SizeMismatchError);
    await store.uploadPart('k', uploadId, 2, Buffer.from('abc'), 3);
    await expect(store.completeUpload('k', uploadId, { parts: 2, bytes: 3 })).rejects.toThrow(/missing part 1/);
    await store.uploadPart('k', uploadId, 1, Buffer.from('small'), 5);
    await expect(store.completeUpload('k', uploadId)).rejects.toThrow(/EntityTooSmall/);
    await expect(store.completeUpload('k', uploadId, { parts: 1, bytes: 6 })).rejects.toBeInstanceOf(SizeMismatchError);
    // Refusals leave the upload open for the caller to abort; aborting is idempotent.
    expect(await store.listPendingUploads('k')).toHaveLength(1);
    await store.abortUpload('k', uploadId);
    await store.abortUpload('k', uploadId);
    await expect(store.uploadPart('k', uploadId, 3, Buffer.from('x'), 1)).rejects.toThrow(/NoSuchUpload/);
    await expect(store.completeUpload('k', uploadId, { parts: 1, bytes: 5 })).rejects.toThrow(/no longer exists/);
    expect(await store.headObject('k')).toBeUndefined();
  });

  it('conditional puts compare ETags: If-None-Match on an existing key and If-Match on a changed or missing one fail', async () => {
    const store = new MemoryObjectStore();
    const first = await store.putObject('state/w.json', '{"v":1}', 'application/json', { ifNoneMatch: '*' });
    await expect(
      store.putObject('state/w.json', '{"v":1}', 'application/json', { ifNoneMatch: '*' }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    const second = await store.putObject('state/w.json', '{"v":2}', 'application/json', { ifMatch: first.etag! });
    expect(second.etag).not.toBe(first.etag);
    await expect(
      store.putObject('state/w.json', '{"v":3}', 'application/json', { ifMatch: first.etag! }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(
      store.putObject('state/other.json', '{}', 'application/json', { ifMatch: first.etag! }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(store.json('state/w.json')).toEqual({ v: 2 });
    expect((await store.getObject('state/w.json'))?.etag).toBe(second.etag);
  });

  it('lists complete objects under a prefix, sorted; deletes idempotently; missing objects read as undefined', async () => {
    const store = new MemoryObjectStore();
    for (const key of ['raw/e/b.csv', 'raw/e/a.csv', 'raw/f/c.csv', 'manifests/e/a.json'])
      await store.putObject(key, 'x', 'text/plain');
    await store.createUpload('raw/e/c.csv', 'text/csv');
    expect(await store.listKeys('raw/e/')).toEqual(['raw/e/a.csv', 'raw/e/b.csv']);
    await store.deleteObject('raw/e/a.csv');
    await store.deleteObject('raw/e/a.csv');
    expect(await store.listKeys('raw/')).toEqual(['raw/e/b.csv', 'raw/f/c.csv']);
    expect(await store.getObject('raw/e/a.csv')).toBeUndefined();
    expect(await store.readHead('raw/e/a.csv', 10)).toBeUndefined();
    expect(await store.readHead('raw/e/b.csv', 0)).toEqual(Buffer.alloc(0));
  });

  it('logs every call and injects failures on demand', async () => {
    const store = new MemoryObjectStore();
    store.failNext('listKeys', new Error('boom'), { keyPrefix: 'raw/' });
    await expect(store.listKeys('manifests/')).resolves.toEqual([]);
    await expect(store.listKeys('raw/')).rejects.toThrow('boom');
    await expect(store.listKeys('raw/')).resolves.toEqual([]);
    expect(store.calls).toEqual([
      { op: 'listKeys', key: 'manifests/' },
      { op: 'listKeys', key: 'raw/' },
      { op: 'listKeys', key: 'raw/' },
    ]);
  });
});
