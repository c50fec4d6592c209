// Job creation is never repeated blindly: a create whose outcome is unknown looks in the listing of
// Created jobs first; only a job provably ours (same filter and format) is adopted.
import { describe, expect, it } from 'vitest';
import { createMarketoProvider } from '../../../../lambdas/providers/marketo';
import { BulkExportClient } from '../../../../lambdas/providers/marketo/bulk-export-client';
import { MARKETO_DESCRIPTOR, bulkEndpoint } from '../../../../lambdas/providers/marketo/descriptor';
import { MarketoApi } from '../../../../lambdas/providers/marketo/marketo-api';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { closeAllAfterTests, harness, WINDOW } from './support/harness';
import { ManualClock } from './support/manual-clock';
import { startStubMarketo, success, type StubMarketo } from './support/stub-marketo';

const ACTIVITIES = bulkEndpoint(MARKETO_DESCRIPTOR.datasets.activities, {});

closeAllAfterTests();

async function withStub(
  test: (stub: StubMarketo, provider: ReturnType<typeof createMarketoProvider>) => Promise<void>,
): Promise<void> {
  const stub = await startStubMarketo();
  const provider = createMarketoProvider(
    { baseUrl: stub.baseUrl, clientId: 'a', clientSecret: 'b' },
    { clock: new ManualClock(), logger: silentLogger },
    { random: () => 0.5 },
  );
  try {
    await test(stub, provider);
  } finally {
    await provider.close();
    await stub.stop();
  }
}

const createdJob = (id: string, filter?: unknown) => ({
  exportId: id,
  status: 'Created',
  format: 'CSV',
  createdAt: '2026-03-02T12:00:00Z',
  ...(filter ? { filter } : {}),
});

describe('Marketo provider: lost creates', () => {
  it('a reset on create: not in the listing (Marketo lists no filter) → created again, one job in the end', async () => {
    const h = await harness();
    h.sim.faults.injectErrors = [{ code: 'reset', times: 1, kinds: ['create'] }];
    await expect(h.provider.startJob(WINDOW, {})).resolves.toMatchObject({ kind: 'started' });
    expect(h.sim.stats().byKind).toMatchObject({ create: 2, list: 1, enqueue: 1 });
    expect(h.sim.jobs()).toHaveLength(1);
  });

  it('604 on create is also "maybe made": the listing is consulted before creating again', async () => {
    const h = await harness();
    h.sim.faults.injectErrors = [{ code: '604', times: 1, kinds: ['create'] }];
    await expect(h.provider.startJob(WINDOW, {})).resolves.toMatchObject({ kind: 'started' });
    expect(h.sim.stats().byKind).toMatchObject({ create: 2, list: 1 });
  });

  it('606 on create was refused before Marketo looked at it: simply retried, no listing', async () => {
    const h = await harness();
    h.sim.faults.injectErrors = [{ code: '606', times: 1, kinds: ['create'] }];
    await expect(h.provider.startJob(WINDOW, {})).resolves.toMatchObject({ kind: 'started' });
    expect(h.sim.stats().byKind.create).toBe(2);
    expect(h.sim.stats().byKind.list).toBeUndefined();
  });

  it('the job was made but the answer lost: found in the listing by its filter, adopted, never created twice', async () => {
    await withStub(async (stub, provider) => {
      let made: Record<string, unknown> | undefined;
      stub.route('POST /bulk/v1/activities/export/create.json', (req, res) => {
        made = JSON.parse(req.body) as Record<string, unknown>;
        res.socket?.destroy(); // Marketo made the job; the answer never arrives
      });
      stub.route('GET /bulk/v1/activities/export.json', (req, res) => {
        expect(req.query.get('status')).toBe('Created');
        // Another window's job and ours, filters written with other offsets.
        success(res, [
          createdJob('theirs', { createdAt: { startAt: '2026-02-01T00:00:00Z', endAt: '2026-02-02T00:00:00Z' } }),
          createdJob('ours', {
            createdAt: { startAt: '2026-02-28T18:00:00-06:00', endAt: '2026-03-01T18:00:00-06:00' },
          }),
        ]);
      });
      stub.route('POST /bulk/v1/activities/export/ours/enqueue.json', (_req, res) =>
        success(res, [{ ...createdJob('ours'), status: 'Queued' }]),
      );
      await expect(provider.startJob(WINDOW, {})).resolves.toMatchObject({
        kind: 'started',
        job: { id: 'ours', enqueued: true },
      });
      expect(made).toMatchObject({
        format: 'CSV',
        filter: { createdAt: { startAt: WINDOW.start, endAt: WINDOW.end } },
      });
      expect(stub.calls.filter((c) => c.path.endsWith('create.json'))).toHaveLength(1);
    });
  });

  it('never provable (listing without filters) and failing every time → bounded creates, then the named error', async () => {
    await withStub(async (stub, provider) => {
      stub.route('POST /bulk/v1/activities/export/create.json', (_req, res) => {
        res.writeHead(502);
        res.end('bad gateway');
      });
      stub.route('GET /bulk/v1/activities/export.json', (_req, res) =>
        success(res, [createdJob('unknown-1'), createdJob('unknown-2')]),
      );
      await expect(provider.startJob(WINDOW, {})).rejects.toMatchObject({ name: 'TransientApiError', code: 'http502' });
      expect(stub.calls.filter((c) => c.path.endsWith('create.json'))).toHaveLength(3);
      expect(stub.calls.filter((c) => c.path.endsWith('export.json'))).toHaveLength(3);
      expect(stub.calls.some((c) => c.path.includes('enqueue'))).toBe(false);
    });
  });
});

