// CleanupWindow without moto: one failed window is undone on its own (job cancelled, record dropped,
// upload aborted, stray file removed) and reported as a result, not thrown; a sibling window is not
// touched; a job whose cancel failed keeps its record.
import { describe, expect, it } from 'vitest';
import { jobRecordKey } from '../../../../lambdas/window/keys';
import { cleanupWindow } from '../../../../lambdas/workflow/steps/cleanup-window';
import type { WindowFailure } from '../../../../lambdas/workflow/state';
import { DAY1, DAY2, EXECUTION, seedJobRecord, stepWorld, type StepWorld } from './support/step-world';
import { ledgerKey } from '../../../../lambdas/window/ledger-store';

const FILE = 'raw/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z_1.csv';
const SIBLING = 'raw/acts/dt=2026-01-02/20260102T000000Z_20260103T000000Z.csv';
const CAUSE = JSON.stringify({
  errorType: 'JobFailedError',
  errorMessage: 'JobFailedError: job failed at marketo: Internal error',
  trace: [],
});

function event(window = DAY1) {
  return { export: 'acts', window, error: { Error: 'JobFailedError', Cause: CAUSE }, executionId: EXECUTION };
}

async function inFlight(world: StepWorld): Promise<string> {
  world.provider.scriptNextJob({ state: 'running' });
  const started = await world.provider.startJob(DAY1, { format: 'csv' });
  if (!started.job) throw new Error('no job');
  seedJobRecord(world, DAY1, started.job, { executionId: EXECUTION });
  seedJobRecord(world, DAY2, { id: 'sibling-job' }, { executionId: EXECUTION });
  world.store.seed(FILE, 'partial', 'text/csv');
  world.store.seed(SIBLING, 'sibling', 'text/csv');
  await world.store.createUpload(FILE.replace('_1.csv', '_2.csv'), 'text/csv');
  return started.job.id;
}

describe('CleanupWindow', () => {
  it('undoes only its window and returns a failed result with the error and what it did', async () => {
    const world = stepWorld();
    const jobId = await inFlight(world);
    const out = await cleanupWindow(event(), world.rt);
    expect(out).toEqual({
      outcome: 'failed',
      window: DAY1,
      jobId,
      error: { name: 'JobFailedError', message: 'job failed at marketo: Internal error' },
      cleanup: { cancelledJobs: [jobId], abortedUploads: 1, removedObjects: 1, keptJobRecord: false },
    });
    // The window's failure is in the ledger now (attempts count only for data errors: none here).
    expect(world.store.keys()).toEqual([SIBLING, jobRecordKey('acts', DAY2), ledgerKey('acts')].sort());
    expect(world.progress.at(-1)).toMatchObject({ step: 'CleanupWindow', window: DAY1 });
  });

  it('a cancel that fails keeps the job record and claims no cancel', async () => {
    const world = stepWorld();
    const jobId = await inFlight(world);
    world.provider.cancelFailures.push(new Error('HTTP 503'));
    const out = (await cleanupWindow(event(), world.rt)) as WindowFailure;
    expect(out.cleanup).toEqual({
      cancelledJobs: [],
      abortedUploads: 1,
      removedObjects: 1,
      keptJobRecord: true,
      cancelPendingJobs: ['fake-1'],
    });
    expect(out.jobId).toBe(jobId);
    expect(world.store.keys()).toContain(jobRecordKey('acts', DAY1));
  });

  it('without a provider the job keeps its record; the uploads and files still come down', async () => {
    const world = stepWorld({ providerFails: new Error('AccessDenied: secret') });
    await inFlight(world);
    const out = (await cleanupWindow(event(), world.rt)) as WindowFailure;
    expect(out.cleanup).toEqual({
      cancelledJobs: [],
      abortedUploads: 1,
      removedObjects: 1,
      keptJobRecord: true,
      cancelPendingJobs: ['fake-1'],
    });
  });

  it('a window that never got a job reports no job and undoes nothing', async () => {
    const world = stepWorld();
    const out = await cleanupWindow(event(DAY1), world.rt);
    expect(out).toMatchObject({
      outcome: 'failed',
      jobId: null,
      cleanup: { cancelledJobs: [], abortedUploads: 0, removedObjects: 0, keptJobRecord: false },
    });
  });
});
