// The steps' ledger writes (memory store): an explicit re-run leaves a landed window landed until its
// replacement lands; a failure that left a landed window without its manifest makes it owed again; the
// seed of an export without a ledger takes its manifests and, below the old watermark, the gaps.
import { describe, expect, it } from 'vitest';
import { emptyLedger, withLanded } from '../../../lambdas/window/ledger';
import { failedLedger, recordWindowRunning, recordWindowsPlanned } from '../../../lambdas/window/ledger-records';
import { readLedger, updateLedger } from '../../../lambdas/window/ledger-store';
import { readOrSeedLedger } from '../../../lambdas/window/ledger-seed';
import { MemoryObjectStore } from '../../support/memory-object-store';
import { manifestFixture } from '../../support/manifest-fixture';

const w = (d: number) => ({ start: `2026-11-0${d}T00:00:00Z`, end: `2026-11-0${d + 1}T00:00:00Z` });
const at = '2026-12-01T00:00:00Z';
const failure = { name: 'RecordCountMismatchError', message: 'm', dataError: true };

describe('ledger records', () => {
  it('an explicit re-run of a landed window keeps it landed while it runs; a new window is planned and stamped', async () => {
    const store = new MemoryObjectStore();
    await updateLedger(store, 'x', (l) => withLanded(l, w(1), { at, manifestKey: 'm', records: 3 }));
    await recordWindowsPlanned(store, 'x', [w(1), w(2)], { at, source: 'api.example' });
    await recordWindowRunning(store, 'x', w(1), { at, jobId: 'j1' });
    await recordWindowRunning(store, 'x', w(2), { at, jobId: 'j2' });
    const { ledger } = await readLedger(store, 'x');
    expect(ledger.windows.map((e) => [e.state, e.jobId, e.source])).toEqual([
      ['landed', undefined, undefined],
      ['running', 'j2', 'api.example'],
    ]);
  });

  it('a failed re-run: a landed window whose manifest survived stays landed; one left without it is owed again', () => {
    const ledger = withLanded(emptyLedger('x'), w(1), { at, manifestKey: 'm', records: 3 });
    const meta = { at, maxAttempts: 3 };
    expect(failedLedger(ledger, w(1), failure, { ...meta, landedIntact: true }).windows[0]).toMatchObject({
      state: 'landed',
      lastError: { name: 'RecordCountMismatchError' },
    });
    expect(failedLedger(ledger, w(1), failure, { ...meta, landedIntact: false }).windows[0]).toMatchObject({
      state: 'failed',
      attempts: 1,
    });
  });
});

describe('ledger seed', () => {
  it('seeds the manifests as landed windows and the gaps below the old watermark as landed, once', async () => {
    const store = new MemoryObjectStore();
    const manifest = { ...manifestFixture({ exportName: 'x', window: w(2), files: [] }), source: 'api.example' };
    store.seed('manifests/x/20261102T000000Z_20261103T000000Z.json', JSON.stringify(manifest), 'application/json');
    const legacy = async () => ({ watermark: w(3).end, source: 'api.example' });
    const ledger = await readOrSeedLedger(store, 'x', legacy, { at, firstStart: w(1).start });
    expect(ledger.windows.map((e) => [e.start, e.end, e.state, e.manifestKey ?? null])).toEqual([
      [w(1).start, w(1).end, 'landed', null],
      [w(2).start, w(2).end, 'landed', 'manifests/x/20261102T000000Z_20261103T000000Z.json'],
      [w(3).start, w(3).end, 'landed', null],
    ]);
    expect(ledger.windows.map((e) => e.source)).toEqual(['api.example', 'api.example', 'api.example']);
    // Stored: the next read is the ledger, the watermark is not consulted again.
    const again = await readOrSeedLedger(store, 'x', () => Promise.reject(new Error('read again')), {
      at,
      firstStart: w(1).start,
    });
    expect(again).toEqual(ledger);
  });

  it('an export with nothing landed stores no ledger until a run records its windows', async () => {
    const store = new MemoryObjectStore();
    const ledger = await readOrSeedLedger(store, 'x', async () => undefined, { at, firstStart: w(1).start });
    expect(ledger).toEqual(emptyLedger('x'));
    expect((await readLedger(store, 'x')).exists).toBe(false);
  });
});
