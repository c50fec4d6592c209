// The Salesforce provider against the Salesforce simulator on 127.0.0.1, on a manual clock shared by
// both; the provider's sleeps return at once. Result sets of 100 records, so the file is several sets.
import { createSalesforceProvider } from '../../../../lambdas/providers/salesforce';
import type { JobStatus } from '../../../../lambdas/providers/types';
import { TERMINAL_JOB_STATES } from '../../../../lambdas/providers/types';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { startSalesforceSimulator } from '../../../../local/simulators/salesforce';
import { ManualClock } from '../marketo/support/manual-clock';
import { runProviderContract } from './provider-contract';

runProviderContract('salesforce', async () => {
  const clock = new ManualClock('2026-03-02T12:00:00Z');
  const sim = await startSalesforceSimulator({ now: () => clock.now(), maxRecordsPerPage: 100 });
  const request = { object: 'Account', fields: ['Id', 'Name', 'IsDeleted', 'SystemModstamp'], pageRecords: 100 };
  const provider = createSalesforceProvider(
    { instanceUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret },
    { clock, logger: silentLogger },
    { request, random: () => 0.5 },
  );
  const count = (method: string, path: RegExp) =>
    sim.requests().filter((r) => r.method === method && path.test(r.path)).length;
  return {
    provider,
    window: { start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' },
    request,
    badRequest: { request: { ...request, fields: ['Name'] }, field: 'fields' },
    remoteCalls: () => sim.requests().length,
    // A query job runs as soon as it is created: there is no enqueue.
    jobCalls: () => ({ created: count('POST', /\/jobs\/query$/), enqueued: 0 }),
    async runToEnd(job) {
      for (let poll = 0; poll < 50; poll++) {
        const status: JobStatus = await provider.checkJob(job, poll);
        if (TERMINAL_JOB_STATES.has(status.state)) return status;
        clock.advance(1_000);
      }
      throw new Error(`job ${job.id} did not end`);
    },
    failNextJob: () => {
      sim.faults.failNextJob = 'simulated: query timed out';
    },
    async close() {
      await provider.close();
      await sim.stop();
    },
  };
});
