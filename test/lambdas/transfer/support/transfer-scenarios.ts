// The transfer's behaviour, written once and run against each store (local directory, S3 on moto).
import { Readable } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  ChecksumMismatchError,
  ProviderApiError,
  RangeMismatchError,
  RecordCountMismatchError,
  SizeMismatchError,
  TransientApiError,
  ValidationError,
} from '../../../../lambdas/shared/errors';
import { httpRangeOpener } from '../../../../lambdas/transfer/http-range-opener';
import type { ObjectStore } from '../../../../lambdas/transfer/object-store';
import { EMPTY_SHA256 } from '../../../../lambdas/transfer/resumable-sha256';
import { MAX_CURSOR_CHARS } from '../../../../lambdas/transfer/transfer-cursor';
import {
  beginTransfer,
  finishTransfer,
  transferChunk,
  type OpenRange,
} from '../../../../lambdas/transfer/transfer-file';
import { ACTIVITY_HEADER, makeActivityCsv } from './activity-csv';
import { type RangeSource, type RangeSourceFaults, startRangeSource } from './range-source-server';
import { MIB, TEST_TUNING, digestAtCursor, runChunks, runTransfer, sha256Hex, simulatedTime } from './transfer-harness';

const KEY = 'raw/acts/dt=2024-01-01/file.csv';

