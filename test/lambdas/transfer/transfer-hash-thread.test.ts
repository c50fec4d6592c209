// The same transfer hashed and counted on worker threads and on the main thread: identical cursors (hash state
// included) at every invocation, so either can resume the other's file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { httpRangeOpener } from '../../../lambdas/transfer/http-range-opener';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import { PartWorkers } from '../../../lambdas/transfer/part-workers';
import { makeActivityCsv } from './support/activity-csv';
import { startRangeSource } from './support/range-source-server';
import { beginTransfer, finishTransfer, transferChunk } from '../../../lambdas/transfer/transfer-file';
import { MIB, TEST_TUNING, runChunks, runTransfer, sha256Hex } from './support/transfer-harness';

describe('where parts are hashed', () => {
  const roots: string[] = [];
  const worker = new PartWorkers({ thread: 'worker' });
  afterAll(async () => {
    await worker.close();
    await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
  });

  async function freshStore(): Promise<LocalDirObjectStore> {
    const root = await mkdtemp(join(tmpdir(), 'hash-thread-'));
    roots.push(root);
    return new LocalDirObjectStore({ root });
  }

  it('gives the same cursors on a worker thread as on the main thread, and a verified file', async () => {
    const { data, records } = makeActivityCsv({ size: 12 * MIB + 777, seed: 11 });
    const source = await startRangeSource(data);
    try {
      const openRange = httpRangeOpener(source.url);
      const off = await runTransfer(
        { store: await freshStore(), openRange, file: { size: data.length }, threads: worker },
        { size: data.length, sha256: sha256Hex(data), records },
      );
      const on = await runChunks({
        store: await freshStore(),
        openRange,
        file: { size: data.length },
        threads: new PartWorkers({ thread: 'main' }),
      });
      expect(off.metrics.offThreadHashMs).toBeGreaterThan(0);
      expect(off.metrics.offThreadCountMs).toBeGreaterThan(0);
      expect(on.metrics.offThreadHashMs + on.metrics.offThreadCountMs).toBe(0);
      expect(off.cursors.length).toBeGreaterThanOrEqual(3);
      const strip = (c: { uploadId: string }) => ({ ...c, uploadId: '' });
      expect(off.cursors.map(strip)).toEqual(on.cursors.map(strip));
      expect(off.result.sha256).toBe(sha256Hex(data));
    } finally {
      await source.close();
    }
  });

  it('resumes on a worker a file begun on the main thread, and the other way round', async () => {
    const { data, records } = makeActivityCsv({ size: 11 * MIB, seed: 12 });
    const source = await startRangeSource(data);
    try {
      const openRange = httpRangeOpener(source.url);
      const store = await freshStore();
      const main = new PartWorkers({ thread: 'main' });
      const file = { size: data.length };
      let cursor = await beginTransfer(
        store,
        { key: 'raw/acts/dt=2024-01-01/file.csv', contentType: 'text/csv' },
        file,
        { partSize: 5 * MIB },
      );
      const tuning = { ...TEST_TUNING, maxBytesPerInvocation: 1 };
      const threads: PartWorkers[] = [main, worker, main];
      for (const t of threads)
        cursor = await transferChunk(
          { store, openRange, tuning, hashing: t, counting: t },
          file,
          cursor,
          Date.now() + 10 * 60_000,
        );
      expect(cursor.done).toBe(true);
      const result = await finishTransfer(store, { size: data.length, sha256: sha256Hex(data), records }, cursor);
      expect(result.invocations).toBe(3);
      expect((await store.getObject(result.key))?.body.equals(data)).toBe(true);
    } finally {
      await source.close();
    }
  });
});
