// CheckJob without moto: one poll, and what it means next: wait (how long), transfer (which files),
// or fail (job failed, cancelled, or past its deadline).
import { describe, expect, it } from 'vitest';
import type { ExportProvider, JobRef } from '../../../../lambdas/providers/types';
import {
  JobCancelledError,
  JobDeadlineExceededError,
  JobFailedError,
  QuotaExceededError,
} from '../../../../lambdas/shared/errors';
import { checkJobProgressKey } from '../../../../lambdas/window/keys';
import { checkJob } from '../../../../lambdas/workflow/steps/check-job';
import type { FakeStep } from '../../../support/fake-provider';
import { csvBytes } from '../../../support/fake-provider';
import { DAY1, exportDefinition, stepWorld, type StepWorld } from './support/step-world';

async function jobWith(world: StepWorld, ...script: FakeStep[]): Promise<JobRef> {
  world.provider.scriptNextJob(...script);
  const started = await world.provider.startJob(DAY1, { format: 'csv' });
  if (!started.job) throw new Error('no job');
  return started.job;
}

function checkEvent(
  job: JobRef,
  poll: { count: number; waitSeconds: number; waitedSeconds: number; since?: string },
  exportName = 'acts',
) {
  return { export: exportName, window: DAY1, job, poll };
}

