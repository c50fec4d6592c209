// Cleanup without moto: after a failure each window this run owns is either exactly what its manifest
// lists or gone (job cancelled, record deleted, uploads aborted, stray files removed); windows of
// another execution are left alone; and Cleanup itself never fails.
import { describe, expect, it } from 'vitest';
import { readJobRecord } from '../../../../lambdas/window/job-record';
import { jobRecordKey, manifestKey } from '../../../../lambdas/window/keys';
import { cleanup } from '../../../../lambdas/workflow/steps/cleanup';
import { describeCaught } from '../../../../lambdas/workflow/steps/describe-caught';
import { manifestFixtureText } from '../../../support/manifest-fixture';
import {
  DAY1,
  DAY2,
  EXECUTION,
  exportDefinition,
  seedJobRecord,
  stepWorld,
  type StepWorld,
} from './support/step-world';

const STEM = '20260101T000000Z_20260102T000000Z';
const FILE1 = `raw/acts/dt=2026-01-01/${STEM}_1.csv`;
const FILE2 = `raw/acts/dt=2026-01-01/${STEM}_2.csv`;
const CAUSE = JSON.stringify({
  errorType: 'ChecksumMismatchError',
  errorMessage: 'ChecksumMismatchError: raw/acts/…: SHA-256 differs',
  trace: [],
});

function cleanupEvent(windows = [DAY1], input: unknown = { export: 'acts' }) {
  return {
    input,
    plan: { windows },
    error: { Error: 'ChecksumMismatchError', Cause: CAUSE },
    startedAt: '2026-01-03T04:58:00Z',
    executionId: EXECUTION,
  };
}

/** A window this run was in the middle of: a live job, its record, one file landed, one upload open. */
async function inFlight(world: StepWorld, owner = EXECUTION): Promise<{ jobId: string; uploadId: string }> {
  world.provider.scriptNextJob({ state: 'running' });
  const started = await world.provider.startJob(DAY1, { format: 'csv' });
  if (!started.job) throw new Error('no job');
  seedJobRecord(world, DAY1, started.job, { executionId: owner });
  world.store.seed(FILE1, 'landed', 'text/csv');
  const { uploadId } = await world.store.createUpload(FILE2, 'text/csv');
  world.store.calls.length = 0;
  return { jobId: started.job.id, uploadId };
}

