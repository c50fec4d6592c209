// The fake provider the workflow step tests run on must keep the same contract as the real ones.
import type { JobStatus } from '../../../../lambdas/providers/types';
import { TERMINAL_JOB_STATES } from '../../../../lambdas/providers/types';
import { FakeProvider } from '../../../support/fake-provider';
import { runProviderContract } from './provider-contract';

runProviderContract('fake', async () => {
  const provider = new FakeProvider();
  return {
    provider,
    window: { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' },
    request: { format: 'csv' },
    badRequest: { request: { format: 'xml' }, field: 'format' },
    remoteCalls: () => provider.calls.length,
    jobCalls: () => ({ created: provider.count('create'), enqueued: provider.count('enqueue') }),
    async runToEnd(job) {
      for (let poll = 0; poll < 20; poll++) {
        const status: JobStatus = await provider.checkJob(job, poll);
        if (TERMINAL_JOB_STATES.has(status.state)) return status;
      }
      throw new Error(`job ${job.id} did not end`);
    },
    failNextJob: () => provider.scriptNextJob({ state: 'queued' }, { state: 'failed', message: 'simulated failure' }),
    close: async () => {},
  };
});
