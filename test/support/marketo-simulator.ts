// The Marketo simulator of a test file: `useMarketoSimulator(defaults)` at the top of a file gives a
// starter whose simulator is stopped (by itself, on 127.0.0.1) after each test.
import { afterEach } from 'vitest';
import type { MarketoSimulatorOptions } from '../../local/simulators/marketo';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';

export type MarketoTestSimulator = RunningSimulator & { provider: 'marketo' };

export function useMarketoSimulator(
  defaults: MarketoSimulatorOptions = {},
): (options?: MarketoSimulatorOptions) => Promise<MarketoTestSimulator> {
  let sim: MarketoTestSimulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  return async (options = {}) => {
    const started = (await startSimulatorFor('marketo', {
      marketo: { ...defaults, ...options },
    })) as MarketoTestSimulator;
    sim = started;
    return started;
  };
}

/** The environment that points a CLI child at `sim` as if it were the real API (the CLI runs no simulator). */
export function marketoCredentialsEnv(sim: MarketoTestSimulator): Record<string, string> {
  return {
    MARKETO_BASE_URL: sim.credentials.baseUrl,
    MARKETO_CLIENT_ID: sim.credentials.clientId,
    MARKETO_CLIENT_SECRET: sim.credentials.clientSecret,
  };
}
