// A source made of pages across invocations and deferrals: the cursor carries the page token of a page
// boundary at or before its offset; a spent quota mid-read (thrown, so the state keeps the OLD cursor)
// leaves a checkpoint with the stored parts, the bytes up to the last page boundary and that boundary's
// token, so the attempt after the wait fetches no page twice; a refused token restarts the file cleanly.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import { memoryLogger } from '../../support/memory-logger';
import type { ObjectStore } from '../../../lambdas/transfer/object-store';
import { checkpointKey } from '../../../lambdas/transfer/transfer-checkpoint';
import {
  beginTransfer,
  discardCheckpoints,
  finishTransfer,
  parseTransferCursor,
  transferChunk,
  type TransferCursor,
  type TransferTuning,
} from '../../../lambdas/transfer/transfer-file';
import { MAX_CURSOR_CHARS } from '../../../lambdas/transfer/transfer-cursor';
import { type PagedSource, RESET_AT, pagedSource } from './support/paged-source';
import { MIB } from './support/transfer-harness';

const KEY = 'raw/deleted/dt=2026-11-01/file.csv';
const PREFIX = 'checkpoints/deleted/20261101T000000Z_20261102T000000Z/';
const roots: string[] = [];
let store: ObjectStore;

afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});
beforeEach(async () => {
  const root = await mkdtemp(join(tmpdir(), 'paged-'));
  roots.push(root);
  store = new LocalDirObjectStore({ root });
});

/** One invocation as TransferChunk runs it: the cursor goes through JSON (state) both ways. */
async function chunk(
  source: PagedSource,
  cursor: TransferCursor,
  tuning: TransferTuning = {},
  logger = memoryLogger(),
) {
  const next = await transferChunk(
    { store, openRange: (range, signal) => source.openRange(range, signal), tuning, logger, checkpointPrefix: PREFIX },
    { size: source.data.length },
    parseTransferCursor(JSON.parse(JSON.stringify(cursor))),
    Date.now() + 600_000,
  );
  return parseTransferCursor(JSON.parse(JSON.stringify(next)));
}

async function begin(source: PagedSource): Promise<TransferCursor> {
  return beginTransfer(
    store,
    { key: KEY, contentType: 'text/csv' },
    { size: source.data.length },
    { partSize: 5 * MIB },
  );
}

async function finish(source: PagedSource, cursor: TransferCursor) {
  const result = await finishTransfer(store, { size: source.data.length }, cursor);
  await discardCheckpoints(store, PREFIX);
  expect((await store.getObject(KEY))?.body.equals(source.data)).toBe(true);
  expect(await store.listKeys(PREFIX)).toEqual([]);
  return result;
}

function expectEachPageOnce(source: PagedSource, pages: number): void {
  expect([...source.fetches].sort((a, b) => a - b)).toEqual(Array.from({ length: pages }, (_, i) => i));
}

describe('a paged source across invocations and deferrals', () => {
  it('a quota spent mid-read: the state keeps its cursor, the checkpoint keeps the progress, and no page is fetched twice', async () => {
    const source = pagedSource(40, 30);
    const first = await begin(source);
    source.quotaOnPage = 17;
    await expect(chunk(source, first)).rejects.toMatchObject({ name: 'QuotaExceededError', resetAt: RESET_AT });
    // One part holds the whole file, so nothing was stored: all 17 pages read are in the checkpoint.
    const saved = await store.getObject(checkpointKey(PREFIX, first));
    expect(saved).toBeDefined();
    expect(source.fetches).toEqual(Array.from({ length: 17 }, (_, i) => i));

    // After the wait the step runs again on the SAME cursor; the quota meets it once more, further on.
    source.quotaOnPage = 30;
    await expect(chunk(source, first)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(source.resumes.map((r) => r.position)).toEqual(['g0.p17']);

    const last = await chunk(source, first);
    expect(last.done).toBe(true);
    expect(source.resumes.map((r) => r.position)).toEqual(['g0.p17', 'g0.p30']);
    expectEachPageOnce(source, 40);
    const result = await finish(source, last);
    expect(result.records).toBe(40 * 30);
  });

  it('a quota spent on the first page call leaves no checkpoint (nothing to keep)', async () => {
    const source = pagedSource(5, 10);
    const first = await begin(source);
    source.quotaOnPage = 0;
    await expect(chunk(source, first)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(await store.listKeys(PREFIX)).toEqual([]);
    const last = await chunk(source, first);
    expectEachPageOnce(source, 5);
    await finish(source, last);
  });

  it('across parts and invocations the cursor carries the token at or before its offset: only the page a part boundary cuts is fetched again', async () => {
    // Over 10 MiB in pages of about 60 KB: three parts, one per invocation.
    const source = pagedSource(220, 1_000);
    expect(Math.ceil(source.data.length / (5 * MIB))).toBe(3);
    let cursor = await begin(source);
    const cursors: TransferCursor[] = [];
    while (!cursor.done) {
      cursor = await chunk(source, cursor, { maxBytesPerInvocation: 1 });
      cursors.push(cursor);
      expect(JSON.stringify(cursor).length).toBeLessThan(MAX_CURSOR_CHARS);
      if (!cursor.done) {
        expect(cursor.source).toBeDefined();
        expect(cursor.source!.at).toBeLessThanOrEqual(cursor.offset);
        expect(cursor.offset - cursor.source!.at).toBeLessThan(100_000);
      }
    }
    expect(cursors.length).toBe(3);
    expect(source.resumes).toHaveLength(2);
    // Each invocation resumed at the token its cursor carried, so past the window's first pages only
    // what a part boundary cut is fetched again: at most the cut page and the one the stream read ahead.
    expect(source.resumes.map((r) => r.position)).toEqual(cursors.slice(0, 2).map((c) => c.source!.position));
    expect(source.fetches.length).toBeGreaterThan(220);
    expect(source.fetches.length).toBeLessThanOrEqual(220 + 2 * 2);
    expect(new Set(source.fetches).size).toBe(220);
    await finish(source, cursor);
  });

  it('a token refused after the wait (expired): the file starts over on the same upload from byte 0 and lands once, byte for byte', async () => {
    const source = pagedSource(30, 30);
    const first = await begin(source);
    source.quotaOnPage = 12;
    await expect(chunk(source, first)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    source.expireTokens();
    const logger = memoryLogger();
    const last = await chunk(source, first, {}, logger);
    expect(last.done).toBe(true);
    expect(logger.lines.some((l) => l.level === 'warn' && /refused its saved position/.test(l.message))).toBe(true);
    // Pages 0-11 twice (before the wait, and again from the start), every other page once.
    expect(source.fetches.filter((p) => p < 12)).toHaveLength(24);
    expect(source.fetches.filter((p) => p >= 12)).toHaveLength(18);
    const result = await finish(source, last);
    expect(result.records).toBe(30 * 30);
  });

  it('an unreadable checkpoint is ignored: the attempt starts from the cursor in state', async () => {
    const source = pagedSource(8, 20);
    const first = await begin(source);
    await store.putObject(checkpointKey(PREFIX, first), 'not a checkpoint', 'application/octet-stream');
    const logger = memoryLogger();
    const last = await chunk(source, first, {}, logger);
    expect(logger.lines.some((l) => /checkpoint unreadable/.test(l.message))).toBe(true);
    expectEachPageOnce(source, 8);
    await finish(source, last);
  });
});
