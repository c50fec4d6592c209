// The provider's job paths over real HTTP against the Marketo simulator: start (created+enqueued,
// busy, deferred, already queued, resume), every job state, polling waits, cancel.
import { describe, expect, it } from 'vitest';
import { MARKETO_LIMITS } from '../../../../lambdas/providers/marketo';
import { ValidationError } from '../../../../lambdas/shared/errors';
import { closeAllAfterTests, harness, readAll, runToEnd, WINDOW } from './support/harness';
import { startStubMarketo, success } from './support/stub-marketo';
import { createMarketoProvider } from '../../../../lambdas/providers/marketo';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { ManualClock } from './support/manual-clock';

closeAllAfterTests();

const REQUEST = { format: 'CSV' };
const NEXT_WINDOW = { start: '2026-02-28T00:00:00Z', end: '2026-03-01T00:00:00Z' };

describe('Marketo provider: jobs', () => {
  it('states its limits', async () => {
    const { provider } = await harness();
    expect(provider.name).toBe('marketo');
    expect(provider.limits).toEqual({
      maxWindowDays: 31,
      maxConcurrentJobs: 2,
      minPollSeconds: 60,
      fileRetentionDays: 7,
      cancelsJobs: true,
    });
    expect(MARKETO_LIMITS).toEqual(provider.limits);
  });

  it('startJob creates and enqueues one job for the window, and polls it to a verified file', async () => {
    const h = await harness();
    const started = await h.provider.startJob(WINDOW, REQUEST);
    expect(started).toMatchObject({ kind: 'started', job: { enqueued: true, createdAt: '2026-03-02T12:00:00Z' } });
    if (started.kind !== 'started') throw new Error('not started');
    expect(started.pollAfterSeconds).toBeGreaterThanOrEqual(60);
    const [job] = h.sim.jobs();
    expect(job).toMatchObject({
      exportId: started.job.id,
      status: 'Queued',
      format: 'CSV',
      filter: { createdAt: { startAt: WINDOW.start, endAt: WINDOW.end } },
    });
    expect(h.sim.stats().byKind).toMatchObject({ token: 1, create: 1, enqueue: 1 });

    // Queued → Processing → Completed, driven by the shared clock.
    expect((await h.provider.checkJob(started.job, 0)).state).toBe('queued');
    h.clock.advance(150);
    const running = await h.provider.checkJob(started.job, 1);
    expect(running).toMatchObject({ state: 'running', providerStatus: 'Processing', files: [] });
    h.clock.advance(400);
    const done = await h.provider.checkJob(started.job, 2);
    const simJob = h.sim.jobs()[0];
    expect(done).toMatchObject({
      state: 'succeeded',
      providerStatus: 'Completed',
      records: simJob?.numberOfRecords,
      nextPollSeconds: 0,
    });
    expect(done.files).toEqual([
      {
        index: 1,
        source: { kind: 'api', path: `/bulk/v1/activities/export/${started.job.id}/file.json` },
        sendCredentials: true,
        size: simJob?.fileSize,
        sha256: simJob?.fileChecksum?.replace('sha256:', ''),
        rangeSupport: 'yes',
        format: 'csv',
      },
    ]);
    const file = done.files[0];
    if (!file) throw new Error('no file');
    const opened = await h.provider.openRange(file, { start: 0 });
    expect(opened).toMatchObject({ ranged: true, start: 0, totalSize: file.size });
    const bytes = await readAll(opened.body);
    expect(bytes.length).toBe(file.size);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
  });

  it('the result survives JSON (it travels through Step Functions state)', async () => {
    const h = await harness();
    const started = await h.provider.startJob(WINDOW, REQUEST);
    expect(JSON.parse(JSON.stringify(started))).toEqual(started);
    if (started.kind !== 'started') throw new Error('not started');
    h.clock.advance(1_000);
    const status = await h.provider.checkJob(started.job, 3);
    expect(JSON.parse(JSON.stringify(status))).toEqual(status);
  });

  it('a full queue (1029 "Too many jobs in queue") → busy with the created job; the next call enqueues that SAME job', async () => {
    const h = await harness({ maxQueued: 1, queuedMs: 100, processingMs: 300 });
    const first = await h.provider.startJob(WINDOW, REQUEST);
    expect(first.kind).toBe('started');
    const second = await h.provider.startJob(NEXT_WINDOW, REQUEST);
    expect(second).toMatchObject({
      kind: 'busy',
      job: { enqueued: false },
      reason: expect.stringContaining('Too many jobs in queue'),
    });
    if (second.kind !== 'busy' || !second.job) throw new Error('not busy');
    expect(second.retryAfterSeconds).toBeGreaterThanOrEqual(240);
    // Parked in Created: checkJob reports it queued with Marketo's own word.
    expect(await h.provider.checkJob(second.job, 0)).toMatchObject({ state: 'queued', providerStatus: 'Created' });

    // Still full: busy again, and still the same job.
    const again = await h.provider.startJob(NEXT_WINDOW, REQUEST, second.job);
    expect(again).toMatchObject({ kind: 'busy', job: { id: second.job.id, enqueued: false } });

    if (first.kind !== 'started') throw new Error('not started');
    await runToEnd(h, first.job.id);
    const resumed = await h.provider.startJob(NEXT_WINDOW, REQUEST, second.job);
    expect(resumed).toMatchObject({ kind: 'started', job: { id: second.job.id, enqueued: true } });
    expect(h.sim.jobs()).toHaveLength(2);
    expect(h.sim.stats().byKind.create).toBe(2);
  });

  it('an existing job that is already enqueued → started after one status call, nothing created', async () => {
    const h = await harness();
    const started = await h.provider.startJob(WINDOW, REQUEST);
    if (started.kind !== 'started') throw new Error('not started');
    const before = h.sim.stats().byKind;
    const again = await h.provider.startJob(WINDOW, REQUEST, started.job);
    expect(again).toMatchObject({ kind: 'started', job: { id: started.job.id, enqueued: true } });
    const after = h.sim.stats().byKind;
    expect(after.status).toBe((before.status ?? 0) + 1);
    expect(after.create).toBe(before.create);
    expect(after.enqueue).toBe(before.enqueue);
  });

  it('an existing job that failed or was cancelled cannot make the file: a new job is created', async () => {
    const h = await harness();
    h.sim.faults.failNextJob = 'Export failed: internal';
    const first = await h.provider.startJob(WINDOW, REQUEST);
    if (first.kind !== 'started') throw new Error('not started');
    await runToEnd(h, first.job.id);
    const again = await h.provider.startJob(WINDOW, REQUEST, first.job);
    expect(again).toMatchObject({ kind: 'started', job: { enqueued: true } });
    if (again.kind !== 'started') throw new Error('not started');
    expect(again.job.id).not.toBe(first.job.id);

    // Cancelled while parked in Created (enqueued: false): the enqueue is refused, the status says why.
    h.sim.faults.injectErrors = [{ code: '1029', message: 'Too many jobs in queue', times: 1, kinds: ['enqueue'] }];
    const parked = await h.provider.startJob(NEXT_WINDOW, REQUEST);
    if (parked.kind !== 'busy' || !parked.job) throw new Error('not busy');
    await h.provider.cancelJob(parked.job);
    const fresh = await h.provider.startJob(NEXT_WINDOW, REQUEST, parked.job);
    expect(fresh).toMatchObject({ kind: 'started' });
    if (fresh.kind !== 'started') throw new Error('not started');
    expect(fresh.job.id).not.toBe(parked.job.id);
    expect(
      h.sim
        .jobs()
        .map((j) => j.status)
        .sort(),
    ).toEqual(['Cancelled', 'Failed', 'Queued', 'Queued'].sort());
  });

  it('an existing job that completed is reused, not exported again', async () => {
    const h = await harness();
    const first = await h.provider.startJob(WINDOW, REQUEST);
    if (first.kind !== 'started') throw new Error('not started');
    await runToEnd(h, first.job.id);
    // Already done: it is looked at at once, not after a poll interval.
    expect(await h.provider.startJob(WINDOW, REQUEST, first.job)).toMatchObject({
      kind: 'started',
      job: { id: first.job.id },
      pollAfterSeconds: 0,
    });
    expect(await h.provider.startJob(WINDOW, REQUEST, { ...first.job, enqueued: false })).toMatchObject({
      kind: 'started',
      job: { id: first.job.id },
    });
    expect(h.sim.jobs()).toHaveLength(1);
  });

  it('a recorded job Marketo does not know (a killed run against another instance) is dropped: one new job', async () => {
    const h = await harness();
    for (const enqueued of [true, false]) {
      const fresh = await h.provider.startJob(WINDOW, REQUEST, { id: `gone-${String(enqueued)}`, enqueued });
      expect(fresh).toMatchObject({ kind: 'started', job: { enqueued: true } });
      if (fresh.kind !== 'started') throw new Error('not started');
      expect(fresh.job.id).not.toMatch(/^gone-/);
    }
    expect(h.sim.jobs()).toHaveLength(2);
    expect(
      h.logger.lines.filter((l) => l.message === 'the recorded marketo job is unknown to Marketo; creating a new one'),
    ).toHaveLength(2);
  });

  it('1029 "Job already queued" on enqueue → started', async () => {
    const h = await harness();
    const started = await h.provider.startJob(WINDOW, REQUEST);
    if (started.kind !== 'started') throw new Error('not started');
    // State lost the enqueued flag: enqueueing again gets "Job already queued", which is success.
    const again = await h.provider.startJob(WINDOW, REQUEST, { id: started.job.id, enqueued: false });
    expect(again).toMatchObject({ kind: 'started', job: { id: started.job.id, enqueued: true } });
    expect(h.sim.stats().byKind.enqueue).toBe(2);
    expect(h.sim.jobs()).toHaveLength(1);
  });

  it('1029 export quota on create → deferred to Chicago midnight, no job', async () => {
    const h = await harness({ dailyExportQuotaBytes: 1 });
    const first = await h.provider.startJob(WINDOW, REQUEST);
    if (first.kind !== 'started') throw new Error('not started');
    await runToEnd(h, first.job.id);
    expect(h.sim.exportedBytesToday()).toBeGreaterThan(1);
    const second = await h.provider.startJob(NEXT_WINDOW, REQUEST);
    // 2026-03-02 is CST: midnight Chicago is 06:00Z on the 3rd.
    expect(second).toEqual({
      kind: 'deferred',
      until: '2026-03-03T06:00:00Z',
      reason: expect.stringMatching(/1029.*Export daily quota/),
    });
    expect(h.sim.jobs()).toHaveLength(1);
  });

  it('1029 export quota on enqueue → deferred with the created job, which is enqueued after the reset', async () => {
    const h = await harness();
    h.sim.faults.injectErrors = [
      { code: '1029', message: 'Export daily quota 500MB exceeded', times: 1, kinds: ['enqueue'] },
    ];
    const deferred = await h.provider.startJob(WINDOW, REQUEST);
    expect(deferred).toMatchObject({ kind: 'deferred', until: '2026-03-03T06:00:00Z', job: { enqueued: false } });
    if (deferred.kind !== 'deferred' || !deferred.job) throw new Error('not deferred');
    h.clock.advance(Date.parse(deferred.until) - h.clock.now().getTime());
    const resumed = await h.provider.startJob(WINDOW, REQUEST, deferred.job);
    expect(resumed).toMatchObject({ kind: 'started', job: { id: deferred.job.id } });
    expect(h.sim.jobs()).toHaveLength(1);
  });

  it('607 daily call quota → deferred on start, QuotaExceededError elsewhere', async () => {
    const h = await harness();
    h.sim.faults.injectErrors = [{ code: '607', times: 1, kinds: ['create'] }];
    expect(await h.provider.startJob(WINDOW, REQUEST)).toEqual({
      kind: 'deferred',
      until: '2026-03-03T06:00:00Z',
      reason: 'Marketo error 607: Daily quota reached',
    });
    expect(h.sim.jobs()).toHaveLength(0);
    const started = await h.provider.startJob(WINDOW, REQUEST);
    if (started.kind !== 'started') throw new Error('not started');
    h.sim.faults.injectErrors = [{ code: '607', times: 1, kinds: ['status'] }];
    await expect(h.provider.checkJob(started.job, 0)).rejects.toMatchObject({
      name: 'QuotaExceededError',
      resetAt: '2026-03-03T06:00:00Z',
      code: '607',
    });
    expect(h.sim.stats().byKind.status).toBe(1); // not retried
  });

  it('Failed: state failed with Marketo errorMsg', async () => {
    const h = await harness();
    h.sim.faults.failNextJob = 'Export failed: internal';
    const started = await h.provider.startJob(WINDOW, REQUEST);
    if (started.kind !== 'started') throw new Error('not started');
    const status = await runToEnd(h, started.job.id);
    expect(status).toMatchObject({
      state: 'failed',
      providerStatus: 'Failed',
      message: 'Export failed: internal',
      files: [],
      nextPollSeconds: 0,
    });
  });

  it('Cancelled: cancelJob cancels a queued job; cancelling it again or cancelling a finished job is not an error', async () => {
    const h = await harness();
    const started = await h.provider.startJob(WINDOW, REQUEST);
    if (started.kind !== 'started') throw new Error('not started');
    await expect(h.provider.cancelJob(started.job)).resolves.toBe('cancelled');
    expect(h.sim.jobs()[0]?.status).toBe('Cancelled');
    expect(await h.provider.checkJob(started.job, 0)).toMatchObject({
      state: 'cancelled',
      providerStatus: 'Cancelled',
      nextPollSeconds: 0,
    });
    await expect(h.provider.cancelJob(started.job)).resolves.not.toBeUndefined();

    const other = await h.provider.startJob(NEXT_WINDOW, REQUEST);
    if (other.kind !== 'started') throw new Error('not started');
    await runToEnd(h, other.job.id);
    await expect(h.provider.cancelJob(other.job)).resolves.toBe('ended'); // sim answers 1003 for a Completed job
    expect(h.sim.jobs().find((j) => j.exportId === other.job.id)?.status).toBe('Completed');
  });

  it('cancelJob of a job Marketo does not know has nothing to cancel: it runs nowhere (never claimed as cancelled)', async () => {
    const h = await harness();
    await expect(h.provider.cancelJob({ id: 'no-such-job' })).resolves.toBe('ended');
  });

  it('"Canceled" (one l) is cancelled too', async () => {
    const stub = await startStubMarketo();
    const clock = new ManualClock();
    const provider = createMarketoProvider(
      { baseUrl: stub.baseUrl, clientId: 'a', clientSecret: 'b' },
      { clock, logger: silentLogger },
    );
    try {
      stub.route('GET /bulk/v1/activities/export/j1/status.json', (_q, res) =>
        success(res, [{ exportId: 'j1', status: 'Canceled', format: 'CSV' }]),
      );
      expect(await provider.checkJob({ id: 'j1' }, 0)).toMatchObject({
        state: 'cancelled',
        providerStatus: 'Canceled',
      });
      stub.route('GET /bulk/v1/activities/export/j1/status.json', (_q, res) =>
        success(res, [{ exportId: 'j1', status: 'Exploded', format: 'CSV' }]),
      );
      await expect(provider.checkJob({ id: 'j1' }, 0)).rejects.toMatchObject({
        name: 'ProviderApiError',
        message: expect.stringContaining('Exploded'),
      });
    } finally {
      await provider.close();
      await stub.stop();
    }
  });

  it('zero records: the header-only file (what the simulator, like Marketo, writes) is returned and downloads at its stated size', async () => {
    const h = await harness({ recordsPerDay: 0 });
    const started = await h.provider.startJob(WINDOW, REQUEST);
    if (started.kind !== 'started') throw new Error('not started');
    const status = await runToEnd(h, started.job.id);
    expect(status).toMatchObject({ state: 'succeeded', records: 0 });
    const simJob = h.sim.jobs()[0];
    expect(simJob?.fileSize).toBeGreaterThan(0);
    expect(status.files).toHaveLength(1);
    const file = status.files[0];
    if (!file) throw new Error('no file');
    const bytes = await readAll((await h.provider.openRange(file, { start: 0 })).body);
    expect(bytes.length).toBe(simJob?.fileSize);
    expect(bytes.toString('utf8').trim().split('\n')).toHaveLength(1); // the header line only
  });

  it('zero records with fileSize 0 (or none): no file, nothing to download', async () => {
    const stub = await startStubMarketo();
    const provider = createMarketoProvider(
      { baseUrl: stub.baseUrl, clientId: 'a', clientSecret: 'b' },
      { clock: new ManualClock(), logger: silentLogger },
    );
    try {
      stub.route('GET /bulk/v1/activities/export/z0/status.json', (_q, res) =>
        success(res, [{ exportId: 'z0', status: 'Completed', format: 'CSV', numberOfRecords: 0, fileSize: 0 }]),
      );
      stub.route('GET /bulk/v1/activities/export/z1/status.json', (_q, res) =>
        success(res, [{ exportId: 'z1', status: 'Completed', format: 'CSV', numberOfRecords: 0 }]),
      );
      expect(await provider.checkJob({ id: 'z0' }, 0)).toMatchObject({ state: 'succeeded', records: 0, files: [] });
      expect(await provider.checkJob({ id: 'z1' }, 0)).toMatchObject({ state: 'succeeded', records: 0, files: [] });
    } finally {
      await provider.close();
      await stub.stop();
    }
  });

  it('nextPollSeconds: ≥ 60 s, growing with pollCount, capped at 300 s; nominal even on a scaled clock', async () => {
    const h = await harness();
    const started = await h.provider.startJob(WINDOW, REQUEST);
    if (started.kind !== 'started') throw new Error('not started');
    const waits: number[] = [];
    for (const n of [0, 1, 2, 3, 8]) waits.push((await h.provider.checkJob(started.job, n)).nextPollSeconds);
    expect(waits).toEqual([75, 113, 169, 250, 250]); // random pinned at 0.5
    const scaled = h.providerWith({ random: () => 0 }, { sleepScale: 0.001 });
    expect((await scaled.checkJob(started.job, 0)).nextPollSeconds).toBe(60);
    const start = await scaled.startJob(NEXT_WINDOW, REQUEST);
    expect(start).toMatchObject({ kind: 'started', pollAfterSeconds: 60 });
  });

  it('a bad job reference or poll count is a ValidationError before any call', async () => {
    const h = await harness();
    await expect(h.provider.checkJob({ id: '' }, 0)).rejects.toBeInstanceOf(ValidationError);
    await expect(h.provider.checkJob({ id: 'x' }, -1)).rejects.toMatchObject({ field: 'pollCount' });
    await expect(h.provider.cancelJob({} as never)).rejects.toMatchObject({ field: 'job.id' });
    expect(h.sim.stats().total).toBe(0);
  });
});
