// Starts the bundled simulator of a provider on 127.0.0.1 and hands back the credentials that reach it.
// One starter per provider, keyed by the one provider list: a provider without a simulator is a compile
// error here.
import type { ProviderName } from '#shared/provider-names';
import { startClickwrapSimulator } from './clickwrap';
import { startMarketoSimulator, type MarketoSimulatorOptions } from './marketo';
import { startSalesforceSimulator, type SalesforceSimulatorOptions } from './salesforce';

type ClickwrapSimulatorOptions = NonNullable<Parameters<typeof startClickwrapSimulator>[0]>;
export type MarketoSimulator = Awaited<ReturnType<typeof startMarketoSimulator>>;
export type ClickwrapSimulator = Awaited<ReturnType<typeof startClickwrapSimulator>>;
export type SalesforceSimulator = Awaited<ReturnType<typeof startSalesforceSimulator>>;

export interface SimulatorSettings {
  readonly marketo?: MarketoSimulatorOptions;
  readonly clickwrap?: ClickwrapSimulatorOptions;
  readonly salesforce?: SalesforceSimulatorOptions;
  /** Leave the simulator running after the export (tests inspect it, then call stop()). */
  readonly keepRunning?: boolean;
  /** Use this already running simulator (a test that flips fault switches during the run). */
  readonly running?: RunningSimulator;
  /** Marketo file bodies at about this rate (real time): a run slow enough to interrupt. */
  readonly slowBytesPerSecond?: number;
}

export type RunningSimulator =
  | {
      readonly provider: 'marketo';
      readonly credentials: { baseUrl: string; clientId: string; clientSecret: string };
      readonly marketo: MarketoSimulator;
      stop(): Promise<void>;
    }
  | {
      readonly provider: 'clickwrap';
      readonly credentials: { apiToken: string; baseUrl: string };
      readonly clickwrap: ClickwrapSimulator;
      stop(): Promise<void>;
    }
  | {
      readonly provider: 'salesforce';
      readonly credentials: { instanceUrl: string; clientId: string; clientSecret: string };
      readonly salesforce: SalesforceSimulator;
      stop(): Promise<void>;
    };

/** A registry of simulator starters for the providers `Names`. */
export type SimulatorRegistry<Names extends string> = {
  readonly [P in Names]: (settings: SimulatorSettings) => Promise<unknown>;
};

export const SIMULATOR_STARTERS = {
  marketo: async (settings) => {
    const sim = await startMarketoSimulator(settings.marketo ?? {});
    if (settings.slowBytesPerSecond) sim.faults.slowBytesPerSecond = settings.slowBytesPerSecond;
    return {
      provider: 'marketo',
      credentials: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret },
      marketo: sim,
      stop: () => sim.stop(),
    };
  },
  clickwrap: async (settings) => {
    const sim = await startClickwrapSimulator(settings.clickwrap ?? {});
    return {
      provider: 'clickwrap',
      credentials: { apiToken: sim.apiToken, baseUrl: sim.baseUrl },
      clickwrap: sim,
      stop: () => sim.stop(),
    };
  },
  salesforce: async (settings) => {
    const sim = await startSalesforceSimulator(settings.salesforce ?? {});
    return {
      provider: 'salesforce',
      credentials: { instanceUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret },
      salesforce: sim,
      stop: () => sim.stop(),
    };
  },
} as const satisfies SimulatorRegistry<ProviderName> & {
  readonly [P in ProviderName]: (settings: SimulatorSettings) => Promise<RunningSimulator & { provider: P }>;
};

export async function startSimulatorFor(
  provider: ProviderName,
  settings: SimulatorSettings,
): Promise<RunningSimulator> {
  if (settings.running) {
    if (settings.running.provider !== provider)
      throw new Error(`the running simulator is ${settings.running.provider}'s, not ${provider}'s`);
    return settings.running;
  }
  return SIMULATOR_STARTERS[provider](settings);
}