describe('CheckJob', () => {
  it('a running job: poll again after the provider wait; the poll count and the waits so far move on', async () => {
    const world = stepWorld();
    const job = await jobWith(world, { state: 'running' });
    const out = await checkJob(
      checkEvent(job, { count: 2, waitSeconds: 60, waitedSeconds: 120, since: '2026-01-03T04:57:00Z' }),
      world.rt,
    );
    expect(out).toEqual({
      state: 'running',
      providerStatus: 'running',
      files: [],
      fileCount: 0,
      records: null,
      count: 3,
      // The fake's wait grows with the poll count: 60 s × (2 + 1).
      waitSeconds: 180,
      waitedSeconds: 180,
      since: '2026-01-03T04:57:00Z',
    });
    expect(world.progress).toEqual([
      { export: 'acts', step: 'CheckJob', window: DAY1, message: `job ${job.id}: running` },
    ]);
  });

  it('a succeeded job: its files and record count, ready for the transfer', async () => {
    const world = stepWorld();
    const bytes = csvBytes(['id'], [['1'], ['2'], ['3']]);
    const job = await jobWith(world, { state: 'succeeded', files: [{ bytes }, { bytes }], records: 6 });
    const out = await checkJob(checkEvent(job, { count: 0, waitSeconds: 60, waitedSeconds: 0 }), world.rt);
    expect(out).toMatchObject({ state: 'succeeded', fileCount: 2, records: 6, count: 1 });
    expect(out.files.map((f) => [f.index, f.size])).toEqual([
      [1, bytes.length],
      [2, bytes.length],
    ]);
    // A terminal check asks for no wait, but the Wait state is never shorter than a second.
    expect(out.waitSeconds).toBe(1);
  });

  it('a succeeded job that states no record count gives null', async () => {
    const world = stepWorld();
    const job = await jobWith(world, { state: 'succeeded', files: [] });
    expect(await checkJob(checkEvent(job, { count: 0, waitSeconds: 0, waitedSeconds: 0 }), world.rt)).toMatchObject({
      state: 'succeeded',
      files: [],
      fileCount: 0,
      records: null,
    });
  });

  it('a failed job throws JobFailedError with the provider message', async () => {
    const world = stepWorld();
    const job = await jobWith(world, { state: 'failed', message: 'Export failed: out of disk' });
    const check = checkJob(checkEvent(job, { count: 0, waitSeconds: 60, waitedSeconds: 0 }), world.rt);
    await expect(check).rejects.toBeInstanceOf(JobFailedError);
    await expect(check).rejects.toThrow(/Export failed: out of disk/);
  });

  it('a job cancelled elsewhere throws JobCancelledError', async () => {
    const world = stepWorld();
    const job = await jobWith(world, { state: 'running' });
    await world.provider.cancelJob(job);
    await expect(
      checkJob(checkEvent(job, { count: 0, waitSeconds: 60, waitedSeconds: 0 }), world.rt),
    ).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('a job still running past jobTimeoutMinutes since it started throws JobDeadlineExceededError', async () => {
    const world = stepWorld();
    const job = await jobWith(world, { state: 'running' });
    // Started 31 minutes ago with a 30-minute deadline, by the clock.
    const late = checkEvent(
      job,
      { count: 5, waitSeconds: 60, waitedSeconds: 300, since: '2026-01-03T04:29:00Z' },
      world.define(exportDefinition({ jobTimeoutMinutes: 30 })),
    );
    await expect(checkJob(late, world.rt)).rejects.toBeInstanceOf(JobDeadlineExceededError);
    // 29 minutes is still fine.
    const inTime = checkEvent(
      job,
      { count: 5, waitSeconds: 60, waitedSeconds: 300, since: '2026-01-03T04:31:00Z' },
      world.define(exportDefinition({ jobTimeoutMinutes: 30 })),
    );
    await expect(checkJob(inTime, world.rt)).resolves.toMatchObject({ state: 'running' });
  });

  it('the deadline also counts the waits asked for (shortened local waits reach it after as many polls)', async () => {
    const world = stepWorld();
    const job = await jobWith(world, { state: 'queued' });
    const event = checkEvent(
      job,
      { count: 30, waitSeconds: 120, waitedSeconds: 30 * 60 - 60, since: world.clock.now().toISOString() },
      world.define(exportDefinition({ jobTimeoutMinutes: 30 })),
    );
    await expect(checkJob(event, world.rt)).rejects.toBeInstanceOf(JobDeadlineExceededError);
  });

  it('a job that finished after its deadline still transfers: the deadline is for waiting, not for results', async () => {
    const world = stepWorld();
    const job = await jobWith(world, { state: 'succeeded', files: [{ bytes: csvBytes(['id'], [['1']]) }], records: 1 });
    const event = checkEvent(
      job,
      { count: 50, waitSeconds: 300, waitedSeconds: 10 * 3600, since: '2026-01-02T00:00:00Z' },
      world.define(exportDefinition({ jobTimeoutMinutes: 30 })),
    );
    await expect(checkJob(event, world.rt)).resolves.toMatchObject({ state: 'succeeded', fileCount: 1 });
  });

  it('a malformed poll is refused naming the field, before the provider is asked', async () => {
    const world = stepWorld();
    const job = await jobWith(world, { state: 'running' });
    const polls = world.provider.count('status');
    await expect(
      checkJob({ ...checkEvent(job, { count: -1, waitSeconds: 0, waitedSeconds: 0 }) }, world.rt),
    ).rejects.toMatchObject({ name: 'ValidationError', field: 'poll.count' });
    expect(world.provider.count('status')).toBe(polls);
  });

  it('a deferral that carries progress (a count that pages) keeps it beside the window; the check after the wait is given it and deletes it', async () => {
    const world = stepWorld();
    const bytes = csvBytes(['id'], [['1']]);
    const job = await jobWith(world, { state: 'succeeded', files: [{ bytes }], records: 1 });
    const check = world.provider.checkJob.bind(world.provider);
    const resumes: (string | undefined)[] = [];
    // The fake's checkJob takes no progress; the step's provider contract does.
    (world.provider as { checkJob: ExportProvider['checkJob'] }).checkJob = async (j, n, resume) => {
      resumes.push(resume);
      if (resumes.length === 1)
        throw new QuotaExceededError('daily quota', '2026-01-04T06:00:00Z', '607', { progress: 'page-7' });
      return check(j, n);
    };
    const event = checkEvent(job, { count: 0, waitSeconds: 60, waitedSeconds: 0 });
    const key = checkJobProgressKey('acts', DAY1);
    await expect(checkJob(event, world.rt)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(JSON.parse((await world.store.getObject(key))!.body.toString())).toEqual({
      jobId: job.id,
      progress: 'page-7',
    });
    // The state machine runs the step again on the same state after its wait.
    await expect(checkJob(event, world.rt)).resolves.toMatchObject({ state: 'succeeded' });
    expect(resumes).toEqual([undefined, 'page-7']);
    expect(await world.store.getObject(key)).toBeUndefined();
    // Another job's progress is not this job's.
    await world.store.putObject(key, JSON.stringify({ jobId: 'other', progress: 'x' }), 'application/json');
    await checkJob(event, world.rt);
    expect(resumes.at(-1)).toBeUndefined();
  });
});