describe('listing jobs', () => {
  it('follows nextPageToken through every page and passes the status filter', async () => {
    const stub = await startStubMarketo();
    const api = new MarketoApi({
      credentials: { baseUrl: stub.baseUrl, clientId: 'a', clientSecret: 'b' },
      clock: new ManualClock(),
      logger: silentLogger,
    });
    try {
      const pages: Record<string, { result: unknown[]; next?: string }> = {
        '': { result: [createdJob('a'), createdJob('b')], next: 'p2' },
        p2: { result: [createdJob('c')], next: 'p3' },
        p3: { result: [createdJob('d')] },
      };
      stub.route('GET /bulk/v1/activities/export.json', (req, res) => {
        const page = pages[req.query.get('nextPageToken') ?? ''];
        success(res, page?.result ?? [], page?.next ? { nextPageToken: page.next } : {});
      });
      const client = new BulkExportClient(api, silentLogger);
      const jobs = await client.listJobs(ACTIVITIES, { status: ['Created', 'Queued'] });
      expect(jobs.map((j) => j.exportId)).toEqual(['a', 'b', 'c', 'd']);
      const listCalls = stub.calls.filter((c) => c.path.endsWith('export.json'));
      expect(listCalls.map((c) => c.query.get('nextPageToken'))).toEqual([null, 'p2', 'p3']);
      expect(
        listCalls.every((c) => c.query.get('status') === 'Created,Queued' && c.query.get('batchSize') === '300'),
      ).toBe(true);
    } finally {
      await api.close();
      await stub.stop();
    }
  });

  it('pages through the simulator with a small batch', async () => {
    const h = await harness();
    for (const day of ['01', '02', '03', '04', '05']) {
      await h.provider.startJob({ start: `2026-02-${day}T00:00:00Z`, end: `2026-02-${day}T12:00:00Z` }, {});
    }
    const api = new MarketoApi({
      credentials: { baseUrl: h.sim.baseUrl, clientId: h.sim.clientId, clientSecret: h.sim.clientSecret },
      clock: h.clock,
      logger: silentLogger,
    });
    try {
      const client = new BulkExportClient(api, silentLogger);
      const all = await client.listJobs(ACTIVITIES, { batchSize: 2 });
      expect(all.map((j) => j.exportId).sort()).toEqual(
        h.sim
          .jobs()
          .map((j) => j.exportId)
          .sort(),
      );
      const queued = await client.listJobs(ACTIVITIES, { status: ['Queued'], batchSize: 2 });
      expect(queued.length).toBe(h.sim.jobs().filter((j) => j.status === 'Queued').length);
    } finally {
      await api.close();
    }
  });
});
