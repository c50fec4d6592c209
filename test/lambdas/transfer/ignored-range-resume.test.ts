// A source that ignores Range and drops the connection before the invocation stored a part: the
// invocation reads again from its cursor (where the skipped bytes are checked) instead of failing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { httpRangeOpener } from '../../../lambdas/transfer/http-range-opener';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import { beginTransfer, finishTransfer, transferChunk } from '../../../lambdas/transfer/transfer-file';
import { makeActivityCsv } from './support/activity-csv';
import { startRangeSource } from './support/range-source-server';
import { MIB, TEST_TUNING, sha256Hex } from './support/transfer-harness';

it('re-reads from the cursor once when a resume mid-part meets a source ignoring Range', async () => {
  const { data, records } = makeActivityCsv({ size: 11 * MIB, seed: 5 });
  const root = await mkdtemp(join(tmpdir(), 'ignored-range-'));
  const source = await startRangeSource(data, { ignoreRange: true });
  try {
    const store = new LocalDirObjectStore({ root });
    const openRange = httpRangeOpener(source.url);
    const file = { size: data.length };
    const tuning = { ...TEST_TUNING, maxBytesPerInvocation: 1 };
    const deadline = () => Date.now() + 10 * 60_000;
    let cursor = await beginTransfer(store, { key: 'raw/x/dt=2024-01-01/f.csv', contentType: 'text/csv' }, file, {
      partSize: 5 * MIB,
    });
    cursor = await transferChunk({ store, openRange, tuning }, file, cursor, deadline());
    expect(cursor.offset).toBe(5 * MIB);
    // The next invocation's only part is cut at 7 MiB; the resume gets the whole file again.
    source.faults.resetAtOffsets = [7 * MIB];
    const requestsBefore = source.requests.length;
    cursor = await transferChunk({ store, openRange, tuning }, file, cursor, deadline());
    expect(cursor.offset).toBe(10 * MIB);
    expect(source.requests.length - requestsBefore).toBe(3);
    expect(cursor.rangeRequests).toBe(source.requests.length);
    expect(cursor.invocations).toBe(2);
    while (!cursor.done) cursor = await transferChunk({ store, openRange, tuning }, file, cursor, deadline());
    const result = await finishTransfer(store, { size: data.length, sha256: sha256Hex(data), records }, cursor);
    expect((await store.getObject(result.key))?.body.equals(data)).toBe(true);
  } finally {
    await source.close();
    await rm(root, { recursive: true, force: true });
  }
});
