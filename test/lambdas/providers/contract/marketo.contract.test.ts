// The Marketo provider against the Marketo simulator on 127.0.0.1, on a manual clock shared by both.
import { createMarketoProvider } from '../../../../lambdas/providers/marketo';
import type { JobStatus } from '../../../../lambdas/providers/types';
import { TERMINAL_JOB_STATES } from '../../../../lambdas/providers/types';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { startMarketoSimulator } from '../../../../local/simulators/marketo';
import { ManualClock } from '../marketo/support/manual-clock';
import { runProviderContract } from './provider-contract';

runProviderContract('marketo', async () => {
  const clock = new ManualClock('2026-03-02T12:00:00Z');
  const sim = await startMarketoSimulator({ now: () => clock.now() });
  const provider = createMarketoProvider(
    { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret },
    { clock, logger: silentLogger },
    { random: () => 0.5 },
  );
  return {
    provider,
    window: { start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' },
    request: { format: 'CSV' },
    badRequest: { request: { format: 'XLSX' }, field: 'format' },
    remoteCalls: () => sim.stats().total,
    jobCalls: () => {
      const { byKind } = sim.stats();
      return { created: byKind.create ?? 0, enqueued: byKind.enqueue ?? 0 };
    },
    async runToEnd(job) {
      for (let poll = 0; poll < 50; poll++) {
        const status: JobStatus = await provider.checkJob(job, poll);
        if (TERMINAL_JOB_STATES.has(status.state)) return status;
        clock.advance(1_000);
      }
      throw new Error(`job ${job.id} did not end`);
    },
    failNextJob: () => {
      sim.faults.failNextJob = 'Export failed: simulated';
    },
    async close() {
      await provider.close();
      await sim.stop();
    },
  };
});
