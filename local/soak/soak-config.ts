// The pipeline config a soak runs: a Marketo activities export and a Clickwrap export, both daily on a
// schedule, starting the day before the simulated month. The replayed instant of each day's run is that
// day at the export's schedule time.
import { writeFileSync } from 'node:fs';
import { SOAK_EXPORTS, type SoakExport } from './soak-calendar';

const DAY_MS = 86_400_000;

/** Daily schedule times (UTC) of the two exports, as their cron expressions say. */
const SCHEDULE: Record<SoakExport, { hour: number; minute: number }> = {
  [SOAK_EXPORTS.marketo]: { hour: 2, minute: 15 },
  [SOAK_EXPORTS.clickwrap]: { hour: 3, minute: 0 },
};

export interface SoakMonth {
  /** Midnight UTC before day 1: the exports' first start. */
  readonly firstStart: Date;
  /** The instant of `exportName`'s scheduled run on `day` (1-based). */
  asOf(exportName: SoakExport, day: number): Date;
  /** The window a scheduled run on `day` is due to land: the day before it. */
  windowOf(day: number): { start: string; end: string };
}

/** A month of `days` days ending yesterday (UTC), so every replayed instant is in the past. */
export function soakMonth(days: number, today: Date = new Date()): SoakMonth {
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const firstStart = new Date(midnight - (days + 1) * DAY_MS);
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return {
    firstStart,
    asOf: (exportName, day) => {
      const { hour, minute } = SCHEDULE[exportName];
      return new Date(firstStart.getTime() + day * DAY_MS + (hour * 60 + minute) * 60_000);
    },
    windowOf: (day) => ({
      start: iso(firstStart.getTime() + (day - 1) * DAY_MS),
      end: iso(firstStart.getTime() + day * DAY_MS),
    }),
  };
}

export function writeSoakConfig(file: string, month: SoakMonth): void {
  const firstStart = month.firstStart.toISOString().slice(0, 10);
  const cron = (e: SoakExport) => `cron(${SCHEDULE[e].minute} ${SCHEDULE[e].hour} * * ? *)`;
  const config = {
    eventSource: 'bulk-export',
    retainData: true,
    exports: [
      {
        name: SOAK_EXPORTS.marketo,
        provider: 'marketo',
        dataset: 'activities',
        secretName: 'bulk-export/marketo',
        request: { format: 'CSV' },
        window: { grain: 'day', lagMinutes: 60, firstStart },
        schedule: { expression: cron(SOAK_EXPORTS.marketo), timezone: 'UTC' },
      },
      {
        name: SOAK_EXPORTS.clickwrap,
        provider: 'clickwrap',
        dataset: 'activities',
        secretName: 'bulk-export/clickwrap',
        request: {
          fields: ['id', 'signer_id', 'created_time', 'event_type', 'site', 'contract', 'version'],
          // The simulator's file host is on loopback, like its API.
          allowedLinkHosts: ['*.ironcladapp.com', '127.0.0.1'],
        },
        window: { grain: 'day', lagMinutes: 60, firstStart },
        schedule: { expression: cron(SOAK_EXPORTS.clickwrap), timezone: 'UTC' },
      },
    ],
  };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}
