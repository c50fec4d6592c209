// A Salesforce provider wired to a fresh simulator on a shared manual clock, and the steps a window
// takes (start, poll to the end, read the file), for the client tests.
import type { Readable } from 'node:stream';
import { createSalesforceProvider, type SalesforceProvider } from '../../../../lambdas/providers/salesforce';
import type { ExportWindow, JobRef, JobStatus } from '../../../../lambdas/providers/types';
import { TERMINAL_JOB_STATES } from '../../../../lambdas/providers/types';
import { startSalesforceSimulator, type SalesforceSimulatorOptions } from '../../../../local/simulators/salesforce';
import { memoryLogger } from '../../../support/memory-logger';
import { ManualClock } from '../marketo/support/manual-clock';

export const WINDOW: ExportWindow = { start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' };
export const REQUEST = {
  object: 'Account',
  fields: ['Id', 'Name', 'Description', 'AnnualRevenue', 'IsDeleted', 'SystemModstamp'],
  pageRecords: 40,
};

export type SalesforceHarness = Awaited<ReturnType<typeof salesforceHarness>>;

export async function salesforceHarness(
  options: SalesforceSimulatorOptions = {},
  extra: { apiVersion?: string; request?: unknown } = {},
) {
  const clock = new ManualClock('2026-03-02T12:00:00Z');
  const sim = await startSalesforceSimulator({ now: () => clock.now(), recordsPerDay: 100, ...options });
  const logger = memoryLogger();
  const credentials = {
    instanceUrl: sim.baseUrl,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    ...(extra.apiVersion ? { apiVersion: extra.apiVersion } : {}),
  };
  const make = (apiVersion?: string): SalesforceProvider =>
    createSalesforceProvider(
      { ...credentials, ...(apiVersion ? { apiVersion } : {}) },
      { clock, logger },
      { request: extra.request ?? REQUEST, random: () => 0.5, maxAttempts: 3 },
    );
  const provider = make();
  const request = provider.validate(extra.request ?? REQUEST, WINDOW);

  async function started(): Promise<JobRef> {
    const result = await provider.startJob(WINDOW, request);
    if (result.kind !== 'started') throw new Error(`not started: ${JSON.stringify(result)}`);
    return result.job;
  }
  async function runToEnd(job: JobRef, p: SalesforceProvider = provider): Promise<JobStatus> {
    for (let poll = 0; poll < 50; poll++) {
      const status = await p.checkJob(job, poll);
      if (TERMINAL_JOB_STATES.has(status.state)) return status;
      clock.advance(1_000);
    }
    throw new Error('the job did not end');
  }
  return {
    sim,
    clock,
    logger,
    provider,
    make,
    request,
    started,
    runToEnd,
    /** Requests to a route as the simulator names it (`POST /services/data/vXX.X/jobs/query`). */
    requestsTo: (route: string) =>
      sim
        .requests()
        .filter(
          (r) => `${r.method} ${r.path.replace(/\/v\d+\.\d\//, '/vXX.X/').replace(/\/750[0-9A-Z]+/, '/:id')}` === route,
        ).length,
    async close() {
      await provider.close();
      await sim.stop();
    },
  };
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
