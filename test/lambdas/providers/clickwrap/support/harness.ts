// A simulator plus a provider wired to it, sharing one controllable "now", and a clock whose sleeps
// return at once but are remembered (so waits are asserted, never waited for).
import type { Readable } from 'node:stream';
import { createClickwrapProvider } from '../../../../../lambdas/providers/clickwrap';
import type { ClickwrapProviderOptions } from '../../../../../lambdas/providers/clickwrap';
import type { ExportProvider, ExportWindow, JobRef, JobStatus } from '../../../../../lambdas/providers/types';
import type { Clock } from '../../../../../lambdas/shared/clock';
import { memoryLogger } from '../../../../support/memory-logger';
import { startClickwrapSimulator } from '../../../../../local/simulators/clickwrap';
import type { ClickwrapSimulator, ClickwrapSimulatorOptions } from '../../../../../local/simulators/clickwrap';

export const DAY: ExportWindow = { start: '2024-03-01T00:00:00Z', end: '2024-03-02T00:00:00Z' };
export const FIELDS = [
  'id',
  'signer_id',
  'created_time',
  'event_type',
  'custom_data.vip',
  'connection_data.page_title',
  'custom_data.note',
];

export interface Harness {
  readonly sim: ClickwrapSimulator;
  readonly provider: ExportProvider;
  readonly logger: ReturnType<typeof memoryLogger>;
  /** Sleeps the provider asked for, in ms (already scaled). */
  readonly sleeps: number[];
  advance(ms: number): void;
  /** Another provider on the same simulator (other options or credentials). */
  makeProvider(
    options?: ClickwrapProviderOptions,
    credentials?: { apiToken: string; baseUrl?: string },
  ): ExportProvider;
  /** startJob + advance past processing + checkJob until succeeded. */
  runToLinks(request: Record<string, unknown>, window?: ExportWindow): Promise<{ job: JobRef; status: JobStatus }>;
}

export async function startHarness(
  simOptions: ClickwrapSimulatorOptions = {},
  providerOptions: ClickwrapProviderOptions = {},
): Promise<Harness> {
  let nowMs = Date.parse('2024-03-10T12:00:00Z');
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => new Date(nowMs),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
  const sim = await startClickwrapSimulator({
    recordsPerDay: 120,
    rowsPerFile: 50,
    processingMs: 4000,
    now: () => new Date(nowMs),
    ...simOptions,
  });
  const logger = memoryLogger();
  const makeProvider = (
    options: ClickwrapProviderOptions = providerOptions,
    credentials = { apiToken: sim.apiToken, baseUrl: sim.baseUrl },
  ) =>
    createClickwrapProvider(
      credentials,
      { clock, logger },
      {
        request: { allowedLinkHosts: [new URL(sim.fileHostUrl).host] },
        ...options,
      },
    );
  const provider = makeProvider();
  return {
    sim,
    provider,
    logger,
    sleeps,
    advance: (ms) => {
      nowMs += ms;
    },
    makeProvider,
    async runToLinks(request, window = DAY) {
      const started = await provider.startJob(window, request);
      if (started.kind !== 'started') throw new Error(`not started: ${started.kind}`);
      nowMs += 5000;
      const status = await provider.checkJob(started.job, 1);
      return { job: started.job, status };
    },
  };
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}
