// The two simulators of a soak, one instance each for the whole simulated month, in the soak's own
// process (the runs are child processes that reach them through the environment). They share a clock
// the soak sets to each replayed day, so their job times and daily quotas see the day the runs see.
import { startSimulatorFor, type ClickwrapSimulator, type MarketoSimulator } from '../simulators/start-simulator';

/** A clock that reads the instant it was last set to, advancing with real time from there. */
export class ReplayClock {
  private offsetMs = 0;

  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

export interface SoakSimulators {
  readonly clock: ReplayClock;
  readonly marketo: MarketoSimulator;
  readonly clickwrap: ClickwrapSimulator;
  /** The environment a child run reaches both simulators with. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** Marketo files of about 2.5 MB a day: cut at 1 MiB, a window converts in several splits. */
const MARKETO_RECORDS_PER_DAY = 8000;

export async function startSoakSimulators(seed: number): Promise<SoakSimulators> {
  const clock = new ReplayClock();
  const now = () => clock.now();
  const marketo = await startSimulatorFor('marketo', {
    marketo: {
      now,
      seed,
      recordsPerDay: MARKETO_RECORDS_PER_DAY,
      queuedMs: 50,
      processingMs: 100,
      // The soak is about the lake across runs: Marketo's 20-second call window would only add real waits.
      rateLimit: false,
    },
  });
  const clickwrap = await startSimulatorFor('clickwrap', { clickwrap: { now, seed, processingMs: 200 } });
  if (marketo.provider !== 'marketo' || clickwrap.provider !== 'clickwrap') throw new Error('unexpected simulators');
  return {
    clock,
    marketo: marketo.marketo,
    clickwrap: clickwrap.clickwrap,
    env: {
      MARKETO_BASE_URL: marketo.credentials.baseUrl,
      MARKETO_CLIENT_ID: marketo.credentials.clientId,
      MARKETO_CLIENT_SECRET: marketo.credentials.clientSecret,
      CLICKWRAP_API_TOKEN: clickwrap.credentials.apiToken,
      CLICKWRAP_BASE_URL: clickwrap.credentials.baseUrl,
    },
    stop: async () => {
      await Promise.all([marketo.stop(), clickwrap.stop()]);
    },
  };
}
