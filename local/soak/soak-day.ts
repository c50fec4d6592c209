// One simulated day of a soak: the simulators' clock set to the day, that day's faults switched on, the
// scheduled run of each export started as a child (`run --as-of`), a kill point armed where the
// calendar says, and on the backfill day a manual `run --from --to` overlapping the scheduled run.
import { startChildRun, type ChildRun } from './child-run';
import { lineKillPoint } from './kill-points';
import { recordRun, type RunRecord } from './run-record';
import { quarantinedWindows } from './soak-evidence';
import { SOAK_EXPORTS, type SoakCalendar, type SoakExport } from './soak-calendar';
import type { SoakMonth } from './soak-config';
import type { SoakSimulators } from './soak-simulators';

export interface SoakPaths {
  readonly repoRoot: string;
  readonly store: string;
  readonly config: string;
  readonly events: string;
}

export interface DayRecord {
  readonly day: number;
  /** The faults switched on for this day, in words. */
  readonly faults: readonly string[];
  readonly runs: readonly RunRecord[];
}

/** Every Marketo file of a soak is cut about every MiB for conversion: a window converts in several splits. */
const SPLIT_BYTES = 1024 * 1024;
/** About 10 s per Marketo file of the backfill. */
const BACKFILL_BYTES_PER_SECOND = 256 * 1024;
/** The value the poisoned window carries in a timestamp column: no type accepts it. */
export const POISON = { field: 'created_time', value: 'last tuesday' } as const;

export async function runSoakDay(
  day: number,
  calendar: SoakCalendar,
  month: SoakMonth,
  sims: SoakSimulators,
  paths: SoakPaths,
): Promise<DayRecord> {
  sims.clock.set(month.asOf(SOAK_EXPORTS.marketo, day));
  const faults = switchFaults(day, calendar, month, sims);
  const common = [
    '--attach-simulator',
    '--out',
    paths.store,
    '--config',
    paths.config,
    '--events',
    paths.events,
    '--max-wait',
    '5m',
    '--split-bytes',
    String(SPLIT_BYTES),
  ];
  const scheduled = (exportName: SoakExport) => {
    const asOf = month.asOf(exportName, day).toISOString();
    const kill = calendar.kills.find((k) => k.day === day && k.export === exportName);
    const killPoint = kill ? lineKillPoint(kill.at) : undefined;
    const child = startChildRun(paths.repoRoot, ['run', exportName, '--as-of', asOf, ...common], sims.env, killPoint);
    return {
      child,
      meta: { export: exportName, kind: 'scheduled' as const, asOf, ...(kill ? { killPoint: kill.at } : {}) },
    };
  };
  const started: { child: ChildRun; meta: Parameters<typeof recordRun>[0] }[] = [];
  if (calendar.backfillDay === day) {
    // The backfill takes the export first (its Plan has reported), then the scheduled run starts beside it;
    // slow file bodies keep the backfill busy long enough for the two to overlap.
    const { from, to } = backfillRange(day, month);
    sims.marketo.faults.slowBytesPerSecond = BACKFILL_BYTES_PER_SECOND;
    faults.push(`manual backfill ${from} → ${to} of ${SOAK_EXPORTS.marketo} overlapping its scheduled run`);
    const backfill = startChildRun(
      paths.repoRoot,
      ['run', SOAK_EXPORTS.marketo, '--from', from, '--to', to, ...common],
      sims.env,
    );
    started.push({ child: backfill, meta: { export: SOAK_EXPORTS.marketo, kind: 'backfill' } });
    await backfill.lineMatching(/^• Plan: /);
  }
  started.push(scheduled(SOAK_EXPORTS.marketo), scheduled(SOAK_EXPORTS.clickwrap));
  const runs: RunRecord[] = [];
  for (const { child, meta } of started) runs.push(recordRun(meta, await child.done));
  if (calendar.poison?.until === day) runs.push(...(await retryQuarantined(paths, common, sims, faults)));
  clearFaults(sims);
  return { day, faults, runs };
}

function switchFaults(day: number, calendar: SoakCalendar, month: SoakMonth, sims: SoakSimulators): string[] {
  const said: string[] = [];
  const { poison } = calendar;
  if (poison && day === poison.from) {
    const window = month.windowOf(poison.from);
    sims.clickwrap.faults.poison = { ...POISON, atMs: Date.parse(window.start) + 3_600_000 };
    said.push(`poison value in ${SOAK_EXPORTS.clickwrap} window ${window.start} (${POISON.field} = "${POISON.value}")`);
  }
  if (poison && day === poison.until) {
    delete sims.clickwrap.faults.poison;
    said.push(`poison value removed from ${SOAK_EXPORTS.clickwrap} window ${month.windowOf(poison.from).start}`);
  }
  if (calendar.outageDay === day) {
    sims.marketo.faults.injectErrors = [{ code: 'http503', times: 1_000_000 }];
    said.push('Marketo outage: every call answers 503 during the run');
  }
  if (calendar.quotaDay === day) {
    sims.marketo.faults.injectErrors = [
      { code: '1029', message: 'Export daily quota 500MB exceeded', times: 1, kinds: ['enqueue'] },
    ];
    said.push('Marketo export quota spent (1029 on enqueue)');
  }
  for (const kill of calendar.kills.filter((k) => k.day === day)) said.push(`SIGKILL ${kill.export} at ${kill.at}`);
  return said;
}

/**
 * The operator's part once the poison is fixed: a window quarantined while it was poisoned waits for a
 * `retry` (scheduled runs leave it alone), so the soak retries each one as the README tells an operator to.
 */
async function retryQuarantined(
  paths: SoakPaths,
  common: readonly string[],
  sims: SoakSimulators,
  said: string[],
): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for (const q of await quarantinedWindows(paths.store, [SOAK_EXPORTS.clickwrap])) {
    said.push(
      `quarantined after ${q.attempts} attempts (${q.reason.slice(0, 120)}): retry ${q.export} --window ${q.start}`,
    );
    const child = startChildRun(paths.repoRoot, ['retry', q.export, '--window', q.start, ...common], sims.env);
    runs.push(recordRun({ export: q.export, kind: 'retry' }, await child.done));
  }
  return runs;
}

/** Outage, quota and slow bodies last one day; the poison stays until its day of removal. */
function clearFaults(sims: SoakSimulators): void {
  delete sims.marketo.faults.injectErrors;
  delete sims.marketo.faults.slowBytesPerSecond;
}

/** Two windows landed days before (after the quota day's window, whose single job the soak counts). */
export function backfillRange(day: number, month: SoakMonth): { from: string; to: string } {
  return { from: month.windowOf(day - 3).start, to: month.windowOf(day - 1).start };
}
