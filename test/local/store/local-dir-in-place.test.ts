// The local store's in-place layout: with a stated part size, parts land at their offsets of one
// hidden file that completion renames (no second copy of any byte), nothing is visible before then,
// and whatever does not fit the layout still assembles correctly by copying.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';

const KEY = 'raw/acts/dt=2024-01-01/a_b.csv';
const DIR = 'raw/acts/dt=2024-01-01';

async function tree(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).map((p) => p.split('\\').join('/')).sort();
}

describe('LocalDirObjectStore, parts written in place', () => {
  let root: string;
  let store: LocalDirObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'local-in-place-'));
    store = new LocalDirObjectStore({ root });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes parts at their offsets, in any order, and completes by renaming that very file', async () => {
    const { uploadId } = await store.createUpload(KEY, 'text/csv', { partSize: 4 });
    await store.uploadPart(KEY, uploadId, 3, Buffer.from('ij'), 2);
    await store.uploadPart(KEY, uploadId, 1, Buffer.from('abcd'), 4);
    await store.uploadPart(KEY, uploadId, 2, Buffer.from('efgh'), 4);
    const staging = `${DIR}/.upload-${uploadId}`;
    const staged = await tree(root);
    expect(staged.filter((p) => /\/part-\d{5}$/.test(p))).toEqual([]);
    expect(staged).toContain(`${staging}/object`);
    expect(await store.headObject(KEY)).toBeUndefined();
    expect(await store.listKeys('raw/')).toEqual([]);
    const inode = (await stat(join(root, staging, 'object'))).ino;

    expect(await store.completeUpload(KEY, uploadId, { parts: 3, bytes: 10 })).toEqual({
      parts: 3,
      bytes: 10,
      alreadyCompleted: false,
    });
    expect(await readFile(join(root, KEY), 'utf8')).toBe('abcdefghij');
    expect((await stat(join(root, KEY))).ino).toBe(inode);
    expect(await tree(root)).toEqual(['raw', 'raw/acts', DIR, KEY]);
    expect(await store.completeUpload(KEY, uploadId, { parts: 3, bytes: 10 })).toMatchObject({
      alreadyCompleted: true,
    });
  });

  it('leaves re-sent higher parts out of the object', async () => {
    const { uploadId } = await store.createUpload(KEY, 'text/csv', { partSize: 4 });
    for (const [n, text] of [
      [1, 'abcd'],
      [2, 'efgh'],
      [3, 'ijkl'],
    ] as const)
      await store.uploadPart(KEY, uploadId, n, Buffer.from(text), 4);
    await store.uploadPart(KEY, uploadId, 2, Buffer.from('EF'), 2);
    expect(await store.completeUpload(KEY, uploadId, { parts: 2, bytes: 6 })).toMatchObject({ parts: 2, bytes: 6 });
    expect(await readFile(join(root, KEY), 'utf8')).toBe('abcdEF');
  });

  it('copies when parts do not fit the layout: a larger part, a stream, a short middle part', async () => {
    const { uploadId } = await store.createUpload(KEY, 'text/csv', { partSize: 4 });
    await store.uploadPart(KEY, uploadId, 1, Buffer.from('abcdef'), 6);
    await store.uploadPart(KEY, uploadId, 2, Readable.from([Buffer.from('gh')]), 2);
    await store.uploadPart(KEY, uploadId, 3, Buffer.from('ij'), 2);
    await store.uploadPart(KEY, uploadId, 4, Buffer.from('klmn'), 4);
    expect(await store.completeUpload(KEY, uploadId, { parts: 4, bytes: 14 })).toMatchObject({ parts: 4, bytes: 14 });
    expect(await readFile(join(root, KEY), 'utf8')).toBe('abcdefghijklmn');
    expect(await tree(root)).toEqual(['raw', 'raw/acts', DIR, KEY]);
  });

  it('re-sending a part switches it between in place and staged, the latest copy counts', async () => {
    const { uploadId } = await store.createUpload(KEY, 'text/csv', { partSize: 4 });
    await store.uploadPart(KEY, uploadId, 1, Readable.from([Buffer.from('xxxx')]), 4);
    await store.uploadPart(KEY, uploadId, 1, Buffer.from('abcd'), 4);
    await store.uploadPart(KEY, uploadId, 2, Buffer.from('ef'), 2);
    expect((await tree(root)).filter((p) => /\/part-\d{5}$/.test(p))).toEqual([]);
    await store.completeUpload(KEY, uploadId, { parts: 2, bytes: 6 });
    expect(await readFile(join(root, KEY), 'utf8')).toBe('abcdef');
  });

  it('a part whose writer died before its marker is missing, never half there', async () => {
    const { uploadId } = await store.createUpload(KEY, 'text/csv', { partSize: 4 });
    await store.uploadPart(KEY, uploadId, 1, Buffer.from('abcd'), 4);
    await store.uploadPart(KEY, uploadId, 2, Buffer.from('ef'), 2);
    await rm(join(root, DIR, `.upload-${uploadId}`, 'part-00002.slot'));
    await expect(store.completeUpload(KEY, uploadId, { parts: 2, bytes: 6 })).rejects.toThrow(/missing part 2/);
    expect(await store.headObject(KEY)).toBeUndefined();
  });

  it('aborts by removing everything, the in-place file included', async () => {
    const { uploadId } = await store.createUpload(KEY, 'text/csv', { partSize: 4 });
    await store.uploadPart(KEY, uploadId, 1, Buffer.from('abcd'), 4);
    await store.abortUpload(KEY, uploadId);
    expect(await tree(root)).toEqual(['raw', 'raw/acts', DIR]);
    expect(await store.listPendingUploads('')).toEqual([]);
    await expect(store.uploadPart(KEY, uploadId, 2, Buffer.from('x'), 1)).rejects.toThrow(/does not exist/);
    // A fresh store (another process) knows nothing cached and still refuses.
    await expect(new LocalDirObjectStore({ root }).uploadPart(KEY, uploadId, 2, Buffer.from('x'), 1)).rejects.toThrow(
      /does not exist/,
    );
  });
});
