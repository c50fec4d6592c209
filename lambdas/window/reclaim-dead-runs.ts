// Windows a dead run left behind outside this run's plan: job records whose cancel is pending (a
// cleanup ran but the provider was down), or whose owner has ended without a cleanup (a killed local
// run). The next run of the export recognises them and gives each the undo any failed window gets
// (undo-window.ts). Windows inside the plan are left to StartJob, which resumes their job instead:
// never a second one. A record whose owner may still run (or whose state cannot be told) is left
// alone: an overlapping run finishes or cleans up on its own. First, every publish a dead run began is
// finished (roll-forward.ts), inside the plan or not: this run holds the export's lease, so the run that
// wrote the intent is over, and a reader must not keep seeing its half-published window.
import type { ExportWindow } from '#providers/types';
import type { ExportDefinition } from '#shared/export-definition';
import { redact } from '#shared/redact';
import { listJobRecords, type JobRecord } from './job-record';
import { rollForwardDeadPublishes } from './roll-forward';
import { undoWindows, type OwnedWindow, type UndoTally } from './undo-window';
import type { UndoDeps } from './window-deps';

/** Enough to clear what one dead run leaves, few enough to stay well inside one step's time. */
export const MAX_RECLAIMED_PER_RUN = 10;

export interface ReclaimReport extends UndoTally {
  readonly windows: ExportWindow[];
  /** Windows whose publish a dead run began, finished (landed) here. */
  readonly finishedPublishes: ExportWindow[];
}

export interface ReclaimDeps extends UndoDeps {
  /** Whether an execution has ended: true, false, or undefined when it cannot be told. */
  executionEnded?(executionId: string): Promise<boolean | undefined>;
}

export async function reclaimDeadRunWindows(
  deps: ReclaimDeps,
  def: ExportDefinition,
  run: { executionId?: string; planned: readonly ExportWindow[] },
): Promise<ReclaimReport> {
  const planned = new Set(run.planned.map((w) => `${w.start}/${w.end}`));
  const finishedPublishes: ExportWindow[] = [];
  try {
    for (const { window, result } of await rollForwardDeadPublishes(deps, def.name)) {
      if (result.outcome === 'landed') finishedPublishes.push(window);
    }
  } catch (err) {
    deps.logger.warn('could not list publish intents; unfinished publishes wait for a later run', {
      export: def.name,
      error: redact(String(err)),
    });
  }
  let records: JobRecord[];
  try {
    records = await listJobRecords(deps.store, def.name);
  } catch (err) {
    deps.logger.warn('could not list job records; leftovers wait for a later run', {
      export: def.name,
      error: redact(String(err)),
    });
    records = [];
  }
  const dead: OwnedWindow[] = [];
  for (const record of records) {
    if (dead.length >= MAX_RECLAIMED_PER_RUN) break;
    if (planned.has(`${record.window.start}/${record.window.end}`)) continue;
    const owner = record.executionId;
    if (!owner || owner === run.executionId) continue;
    // A pending cancel is only ever marked by a cleanup, which runs once its run has failed or stopped.
    let over: boolean | undefined = record.cancelPending ? true : undefined;
    try {
      over ??= await deps.executionEnded?.(owner);
    } catch (err) {
      deps.logger.warn("could not tell whether a job record's run has ended; left alone", {
        export: def.name,
        owner,
        error: redact(String(err)),
      });
    }
    if (over === true) dead.push({ window: record.window, owner });
  }
  const { tally } = await undoWindows(deps, def, dead);
  const report: ReclaimReport = { windows: dead.map((d) => d.window), finishedPublishes, ...tally };
  if (report.windows.length > 0 || finishedPublishes.length > 0)
    deps.logger.warn('reclaimed windows a dead run left behind', { export: def.name, ...report });
  return report;
}
