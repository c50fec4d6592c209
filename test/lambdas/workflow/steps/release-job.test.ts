// ReleaseJob without moto: a landed window's job deleted at a provider that advises it (its descriptor
// says releasesJobs), nothing built for one that keeps no job, and every failure logged and counted
// instead of thrown, a spent daily limit included.
import { describe, expect, it, vi } from 'vitest';
import { QuotaExceededError, AuthenticationError } from '../../../../lambdas/shared/errors';
import { releaseJob } from '../../../../lambdas/workflow/steps/release-job';
import { DAY1, exportDefinition, stepWorld, type StepWorldOptions } from './support/step-world';

const salesforce = exportDefinition({
  name: 'accounts',
  provider: 'salesforce',
  dataset: 'sobject',
  secretName: 'accounts/connection',
  request: { object: 'Account', fields: ['Id', 'SystemModstamp'] },
});
const job = { id: '750R0000000zlh9IAA', createdAt: '2026-01-02T00:00:10Z' };
const event = (exportName: string) => ({ export: exportName, window: DAY1, job });

function world(release: () => Promise<void>, options: StepWorldOptions = {}) {
  const w = stepWorld({ exports: [exportDefinition(), salesforce], ...options });
  const releaseJobMock = vi.fn(release);
  Object.assign(w.provider, { releaseJob: releaseJobMock });
  const metric = (name: string) => {
    w.metrics.flush();
    return w.metrics.emitted().filter((m) => m.name === name);
  };
  return { ...w, releaseJobMock, metric };
}

describe('ReleaseJob', () => {
  it('deletes the landed job where the provider advises it, and counts it', async () => {
    const w = world(async () => {});
    expect(await releaseJob(event('accounts'), w.rt)).toEqual({ jobId: job.id, outcome: 'released' });
    expect(w.releaseJobMock).toHaveBeenCalledWith(job);
    expect(w.metric('JobsReleased').map((m) => m.value)).toEqual([1]);
    expect(w.progress).toEqual([
      { export: 'accounts', step: 'ReleaseJob', window: DAY1, message: `job ${job.id} deleted` },
    ]);
  });

  it('builds no provider (reads no secret) for one whose descriptor keeps no job', async () => {
    const w = world(async () => {}, { providerFails: new Error('must not be built') });
    expect(await releaseJob(event('acts'), w.rt)).toEqual({ jobId: job.id, outcome: 'not-applicable' });
    expect(w.releaseJobMock).not.toHaveBeenCalled();
    w.metrics.flush();
    expect(w.metrics.emitted()).toEqual([]);
  });

  it('a failed delete, a spent daily limit or an unreadable secret is logged and counted, never thrown', async () => {
    const failures = [
      world(() => Promise.reject(new QuotaExceededError('DailyApiRequests used up', '2026-01-03T06:00:00Z'))),
      world(async () => {}, { providerFails: new AuthenticationError('secret accounts/connection unreadable') }),
    ];
    for (const [w, name] of [
      [failures[0]!, 'QuotaExceededError'],
      [failures[1]!, 'AuthenticationError'],
    ] as const) {
      expect(await releaseJob(event('accounts'), w.rt)).toEqual({ jobId: job.id, outcome: 'failed', error: name });
      expect(w.metric('JobReleasesFailed').map((m) => m.dimensions.reason)).toEqual([name]);
      expect(w.metric('JobsReleased')).toEqual([]);
      const warned = w.logger.lines.filter((l) => l.level === 'warn');
      expect(warned).toHaveLength(1);
      expect(warned[0]!.fields).toMatchObject({ export: 'accounts', jobId: job.id, error: { name } });
    }
  });
});
