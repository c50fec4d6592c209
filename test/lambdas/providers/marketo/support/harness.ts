// One simulator + one provider per test, sharing a ManualClock: the simulator's job lifecycle, rate
// window and quota day follow the same clock the provider sleeps on, so waits cost no real time.
import type { Readable } from 'node:stream';
import { afterAll } from 'vitest';
import {
  startMarketoSimulator,
  type MarketoSimulator,
  type MarketoSimulatorOptions,
} from '../../../../../local/simulators/marketo';
import {
  createMarketoProvider,
  type MarketoProvider,
  type MarketoProviderOptions,
} from '../../../../../lambdas/providers/marketo';
import type { ExportWindow } from '../../../../../lambdas/providers/types';
import { ScaledSleepClock } from '../../../../../lambdas/shared/clock';
import { memoryLogger } from '../../../../support/memory-logger';
import { ManualClock } from './manual-clock';

export const WINDOW: ExportWindow = { start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' };
export const NOW = '2026-03-02T12:00:00Z';

const toClose: Array<() => Promise<void>> = [];

/** Registers the file's cleanup: every simulator and provider made here is closed after all tests. */
export function closeAllAfterTests(): void {
  afterAll(async () => {
    for (const close of toClose.splice(0).reverse()) await close();
  });
}

export interface Harness {
  readonly clock: ManualClock;
  readonly sim: MarketoSimulator;
  readonly provider: MarketoProvider;
  readonly logger: ReturnType<typeof memoryLogger>;
  /** Another provider on the same simulator and clock (e.g. with other options or credentials). */
  providerWith(
    options?: MarketoProviderOptions,
    overrides?: { clientSecret?: string; sleepScale?: number },
  ): MarketoProvider;
}

export async function harness(
  simOptions: MarketoSimulatorOptions = {},
  providerOptions: MarketoProviderOptions = {},
  ctx: { sleepScale?: number } = {},
): Promise<Harness> {
  const clock = new ManualClock(NOW);
  const sim = await startMarketoSimulator({ now: () => clock.now(), ...simOptions });
  toClose.push(() => sim.stop());
  const logger = memoryLogger();
  const providerWith = (
    options: MarketoProviderOptions = {},
    overrides: { clientSecret?: string; sleepScale?: number } = {},
  ) => {
    const sleepScale = overrides.sleepScale ?? ctx.sleepScale;
    const provider = createMarketoProvider(
      { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: overrides.clientSecret ?? sim.clientSecret },
      { clock: sleepScale === undefined ? clock : new ScaledSleepClock(clock, sleepScale), logger },
      { random: () => 0.5, ...providerOptions, ...options },
    );
    toClose.push(() => provider.close());
    return provider;
  };
  return { clock, sim, logger, provider: providerWith(), providerWith };
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Reads until the body fails (or ends); returns what arrived. */
export async function readUntilError(body: Readable): Promise<{ bytes: Buffer; error?: unknown }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
    return { bytes: Buffer.concat(chunks) };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

/** Polls (advancing the clock a second between polls) until the job is terminal. */
export async function runToEnd(h: Pick<Harness, 'clock' | 'provider'>, id: string, maxPolls = 50) {
  for (let poll = 0; poll < maxPolls; poll += 1) {
    const status = await h.provider.checkJob({ id, enqueued: true }, poll);
    if (['succeeded', 'failed', 'cancelled'].includes(status.state)) return status;
    h.clock.advance(1_000);
  }
  throw new Error(`job ${id} did not finish`);
}