describe('Cleanup', () => {
  it("undoes this run's window: cancels the job, deletes the record, aborts the upload, removes the unlisted file", async () => {
    const world = stepWorld();
    const { jobId } = await inFlight(world);
    const out = await cleanup(cleanupEvent(), world.rt);
    expect(out.error).toEqual({ name: 'ChecksumMismatchError', message: 'raw/acts/…: SHA-256 differs' });
    expect(out.event).toEqual({
      export: 'acts',
      provider: 'marketo',
      dataset: 'activities',
      window: DAY1,
      jobIds: [jobId],
      error: out.error,
      durationSeconds: 120,
      cleanup: { cancelledJobs: [jobId], abortedUploads: 1, removedObjects: 1 },
      windows: { landed: [], failed: [{ ...DAY1, jobId, error: out.error }] },
      watermark: null,
      executionId: EXECUTION,
    });
    expect(world.provider.jobs()[0]?.cancelled).toBe(true);
    expect(world.store.keys()).toEqual([]);
    expect(await world.store.listPendingUploads('')).toEqual([]);
  });

  it('a window whose record names another execution is left alone', async () => {
    const world = stepWorld();
    const { uploadId } = await inFlight(world, 'arn:aws:states:us-east-1:123456789012:execution:export:run-2');
    const out = await cleanup(cleanupEvent(), world.rt);
    expect(out.event.cleanup).toEqual({ cancelledJobs: [], abortedUploads: 0, removedObjects: 0 });
    expect(world.provider.count('cancel')).toBe(0);
    expect(world.store.keys()).toEqual([FILE1, jobRecordKey('acts', DAY1)].sort());
    expect(await world.store.listPendingUploads('')).toEqual([{ key: FILE2, uploadId }]);
    expect(
      world.logger.lines.some(
        (l) => l.level === 'warn' && l.message === 'window belongs to another execution; left alone',
      ),
    ).toBe(true);
  });

  it('a window without a record (never started, or landed) is not touched', async () => {
    const world = stepWorld();
    world.store.seed(FILE1, 'landed', 'text/csv');
    const out = await cleanup(cleanupEvent([DAY1, DAY2]), world.rt);
    expect(out.event.cleanup).toEqual({ cancelledJobs: [], abortedUploads: 0, removedObjects: 0 });
    expect(world.store.keys()).toEqual([FILE1]);
    expect(out.event.window).toEqual({ start: DAY1.start, end: DAY2.end });
  });

  it('a window that had landed before this failed re-run keeps exactly what its manifest lists', async () => {
    const world = stepWorld();
    await inFlight(world);
    const manifest = manifestKey('acts', DAY1);
    world.store.seed(
      manifest,
      manifestFixtureText({ files: [{ key: FILE1, bytes: 'landed'.length }] }),
      'application/json',
    );
    const out = await cleanup(cleanupEvent(), world.rt);
    expect(out.event.cleanup).toMatchObject({ abortedUploads: 1, removedObjects: 0 });
    expect(world.store.keys()).toEqual([FILE1, manifest].sort());
  });

  it.each([
    ['lists a file at another size', [{ key: FILE1, bytes: 999 }]],
    ['does not list a file that is there', []],
    [
      'lists a file that is not there',
      [
        { key: FILE1, bytes: 6 },
        { key: FILE2, bytes: 3 },
      ],
    ],
  ])('a window left mixed (its manifest %s) comes down entirely, manifest included', async (_what, files) => {
    const world = stepWorld();
    await inFlight(world);
    world.store.seed(manifestKey('acts', DAY1), manifestFixtureText({ files }), 'application/json');
    const out = await cleanup(cleanupEvent(), world.rt);
    expect(out.event.cleanup.removedObjects).toBe(1);
    expect(world.store.keys()).toEqual([]);
  });

  it('without a provider (its secret unreadable) the job record stays, its cancel pending; the rest is still undone', async () => {
    const world = stepWorld({ providerFails: new Error('AccessDenied: secret') });
    await inFlight(world);
    const out = await cleanup(cleanupEvent(), world.rt);
    expect(out.event.cleanup).toEqual({
      cancelledJobs: [],
      cancelPendingJobs: ['fake-1'],
      abortedUploads: 1,
      removedObjects: 1,
    });
    expect(out.event.jobIds).toEqual(['fake-1']);
    expect(world.logger.lines.some((l) => l.message.startsWith('cleanup could not build the provider'))).toBe(true);
    expect((await readJobRecord(world.store, 'acts', DAY1))?.cancelPending).toMatchObject({
      reason: 'the provider could not be built',
    });
  });

  it('a cancel that fails keeps the record, marked; a later cleanup whose cancel succeeds removes it', async () => {
    const world = stepWorld();
    await inFlight(world);
    world.provider.cancelFailures.push(new Error('TransientApiError: HTTP 503'));
    const failed = await cleanup(cleanupEvent(), world.rt);
    expect(failed.event.cleanup).toMatchObject({ cancelledJobs: [], cancelPendingJobs: ['fake-1'] });
    expect((await readJobRecord(world.store, 'acts', DAY1))?.cancelPending?.reason).toContain('HTTP 503');
    const retried = await cleanup(cleanupEvent(), world.rt);
    expect(retried.event.cleanup).toMatchObject({ cancelledJobs: ['fake-1'] });
    expect(retried.event.cleanup.cancelPendingJobs).toBeUndefined();
    expect(await readJobRecord(world.store, 'acts', DAY1)).toBeUndefined();
  });

  it('a job record that cannot be deleted after the cancel still reports the cancel that happened', async () => {
    const world = stepWorld();
    await inFlight(world);
    world.store.failNext('deleteObject', new Error('InternalError'), { keyPrefix: 'state/' });
    const out = await cleanup(cleanupEvent(), world.rt);
    expect(out.event.cleanup).toEqual({
      cancelledJobs: [world.provider.jobs()[0]!.id],
      abortedUploads: 1,
      removedObjects: 1,
    });
    expect(world.logger.lines.filter((l) => l.level === 'error').map((l) => l.message)).toContain(
      'cleanup could not delete the job record',
    );
  });

  it('a step that fails is logged and skipped: Cleanup never fails itself', async () => {
    const world = stepWorld();
    await inFlight(world);
    world.store.failNext('listPendingUploads', new Error('SlowDown'));
    world.store.failNext('deleteObject', new Error('InternalError'), { keyPrefix: 'state/' });
    world.provider.cancelFailures.push(new Error('cancel timed out'));
    const out = await cleanup(cleanupEvent(), world.rt);
    expect(out.event.cleanup).toEqual({
      cancelledJobs: [],
      cancelPendingJobs: ['fake-1'],
      abortedUploads: 0,
      removedObjects: 1,
    });
    const errors = world.logger.lines.filter((l) => l.level === 'error').map((l) => l.message);
    expect(errors).toEqual(
      expect.arrayContaining([
        'cleanup could not cancel the job; its record stays, marked cancelPending',
        'cleanup could not abort uploads',
      ]),
    );
  });

  it('a job whose cancel failed keeps its record (a later run resumes or cancels it); nothing claims the cancel', async () => {
    const world = stepWorld();
    await inFlight(world);
    world.provider.cancelFailures.push(new Error('cancel timed out'));
    const out = await cleanup(cleanupEvent(), world.rt);
    expect(out.event.cleanup).toEqual({
      cancelledJobs: [],
      cancelPendingJobs: ['fake-1'],
      abortedUploads: 1,
      removedObjects: 1,
    });
    expect(world.store.keys()).toEqual([jobRecordKey('acts', DAY1)]);
    expect(world.logger.lines.filter((l) => l.level === 'error').map((l) => l.message)).toContain(
      'cleanup could not cancel the job; its record stays, marked cancelPending',
    );
  });

  it("a window this run landed before it failed elsewhere is reported landed and kept; an earlier run's manifest is not this run's", async () => {
    const world = stepWorld();
    const listing = (runStartedAt: string, key: string) =>
      manifestFixtureText({ jobId: `job-${runStartedAt}`, files: [{ key, bytes: 6 }], runStartedAt });
    world.store.seed(FILE1, 'landed', 'text/csv');
    world.store.seed(manifestKey('acts', DAY1), listing('2026-01-03T04:58:00Z', FILE1), 'application/json');
    const day2File = `raw/acts/dt=2026-01-02/20260102T000000Z_20260103T000000Z.csv`;
    world.store.seed(day2File, 'landed', 'text/csv');
    world.store.seed(manifestKey('acts', DAY2), listing('2026-01-02T04:58:00Z', day2File), 'application/json');
    const out = await cleanup(cleanupEvent([DAY1, DAY2]), world.rt);
    expect(out.event.windows).toEqual({
      landed: [
        { ...DAY1, jobId: 'job-2026-01-03T04:58:00Z', manifest: `memory://test-bucket/${manifestKey('acts', DAY1)}` },
      ],
      failed: [{ ...DAY2, jobId: null, error: out.error }],
    });
    expect(world.store.keys()).toHaveLength(4);
  });

  it('an input naming no export of the deployment undoes nothing and still reports the failure', async () => {
    const world = stepWorld();
    await inFlight(world);
    const named = await cleanup(cleanupEvent([DAY1], { export: 'not-deployed' }), world.rt);
    expect(named.event).toMatchObject({
      export: 'not-deployed',
      provider: 'unknown',
      dataset: 'unknown',
      cleanup: { cancelledJobs: [], abortedUploads: 0, removedObjects: 0 },
    });
    const definition = await cleanup(cleanupEvent([DAY1], { export: exportDefinition() }), world.rt);
    expect(definition.event).toMatchObject({ export: 'unknown', provider: 'unknown' });
    const nameless = await cleanup(cleanupEvent([DAY1], null), world.rt);
    expect(nameless.event.export).toBe('unknown');
    expect(world.provider.count('cancel')).toBe(0);
  });

  it('a malformed event is refused naming the field', async () => {
    const world = stepWorld();
    await expect(cleanup({ ...cleanupEvent(), error: {} }, world.rt)).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'error.Error',
    });
  });
});

describe('describeCaught', () => {
  it('reads the Lambda JSON report (AWS) and plain text (local), without repeating the name', () => {
    expect(
      describeCaught({
        Error: 'JobFailedError',
        Cause: JSON.stringify({ errorMessage: 'JobFailedError: job 7 failed' }),
      }),
    ).toEqual({ name: 'JobFailedError', message: 'job 7 failed' });
    expect(describeCaught({ Error: 'States.Timeout', Cause: 'Task timed out after 900 s' })).toEqual({
      name: 'States.Timeout',
      message: 'Task timed out after 900 s',
    });
    expect(describeCaught({ Error: 'States.Runtime' })).toEqual({ name: 'States.Runtime', message: '' });
  });

  it('cuts a long message to 1,000 characters', () => {
    const { message } = describeCaught({ Error: 'X', Cause: 'y'.repeat(5_000) });
    expect(message).toHaveLength(1_001);
    expect(message.endsWith('…')).toBe(true);
  });
});