export function transferScenarios(makeStore: () => Promise<ObjectStore>): void {
  let store: ObjectStore;
  const sources: RangeSource[] = [];

  beforeEach(async () => {
    store = await makeStore();
  });
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.close()));
  });

  async function serve(
    data: Buffer,
    faults: RangeSourceFaults = {},
  ): Promise<{ source: RangeSource; openRange: OpenRange }> {
    const source = await startRangeSource(data, faults);
    sources.push(source);
    return { source, openRange: httpRangeOpener(source.url) };
  }

  async function stored(key = KEY): Promise<Buffer | undefined> {
    return (await store.getObject(key))?.body;
  }

  async function expectNothingLeft(key = KEY): Promise<void> {
    expect(await store.headObject(key)).toBeUndefined();
    expect(await store.listPendingUploads('')).toEqual([]);
  }

  it('moves a file over several invocations, one range request each, byte for byte, with its SHA-256 and records', async () => {
    const { data, records } = makeActivityCsv({ size: 16 * MIB + 12_345, seed: 7 });
    const { source, openRange } = await serve(data);
    const { cursors, result, metrics } = await runTransfer(
      { store, openRange, file: { size: data.length } },
      { size: data.length, sha256: `sha256:${sha256Hex(data)}`, records },
    );
    expect(cursors.length - 1).toBeGreaterThanOrEqual(3);
    expect((await stored())?.equals(data)).toBe(true);
    expect(result).toMatchObject({
      key: KEY,
      bytes: data.length,
      sha256: sha256Hex(data),
      records,
      header: ACTIVITY_HEADER,
      parts: 4,
    });
    expect(result.uri).toBe(`${store.description}/${KEY}`);
    // Every intermediate cursor is small, holds no ETag, and its hash state is the hash of exactly its prefix.
    for (const c of cursors) {
      const json = JSON.stringify(c);
      expect(json.length).toBeLessThan(MAX_CURSOR_CHARS);
      expect(json).not.toMatch(/etag/i);
      expect(await digestAtCursor(c)).toBe(sha256Hex(data.subarray(0, c.offset)));
      expect(c.offset % (5 * MIB) === 0 || c.done).toBe(true);
    }
    expect(source.requests.map((r) => r.range)).toEqual(cursors.slice(0, -1).map((c) => `bytes=${c.offset}-`));
    expect(result.rangeRequests).toBe(source.requests.length);
    expect(metrics.bytesRead).toBeGreaterThan(data.length);
    expect(await store.listPendingUploads('')).toEqual([]);
  });

  it('never lets a file with the wrong checksum appear, and leaves no upload behind', async () => {
    const { data, records } = makeActivityCsv({ size: 6 * MIB, seed: 1 });
    const { openRange } = await serve(data);
    const { last } = await runChunks({ store, openRange, file: { size: data.length } });
    const wrong = sha256Hex(Buffer.from('something else'));
    await expect(finishTransfer(store, { size: data.length, sha256: wrong, records }, last)).rejects.toThrow(
      ChecksumMismatchError,
    );
    await expectNothingLeft();
  });

  it('never lets a file of the wrong size or record count appear', async () => {
    const { data, records } = makeActivityCsv({ size: 6 * MIB, seed: 2 });
    const { openRange } = await serve(data);
    const first = await runChunks({ store, openRange, file: {} });
    await expect(finishTransfer(store, { size: data.length + 1, sha256: sha256Hex(data) }, first.last)).rejects.toThrow(
      SizeMismatchError,
    );
    await expectNothingLeft();
    const second = await runChunks({ store, openRange, file: {} });
    await expect(finishTransfer(store, { records: records + 1 }, second.last)).rejects.toThrow(
      RecordCountMismatchError,
    );
    await expectNothingLeft();
  });

  it('stops at once when the source states another size than the provider announced', async () => {
    const { data } = makeActivityCsv({ size: 6 * MIB, seed: 3 });
    const { openRange } = await serve(data);
    await expect(runChunks({ store, openRange, file: { size: data.length + 10 } })).rejects.toThrow(SizeMismatchError);
    await expectNothingLeft();
  });

  it('stops reading a body larger than announced as soon as it passes the size, and stores nothing', async () => {
    const announced = 124_785;
    let sent = 0;
    // A source that states no total and never ends: only the announced size can stop it.
    const endless = async function* () {
      for (;;) {
        sent += 64 * 1024;
        yield Buffer.alloc(64 * 1024, 0x61);
      }
    };
    const openRange: OpenRange = async (range) => ({
      ranged: true,
      start: range.start,
      body: Readable.from(endless()),
    });
    await expect(runChunks({ store, openRange, file: { size: announced } })).rejects.toThrow(
      /sent more than the 124785 bytes announced/,
    );
    // Read at most one network chunk past the announced size, never the whole body.
    expect(sent).toBeLessThanOrEqual(announced + 2 * 64 * 1024);
    await expectNothingLeft();
  });

  it('resumes from the last byte received when the connection resets mid-range', async () => {
    const { data, records } = makeActivityCsv({ size: 12 * MIB, seed: 4 });
    const resets = [1 * MIB + 7, 3 * MIB + 11, 5 * MIB + 5, 11 * MIB];
    const { source, openRange } = await serve(data, { resetAtOffsets: [...resets] });
    const time = simulatedTime();
    const { result, metrics, cursors } = await runTransfer(
      { store, openRange, file: { size: data.length }, time, budgetMs: 60 * 60_000 },
      { size: data.length, sha256: sha256Hex(data), records },
    );
    expect(cursors.length - 1).toBe(1);
    expect((await stored())?.equals(data)).toBe(true);
    expect(result.records).toBe(records);
    expect(metrics.resumes).toBe(resets.length);
    // Each re-open starts at or before the reset point (never re-reading from a part boundary) and after the previous one.
    const starts = source.requests.map((r) => Number(/bytes=(\d+)-/.exec(r.range ?? '')?.[1]));
    expect(starts).toHaveLength(resets.length + 1);
    starts.slice(1).forEach((s, i) => {
      expect(s).toBeLessThanOrEqual(resets[i]!);
      expect(s).toBeGreaterThan(i === 0 ? 0 : resets[i - 1]!);
    });
    expect(time.clock.sleeps).toHaveLength(resets.length);
  });

  it('gives up after bounded attempts, as a transient error, when the source keeps failing', async () => {
    const { data } = makeActivityCsv({ size: 6 * MIB, seed: 5 });
    const { source, openRange } = await serve(data, { failWithStatus: 503 });
    await expect(runChunks({ store, openRange, file: { size: data.length } })).rejects.toThrow(TransientApiError);
    expect(source.requests).toHaveLength(5);

    source.faults = { resetEveryResponseAfterBytes: 1000 };
    source.requests.length = 0;
    const cutting = runChunks({
      store,
      openRange,
      file: { size: data.length },
      tuning: { ...TEST_TUNING, retry: { ...TEST_TUNING.retry, maxRequests: 8 } },
    });
    await expect(cutting).rejects.toThrow(TransientApiError);
    expect(source.requests).toHaveLength(8);

    source.faults = { failWithStatus: 404 };
    source.requests.length = 0;
    await expect(runChunks({ store, openRange, file: { size: data.length } })).rejects.toThrow(ProviderApiError);
    expect(source.requests).toHaveLength(1);
  });

  it('handles a source that ignores Range, skipping what it already has, over several invocations', async () => {
    const { data, records } = makeActivityCsv({ size: 12 * MIB + 3, seed: 6 });
    const { source, openRange } = await serve(data, { ignoreRange: true, resetAtOffsets: [7 * MIB] });
    const { result, cursors } = await runTransfer(
      { store, openRange, file: { size: data.length } },
      { size: data.length, sha256: sha256Hex(data), records },
    );
    expect(cursors.length - 1).toBeGreaterThanOrEqual(3);
    expect(source.requests.every((r) => r.status === 200)).toBe(true);
    expect((await stored())?.equals(data)).toBe(true);
    expect(result.records).toBe(records);
  });

  it('refuses a Content-Range that does not match the request and aborts the upload', async () => {
    const { data } = makeActivityCsv({ size: 6 * MIB, seed: 8 });
    const { openRange } = await serve(data, { wrongContentRange: true });
    await expect(runChunks({ store, openRange, file: { size: data.length } })).rejects.toThrow(RangeMismatchError);
    await expectNothingLeft();
  });

  it('refuses an opener that claims a range from another offset than asked', async () => {
    const { data } = makeActivityCsv({ size: 6 * MIB, seed: 9 });
    const { openRange } = await serve(data);
    const lying: OpenRange = async (range, signal) => ({ ...(await openRange(range, signal)), start: range.start + 1 });
    await expect(runChunks({ store, openRange: lying, file: { size: data.length } })).rejects.toThrow(
      RangeMismatchError,
    );
    await expectNothingLeft();
  });

  it('stores a 0-byte file, whether its size is known (no request at all) or found out', async () => {
    const { source, openRange } = await serve(Buffer.alloc(0));
    const known = await runTransfer(
      { store, openRange, file: { size: 0 }, key: 'raw/empty-known.csv' },
      { size: 0, sha256: EMPTY_SHA256, records: 0 },
    );
    expect(source.requests).toHaveLength(0);
    const unknown = await runTransfer(
      { store, openRange, file: {}, key: 'raw/empty-unknown.csv' },
      { sha256: EMPTY_SHA256 },
    );
    for (const { result } of [known, unknown])
      expect(result).toMatchObject({ bytes: 0, sha256: EMPTY_SHA256, records: 0, parts: 1 });
    expect(unknown.result.header).toBeUndefined();
    expect(await store.headObject('raw/empty-known.csv')).toEqual({ size: 0 });
    expect(await store.headObject('raw/empty-unknown.csv')).toEqual({ size: 0 });
    expect(await store.listPendingUploads('')).toEqual([]);
  });

  it('stores a file of exactly 5 MiB as one part and 5 MiB + 1 byte as two', async () => {
    for (const [size, parts] of [
      [5 * MIB, 1],
      [5 * MIB + 1, 2],
    ] as const) {
      const { data, records } = makeActivityCsv({ size, seed: size });
      const { openRange } = await serve(data);
      const key = `raw/exact-${size}.csv`;
      const { result } = await runTransfer(
        { store, openRange, file: { size }, key },
        { size, sha256: sha256Hex(data), records },
      );
      expect(result.parts).toBe(parts);
      expect((await stored(key))?.equals(data)).toBe(true);
    }
  });

  it('streams a file of unknown size until the end, whether or not the source states a total', async () => {
    const { data, records } = makeActivityCsv({ size: 11 * MIB + 99, seed: 10 });
    const hidden = await serve(data, { hideTotal: true });
    const a = await runTransfer(
      { store, openRange: hidden.openRange, file: {}, key: 'raw/hidden.csv' },
      { sha256: sha256Hex(data), records },
    );
    expect(a.cursors.length - 1).toBeGreaterThanOrEqual(3);
    expect(a.last.sourceSize).toBeUndefined();
    expect((await stored('raw/hidden.csv'))?.equals(data)).toBe(true);

    const told = await serve(data);
    const b = await runTransfer(
      { store, openRange: told.openRange, file: {}, key: 'raw/told.csv' },
      { size: data.length, sha256: sha256Hex(data), records },
    );
    expect(b.last.sourceSize).toBe(data.length);
    expect(b.result.bytes).toBe(data.length);
  });

  it('counts a quoted newline that straddles part and invocation boundaries once', async () => {
    const boundaries = [5 * MIB - 1, 10 * MIB];
    const { data, records } = makeActivityCsv({
      size: 12 * MIB,
      seed: 11,
      quotedNewlineAt: boundaries,
      trailingNewline: false,
    });
    expect(boundaries.map((b) => data[b])).toEqual([0x0a, 0x0a]);
    const { openRange } = await serve(data);
    const { result, cursors } = await runTransfer({ store, openRange, file: { size: data.length } }, { records });
    expect(cursors.some((c) => c.csv.inQuotes)).toBe(true);
    expect(result.records).toBe(records);
  });

  it('re-sends the part an invocation died in, and the object is still byte-identical', async () => {
    const { data, records } = makeActivityCsv({ size: 13 * MIB, seed: 12 });
    const { openRange } = await serve(data);
    let killed = false;
    const dying: ObjectStore = Object.create(store) as ObjectStore;
    dying.uploadPart = async (key, uploadId, partNumber, body, length) => {
      if (partNumber !== 2 || killed) return store.uploadPart(key, uploadId, partNumber, body, length);
      killed = true;
      // Half of part 2 is on its way when the invocation is gone.
      const half = Buffer.isBuffer(body) ? body.subarray(0, Math.floor(length / 2)) : Buffer.alloc(0);
      const cut = Readable.from(
        (function* () {
          yield half;
          throw new Error('invocation killed');
        })(),
      );
      return store.uploadPart(key, uploadId, partNumber, cut, length);
    };
    const begun = await beginTransfer(
      store,
      { key: KEY, contentType: 'text/csv' },
      { size: data.length },
      { partSize: 5 * MIB },
    );
    const time = simulatedTime();
    time.startInvocation(0);
    // Whatever this invocation returns is lost with it: the state machine still holds `begun`.
    await transferChunk(
      { store: dying, openRange, clock: time.clock, onProgress: time.onProgress, tuning: TEST_TUNING },
      { size: data.length },
      begun,
      time.nowMs() + 60 * 60_000,
    ).catch(() => undefined);
    expect(killed).toBe(true);
    const { last } = await runChunks({ store, openRange, file: { size: data.length } }, begun);
    const result = await finishTransfer(store, { size: data.length, sha256: sha256Hex(data), records }, last);
    expect(result.parts).toBe(3);
    expect((await stored())?.equals(data)).toBe(true);
    expect(await store.listPendingUploads('')).toEqual([]);
  });

  it('returns the parts it stored when an upload fails for good mid-invocation, then carries on', async () => {
    const { data, records } = makeActivityCsv({ size: 16 * MIB, seed: 13 });
    const { openRange } = await serve(data);
    let failures = 0;
    const flaky: ObjectStore = Object.create(store) as ObjectStore;
    flaky.uploadPart = async (key, uploadId, partNumber, body, length) => {
      if (partNumber === 3 && failures++ === 0) throw new TransientApiError('S3 UploadPart 3 failed: SlowDown');
      return store.uploadPart(key, uploadId, partNumber, body, length);
    };
    const time = simulatedTime();
    const begun = await beginTransfer(
      store,
      { key: KEY, contentType: 'text/csv' },
      { size: data.length },
      { partSize: 5 * MIB },
    );
    time.startInvocation(0);
    const after = await transferChunk(
      { store: flaky, openRange, clock: time.clock, onProgress: time.onProgress, tuning: TEST_TUNING },
      { size: data.length },
      begun,
      time.nowMs() + 60 * 60_000,
    );
    expect(after.done).toBe(false);
    expect(after.offset).toBe(10 * MIB);
    const { last } = await runChunks({ store, openRange, file: { size: data.length } }, after);
    expect((await finishTransfer(store, { sha256: sha256Hex(data), records }, last)).bytes).toBe(data.length);
  });

  it('keeps a wide header out of the cursor and still reports it', async () => {
    const columns = Array.from({ length: 300 }, (_, i) => `customField_${String(i).padStart(3, '0')}`);
    const { data, records } = makeActivityCsv({ size: 6 * MIB, seed: 14, columns });
    const { openRange } = await serve(data);
    const { result, cursors } = await runTransfer({ store, openRange, file: { size: data.length } }, { records });
    expect(cursors.at(-1)?.header).toBeUndefined();
    expect(cursors.at(-1)?.headerColumns).toBe(300);
    for (const c of cursors) expect(JSON.stringify(c).length).toBeLessThan(MAX_CURSOR_CHARS);
    expect(result.header).toEqual(columns);
  });

  it('finishes again after a finish whose completion already went through', async () => {
    const { data } = makeActivityCsv({ size: 5 * MIB + 100, seed: 15 });
    const { openRange } = await serve(data);
    const { last, result } = await runTransfer(
      { store, openRange, file: { size: data.length } },
      { sha256: sha256Hex(data) },
    );
    await expect(finishTransfer(store, { sha256: sha256Hex(data) }, last)).resolves.toEqual(result);
  });

  it('refuses to finish before the end, and a finished cursor needs no more chunks', async () => {
    const { data } = makeActivityCsv({ size: 11 * MIB, seed: 17 });
    const { source, openRange } = await serve(data);
    const first = await runChunks({ store, openRange, file: { size: data.length }, maxInvocations: 1 }).catch(
      () => undefined,
    );
    expect(first).toBeUndefined();
    const begun = await beginTransfer(
      store,
      { key: 'raw/early.csv', contentType: 'text/csv' },
      { size: data.length },
      { partSize: 5 * MIB },
    );
    await expect(finishTransfer(store, {}, begun)).rejects.toThrow(ValidationError);
    const { last } = await runChunks(
      { store, openRange, file: { size: data.length }, tuning: { ...TEST_TUNING, maxPartsInFlight: 1 } },
      begun,
    );
    const requests = source.requests.length;
    await expect(transferChunk({ store, openRange }, { size: data.length }, last, Date.now() + 60_000)).resolves.toBe(
      last,
    );
    expect(source.requests).toHaveLength(requests);
    await store.abortUpload(last.key, last.uploadId);
  });

  it('splits a file over invocations by bytes when asked to, whatever the deadline', async () => {
    const { data, records } = makeActivityCsv({ size: 16 * MIB, seed: 18 });
    const { openRange } = await serve(data);
    const { cursors, result } = await runTransfer(
      {
        store,
        openRange,
        file: { size: data.length },
        budgetMs: 24 * 60 * 60_000,
        tuning: { ...TEST_TUNING, maxBytesPerInvocation: 9 * MIB },
      },
      { size: data.length, sha256: sha256Hex(data), records },
    );
    expect(cursors.slice(1).map((c) => c.offset)).toEqual([10 * MIB, data.length]);
    expect(result.bytes).toBe(data.length);
  });

  it('reads TSV with its own delimiter', async () => {
    const rows = 'a\tb\n"x\ny"\t1\nw"q\t2\n';
    const data = Buffer.from(rows);
    const { openRange } = await serve(data);
    const { result } = await runTransfer(
      { store, openRange, file: { size: data.length, format: 'tsv' } },
      { records: 2 },
    );
    expect(result.header).toEqual(['a', 'b']);
  });

  it('drops a part still being read when a stalled source holds it at the deadline (real time)', async () => {
    const { data } = makeActivityCsv({ size: 12 * MIB, seed: 16 });
    const { source, openRange } = await serve(data);
    const stalled: OpenRange = async (range, signal) => {
      const opened = await openRange(range, signal);
      // Deliver 6 MiB, then nothing more: the watchdog must close the request at the deadline.
      let sent = 0;
      const body = Readable.from(
        (async function* () {
          for await (const chunk of opened.body) {
            const b = chunk as Buffer;
            if (sent + b.length > 6 * MIB) {
              yield b.subarray(0, 6 * MIB - sent);
              await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
              return;
            }
            sent += b.length;
            yield b;
          }
        })(),
      );
      return { ...opened, body };
    };
    const begun = await beginTransfer(
      store,
      { key: KEY, contentType: 'text/csv' },
      { size: data.length },
      { partSize: 5 * MIB },
    );
    const started = Date.now();
    const after = await transferChunk(
      { store, openRange: stalled, tuning: { safetyMarginMs: 1000, abandonMarginMs: 500, assumedBytesPerSecond: 1e9 } },
      { size: data.length },
      begun,
      Date.now() + 4000,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(after.offset).toBe(5 * MIB);
    expect(source.requests).toHaveLength(1);
    const { last } = await runChunks({ store, openRange, file: { size: data.length } }, after);
    expect((await finishTransfer(store, { sha256: sha256Hex(data) }, last)).bytes).toBe(data.length);
  });
}
