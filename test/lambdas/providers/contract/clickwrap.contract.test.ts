// The Clickwrap provider (export-task mode) against the Clickwrap simulator (API and file host on
// 127.0.0.1), sharing one controllable "now"; the provider's sleeps return at once.
import { createClickwrapProvider } from '../../../../lambdas/providers/clickwrap';
import type { JobStatus } from '../../../../lambdas/providers/types';
import { TERMINAL_JOB_STATES } from '../../../../lambdas/providers/types';
import type { Clock } from '../../../../lambdas/shared/clock';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { startClickwrapSimulator } from '../../../../local/simulators/clickwrap';
import { runProviderContract } from './provider-contract';

runProviderContract('clickwrap', async () => {
  let nowMs = Date.parse('2024-03-10T12:00:00Z');
  const clock: Clock = { now: () => new Date(nowMs), sleep: async () => {} };
  const sim = await startClickwrapSimulator({
    recordsPerDay: 120,
    rowsPerFile: 50,
    processingMs: 4_000,
    now: () => new Date(nowMs),
  });
  const request = {
    fields: ['id', 'signer_id', 'created_time', 'event_type'],
    allowedLinkHosts: [new URL(sim.fileHostUrl).host],
  };
  const provider = createClickwrapProvider(
    { apiToken: sim.apiToken, baseUrl: sim.baseUrl },
    { clock, logger: silentLogger },
    { request },
  );
  return {
    provider,
    window: { start: '2024-03-01T00:00:00Z', end: '2024-03-02T00:00:00Z' },
    request,
    badRequest: { request: { mode: 'bulk' }, field: 'mode' },
    remoteCalls: () => sim.stats().total,
    // A Clickwrap export task runs as soon as it is created: there is no enqueue.
    jobCalls: () => ({ created: sim.stats().byPath['POST /tasks/export/activity'] ?? 0, enqueued: 0 }),
    async runToEnd(job) {
      for (let poll = 0; poll < 20; poll++) {
        const status: JobStatus = await provider.checkJob(job, poll);
        if (TERMINAL_JOB_STATES.has(status.state)) return status;
        nowMs += 1_000;
      }
      throw new Error(`task ${job.id} did not end`);
    },
    failNextJob: () => {
      sim.faults.failNextTask = 'export failed: simulated';
    },
    lacks: { cancel: 'the API documents no route to cancel an export task' },
    close: () => sim.stop(),
  };
});
