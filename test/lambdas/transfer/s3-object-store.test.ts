import { Readable } from 'node:stream';
import { HeadObjectCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeEach, expect, it } from 'vitest';
import { PreconditionFailedError, SizeMismatchError } from '../../../lambdas/shared/errors';
import { S3ObjectStore } from '../../../lambdas/transfer/s3-object-store';
import { describeWithMoto, freshBucket, motoS3Client } from '../../support/moto';

const MIB = 1024 * 1024;

describeWithMoto('S3ObjectStore (moto_server)', () => {
  let client: S3Client;
  let bucket: string;
  let store: S3ObjectStore;

  beforeEach(async () => {
    client = motoS3Client();
    bucket = await freshBucket(client);
    store = new S3ObjectStore({ bucket, client, serverSideEncryption: 'AES256', listPartsPageSize: 1 });
  });

  async function pendingUploads(): Promise<number> {
    const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    return out.Uploads?.length ?? 0;
  }

  it('completes a multipart upload from parts listed over several pages, with encryption honoured', async () => {
    const a = Buffer.alloc(5 * MIB, 'a');
    const b = Buffer.alloc(5 * MIB, 'b');
    const c = Buffer.from('tail');
    const { uploadId } = await store.createUpload('raw/x/file.csv', 'text/csv');
    await store.uploadPart('raw/x/file.csv', uploadId, 1, a, a.length);
    // A streamed body with ContentLength, as a caller without a buffer would send it.
    await store.uploadPart(
      'raw/x/file.csv',
      uploadId,
      2,
      Readable.from([b.subarray(0, MIB), b.subarray(MIB)]),
      b.length,
    );
    await store.uploadPart('raw/x/file.csv', uploadId, 3, c, c.length);
    expect(await store.listPendingUploads('raw/')).toEqual([{ key: 'raw/x/file.csv', uploadId }]);

    // One part per ListParts page: completion has to follow NextPartNumberMarker through 3 pages.
    const done = await store.completeUpload('raw/x/file.csv', uploadId, {
      parts: 3,
      bytes: a.length + b.length + c.length,
    });
    expect(done).toEqual({ parts: 3, bytes: 10 * MIB + 4, alreadyCompleted: false });
    const got = await store.getObject('raw/x/file.csv');
    expect(got?.body.equals(Buffer.concat([a, b, c]))).toBe(true);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'raw/x/file.csv' }));
    expect(head.ServerSideEncryption).toBe('AES256');
    expect(head.ContentType).toBe('text/csv');
    expect(await pendingUploads()).toBe(0);

    // A finish retried after its completion went through finds the object and succeeds again.
    expect(await store.completeUpload('raw/x/file.csv', uploadId, { parts: 3, bytes: 10 * MIB + 4 })).toMatchObject({
      alreadyCompleted: true,
    });
    await expect(store.completeUpload('raw/x/file.csv', uploadId, { parts: 3, bytes: 1 })).rejects.toThrow(
      /no longer exists/,
    );
  });

  it('refuses to complete when parts are missing or hold other bytes than expected, leaving the upload to abort', async () => {
    const { uploadId } = await store.createUpload('k.csv', 'text/csv');
    await store.uploadPart('k.csv', uploadId, 1, Buffer.alloc(5 * MIB), 5 * MIB);
    await store.uploadPart('k.csv', uploadId, 3, Buffer.from('x'), 1);
    await expect(store.completeUpload('k.csv', uploadId, { parts: 3, bytes: 5 * MIB + 2 })).rejects.toThrow(
      SizeMismatchError,
    );
    await expect(store.completeUpload('k.csv', uploadId, { parts: 1, bytes: 5 })).rejects.toThrow(SizeMismatchError);
    expect(await pendingUploads()).toBe(1);
    await store.abortUpload('k.csv', uploadId);
    await store.abortUpload('k.csv', uploadId);
    expect(await pendingUploads()).toBe(0);
    expect(await store.headObject('k.csv')).toBeUndefined();
  });

  it('completes an upload of one empty part (a 0-byte file) and reads heads of objects', async () => {
    const { uploadId } = await store.createUpload('empty.csv', 'text/csv');
    await store.uploadPart('empty.csv', uploadId, 1, Buffer.alloc(0), 0);
    await store.completeUpload('empty.csv', uploadId, { parts: 1, bytes: 0 });
    expect(await store.headObject('empty.csv')).toEqual({ size: 0 });
    expect(await store.readHead('empty.csv', 100)).toEqual(Buffer.alloc(0));
    await store.putObject('small.txt', 'hello world', 'text/plain');
    expect((await store.readHead('small.txt', 5))?.toString()).toBe('hello');
    expect(await store.readHead('missing', 5)).toBeUndefined();
    expect(await store.getObject('missing')).toBeUndefined();
    await store.deleteObject('small.txt');
    expect(await store.headObject('small.txt')).toBeUndefined();
  });

  it('honours If-None-Match and If-Match on puts (moto 5.2.1 implements both)', async () => {
    const first = await store.putObject('state/wm.json', '{"v":1}', 'application/json', { ifNoneMatch: '*' });
    expect(first.etag).toBeDefined();
    await expect(store.putObject('state/wm.json', '{"v":2}', 'application/json', { ifNoneMatch: '*' })).rejects.toThrow(
      PreconditionFailedError,
    );
    await expect(
      store.putObject('state/wm.json', '{"v":2}', 'application/json', { ifMatch: '"not-it"' }),
    ).rejects.toThrow(PreconditionFailedError);
    await expect(
      store.putObject('state/other.json', '{}', 'application/json', { ifMatch: '"not-it"' }),
    ).rejects.toThrow(PreconditionFailedError);
    const current = await store.getObject('state/wm.json');
    expect(current?.etag).toBe(first.etag);
    const second = await store.putObject('state/wm.json', '{"v":2}', 'application/json', {
      ifMatch: current?.etag ?? '',
    });
    expect(second.etag).not.toBe(first.etag);
    expect((await store.getObject('state/wm.json'))?.body.toString()).toBe('{"v":2}');
  });

  it('copies an object server-side to a key with = and : in it (publishing staged Parquet), and names a missing source', async () => {
    const staged = 'staging/x/20261101T000000Z_20261102T000000Z-0001.parquet';
    const published = 'curated/x/dt=2026-11-01/20261101T000000Z_20261102T000000Z-0001.parquet';
    await store.putObject(staged, 'PAR1', 'application/octet-stream');
    await store.copyObject(staged, published);
    expect((await store.getObject(published))?.body.toString()).toBe('PAR1');
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: published }));
    expect(head.ServerSideEncryption).toBe('AES256');
    await expect(store.copyObject('staging/missing', 'curated/y')).rejects.toThrow(/staging\/missing does not exist/);
  });

  it('lists pending uploads by prefix across pages of keys', async () => {
    const ids: string[] = [];
    for (const key of ['raw/a/1.csv', 'raw/a/2.csv', 'raw/b/1.csv'])
      ids.push((await store.createUpload(key, 'text/csv')).uploadId);
    const listed = await store.listPendingUploads('raw/a/');
    expect(listed.map((u) => u.key).sort()).toEqual(['raw/a/1.csv', 'raw/a/2.csv']);
    expect(await store.listPendingUploads('manifests/')).toEqual([]);
    expect(store.description).toBe(`s3://${bucket}`);
  });
});
