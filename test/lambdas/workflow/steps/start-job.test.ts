// StartJob without moto: create + record + enqueue, resume (from the previous outcome or the window's
// record), busy and deferred answers, the busy limit, and the record written before the enqueue.
import { describe, expect, it } from 'vitest';
import { QueueFullError, TransientApiError } from '../../../../lambdas/shared/errors';
import { jobRecordKey } from '../../../../lambdas/window/keys';
import { MAX_BUSY_RETRIES, startJob } from '../../../../lambdas/workflow/steps/start-job';
import { DAY1, EXECUTION, NOW, seedJobRecord, stepWorld, type StepWorld } from './support/step-world';
import { ledgerKey } from '../../../../lambdas/window/ledger-store';

const RECORD = jobRecordKey('acts', DAY1);

function startEvent(previous: Record<string, unknown> = { kind: 'init' }) {
  return { export: 'acts', window: DAY1, previous, executionId: EXECUTION };
}

function recordOf(world: StepWorld) {
  return world.store.json(RECORD) as
    { job: { id: string; enqueued?: boolean }; window: unknown; savedAt: string; executionId?: string } | undefined;
}

describe('StartJob', () => {
  it('creates and enqueues one job, records it for the window with this execution, and asks to poll after the provider wait', async () => {
    const world = stepWorld();
    const out = await startJob(startEvent(), world.rt);
    expect(out).toEqual({
      kind: 'started',
      job: { id: 'fake-1', enqueued: true, createdAt: NOW },
      waitSeconds: 60,
      startedAt: '2026-01-03T05:00:00.000Z',
    });
    expect(recordOf(world)).toEqual({
      job: { id: 'fake-1', enqueued: true, createdAt: NOW },
      window: DAY1,
      savedAt: '2026-01-03T05:00:00.000Z',
      executionId: EXECUTION,
    });
    expect(world.provider.count('create')).toBe(1);
    expect(world.progress.map((p) => p.message)).toEqual(['job fake-1 queued']);
  });

  it('the job is recorded before the enqueue: an enqueue that fails is retried on the SAME job', async () => {
    const world = stepWorld();
    world.provider.enqueueRefusals.push({ kind: 'throw', error: new TransientApiError('enqueue timed out') });
    await expect(startJob(startEvent(), world.rt)).rejects.toBeInstanceOf(TransientApiError);
    expect(recordOf(world)?.job).toMatchObject({ id: 'fake-1', enqueued: false });

    const retried = await startJob(startEvent(), world.rt);
    expect(retried).toMatchObject({ kind: 'started', job: { id: 'fake-1', enqueued: true } });
    expect(world.provider.count('create')).toBe(1);
    expect(world.logger.lines.some((l) => l.message === 'resuming the job recorded for this window')).toBe(true);
  });

  it('the previous outcome names the job: it is resumed without reading the record', async () => {
    const world = stepWorld();
    world.provider.enqueueRefusals.push({ kind: 'busy', retryAfterSeconds: 240 });
    const busy = await startJob(startEvent(), world.rt);
    const callsBefore = world.store.calls.length;
    const resumed = await startJob(startEvent({ kind: 'busy', job: busy.job, busyCount: 1 }), world.rt);
    expect(resumed).toMatchObject({ kind: 'started', job: { id: busy.job?.id, enqueued: true } });
    // The only read is the window ledger's, to record the window running.
    expect(
      world.store.calls.slice(callsBefore).filter((c) => c.op === 'getObject' && c.key !== ledgerKey('acts')),
    ).toEqual([]);
    expect(world.provider.count('create')).toBe(1);
  });

  it('a record older than the provider keeps files is ignored: a new job', async () => {
    const world = stepWorld();
    seedJobRecord(world, DAY1, { id: 'fake-from-last-month', enqueued: true }, { savedAt: '2025-12-01T00:00:00Z' });
    const out = await startJob(startEvent(), world.rt);
    expect(out.job?.id).toBe('fake-1');
    expect(recordOf(world)?.job.id).toBe('fake-1');
  });

  it('a record that does not parse is treated as absent (one extra job at worst, never a lost window)', async () => {
    const world = stepWorld();
    world.store.seed(RECORD, JSON.stringify({ job: {} }), 'application/json');
    expect((await startJob(startEvent(), world.rt)).job?.id).toBe('fake-1');
  });

  it('a full queue at enqueue: busy with the parked job (recorded), counting tries; past the limit QueueFullError', async () => {
    const world = stepWorld();
    world.provider.enqueueRefusals.push({ kind: 'busy', retryAfterSeconds: 240, reason: 'Too many jobs in queue' });
    const out = await startJob(startEvent(), world.rt);
    expect(out).toEqual({
      kind: 'busy',
      job: { id: 'fake-1', enqueued: false, createdAt: NOW },
      waitSeconds: 240,
      reason: 'Too many jobs in queue',
      busyCount: 1,
    });
    expect(recordOf(world)?.job).toMatchObject({ id: 'fake-1', enqueued: false });

    world.provider.enqueueRefusals.push({ kind: 'busy' });
    expect(await startJob(startEvent({ kind: 'busy', job: out.job, busyCount: 7 }), world.rt)).toMatchObject({
      kind: 'busy',
      busyCount: 8,
    });

    world.provider.enqueueRefusals.push({ kind: 'busy' });
    await expect(
      startJob(startEvent({ kind: 'busy', job: out.job, busyCount: MAX_BUSY_RETRIES }), world.rt),
    ).rejects.toBeInstanceOf(QueueFullError);
  });

  it('a full queue at create: busy without a job, nothing recorded', async () => {
    const world = stepWorld();
    world.provider.createRefusals.push({ kind: 'busy', retryAfterSeconds: 30 });
    expect(await startJob(startEvent(), world.rt)).toMatchObject({
      kind: 'busy',
      job: null,
      waitSeconds: 30,
      busyCount: 1,
    });
    expect(recordOf(world)).toBeUndefined();
  });

  it('a spent quota: deferred until the reset, with the parked job recorded', async () => {
    const world = stepWorld();
    world.provider.enqueueRefusals.push({ kind: 'deferred', until: '2026-01-04T06:00:00Z', reason: 'export quota' });
    const out = await startJob(startEvent(), world.rt);
    expect(out).toEqual({
      kind: 'deferred',
      job: { id: 'fake-1', enqueued: false, createdAt: NOW },
      waitSeconds: 0,
      until: '2026-01-04T06:00:00Z',
      reason: 'export quota',
    });
    expect(recordOf(world)?.job.id).toBe('fake-1');
  });

  it('a provider that asks for no wait still gets a Wait of at least a second', async () => {
    const world = stepWorld({ provider: { pollSeconds: 0 } });
    expect((await startJob(startEvent(), world.rt)).waitSeconds).toBe(1);
  });

  it('a malformed event is refused naming the field, before anything remote', async () => {
    const world = stepWorld();
    await expect(startJob({ ...startEvent(), previous: { kind: 'later' } }, world.rt)).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'previous.kind',
    });
    expect(world.provider.calls).toEqual([]);
  });
});
