// openRead on both stores: a whole object or an exact byte range as a stream, never a short one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import type { ObjectStore } from '../../../lambdas/transfer/object-store';
import { S3ObjectStore } from '../../../lambdas/transfer/s3-object-store';
import { describeWithMoto, freshBucket, motoS3Client } from '../../support/moto';

async function drain(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function exercise(store: ObjectStore): Promise<void> {
  const key = 'raw/e/dt=2026-11-01/a_b.csv';
  const body = 'h1,h2\n1,"a\nb"\n2,c\n';
  await store.putObject(key, body, 'text/csv');

  expect(await drain(await store.openRead(key))).toBe(body);
  expect(await drain(await store.openRead(key, { start: 6, endExclusive: 14 }))).toBe('1,"a\nb"\n');
  expect(await drain(await store.openRead(key, { start: 14, endExclusive: body.length }))).toBe('2,c\n');
  expect(await drain(await store.openRead(key, { start: body.length, endExclusive: body.length }))).toBe('');

  await expect(store.openRead(key, { start: 10, endExclusive: body.length + 1 })).rejects.toMatchObject({
    name: 'RangeMismatchError',
  });
  await expect(store.openRead(key, { start: body.length + 1, endExclusive: body.length + 5 })).rejects.toMatchObject({
    name: 'RangeMismatchError',
  });
  await expect(store.openRead(key, { start: 5, endExclusive: 4 })).rejects.toMatchObject({
    name: 'RangeMismatchError',
  });
  await expect(store.openRead('raw/e/missing.csv')).rejects.toThrow();
  await expect(store.openRead('raw/e/missing.csv', { start: 0, endExclusive: 0 })).rejects.toThrow();
}

describe('LocalDirObjectStore.openRead', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'open-read-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  it('streams the whole object or exactly the asked range', () => exercise(new LocalDirObjectStore({ root })));
});

describeWithMoto('S3ObjectStore.openRead', () => {
  it('streams the whole object or exactly the asked range', async () => {
    const client = motoS3Client();
    await exercise(new S3ObjectStore({ bucket: await freshBucket(client), client }));
  });
});
