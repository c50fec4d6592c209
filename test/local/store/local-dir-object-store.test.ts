import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PreconditionFailedError, SizeMismatchError, ValidationError } from '../../../lambdas/shared/errors';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';

async function tree(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).map((p) => p.split('\\').join('/')).sort();
}

describe('LocalDirObjectStore', () => {
  let root: string;
  let store: LocalDirObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'local-store-'));
    store = new LocalDirObjectStore({ root });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stages parts in a hidden directory beside the target and renames the whole file into place', async () => {
    const key = 'raw/acts/dt=2024-01-01/a_b.csv';
    const { uploadId } = await store.createUpload(key, 'text/csv');
    await store.uploadPart(key, uploadId, 2, Readable.from([Buffer.from('world')]), 5);
    await store.uploadPart(key, uploadId, 1, Buffer.from('hello '), 6);
    const staged = await tree(root);
    // Nothing at the key yet, and everything staged is under a name Athena skips.
    expect(staged).not.toContain('raw/acts/dt=2024-01-01/a_b.csv');
    expect(staged).toContain(`raw/acts/dt=2024-01-01/.upload-${uploadId}/part-00001`);
    expect(await store.listPendingUploads('raw/acts/')).toEqual([{ key, uploadId }]);

    expect(await store.completeUpload(key, uploadId, { parts: 2, bytes: 11 })).toEqual({
      parts: 2,
      bytes: 11,
      alreadyCompleted: false,
    });
    expect(await readFile(join(root, key), 'utf8')).toBe('hello world');
    expect(await tree(root)).toEqual(['raw', 'raw/acts', 'raw/acts/dt=2024-01-01', 'raw/acts/dt=2024-01-01/a_b.csv']);
    expect(await store.listPendingUploads('')).toEqual([]);
    expect(await store.completeUpload(key, uploadId, { parts: 2, bytes: 11 })).toMatchObject({
      alreadyCompleted: true,
    });
    expect(store.description).toMatch(/^file:\/\//);
  });

  it('refuses parts whose length differs from the announced one, and incomplete uploads', async () => {
    const { uploadId } = await store.createUpload('k.csv', 'text/csv');
    await expect(store.uploadPart('k.csv', uploadId, 1, Readable.from([Buffer.from('abc')]), 4)).rejects.toThrow(
      SizeMismatchError,
    );
    await expect(store.uploadPart('k.csv', uploadId, 1, Buffer.from('abc'), 4)).rejects.toThrow(SizeMismatchError);
    await store.uploadPart('k.csv', uploadId, 2, Buffer.from('abc'), 3);
    await expect(store.completeUpload('k.csv', uploadId, { parts: 2, bytes: 3 })).rejects.toThrow(/missing part 1/);
    expect((await tree(root)).filter((p) => p.endsWith('.tmp'))).toEqual([]);
  });

  it('aborts by removing everything, and aborting twice is fine', async () => {
    const { uploadId } = await store.createUpload('a/b.csv', 'text/csv');
    await store.uploadPart('a/b.csv', uploadId, 1, Buffer.from('x'), 1);
    await store.abortUpload('a/b.csv', uploadId);
    await store.abortUpload('a/b.csv', uploadId);
    expect(await tree(root)).toEqual(['a']);
    await expect(store.uploadPart('a/b.csv', uploadId, 2, Buffer.from('x'), 1)).rejects.toThrow(/does not exist/);
    expect(await store.headObject('a/b.csv')).toBeUndefined();
  });

  it('does conditional puts on a SHA-256 ETag, one at a time per key', async () => {
    const first = await store.putObject('state/wm.json', '{"v":1}', 'application/json', { ifNoneMatch: '*' });
    await expect(store.putObject('state/wm.json', '{}', 'application/json', { ifNoneMatch: '*' })).rejects.toThrow(
      PreconditionFailedError,
    );
    await expect(store.putObject('state/wm.json', '{}', 'application/json', { ifMatch: '"x"' })).rejects.toThrow(
      PreconditionFailedError,
    );
    expect((await store.getObject('state/wm.json'))?.etag).toBe(first.etag);
    // Two writers racing with the same expected ETag: exactly one wins.
    const results = await Promise.allSettled([
      store.putObject('state/wm.json', '{"v":2}', 'application/json', { ifMatch: first.etag ?? '' }),
      store.putObject('state/wm.json', '{"v":3}', 'application/json', { ifMatch: first.etag ?? '' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof PreconditionFailedError)).toHaveLength(
      1,
    );
    expect((await tree(root)).filter((p) => p.includes('.tmp'))).toEqual([]);
  });

  it('reads objects, heads and sizes, and deletes', async () => {
    await store.putObject('m/x.json', Buffer.from('0123456789'), 'application/json');
    expect(await store.headObject('m/x.json')).toEqual({ size: 10 });
    expect((await store.readHead('m/x.json', 4))?.toString()).toBe('0123');
    expect(await store.headObject('m')).toBeUndefined();
    expect(await store.getObject('m/nope')).toBeUndefined();
    expect(await store.readHead('m/nope', 4)).toBeUndefined();
    await store.deleteObject('m/x.json');
    await store.deleteObject('m/x.json');
    expect(await store.headObject('m/x.json')).toBeUndefined();
  });

  it('copies an object whole into place under another key, and names a missing source', async () => {
    await store.putObject('staging/x/a.parquet', 'PAR1', 'application/octet-stream');
    await store.copyObject('staging/x/a.parquet', 'curated/x/dt=2026-11-01/a.parquet');
    expect((await store.getObject('curated/x/dt=2026-11-01/a.parquet'))?.body.toString()).toBe('PAR1');
    expect(await store.listKeys('curated/')).toEqual(['curated/x/dt=2026-11-01/a.parquet']);
    await expect(store.copyObject('staging/missing', 'curated/y')).rejects.toThrow(/staging\/missing does not exist/);
  });

  it('refuses keys that would escape the root or collide with staging', async () => {
    for (const key of ['../x', 'a/../../x', '/abs', 'a//b', 'a/.upload-1/b', '']) {
      await expect(store.putObject(key, 'x', 'text/plain'), key).rejects.toThrow(ValidationError);
    }
  });
});
