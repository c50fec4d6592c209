// Windows a dead run left behind outside this run's plan: job records whose cancel is pending (a
// cleanup ran but the provider was down), or whose owner has ended without a cleanup (a killed local run). The
// next run of the export recognises them and gives each the undo Cleanup gives a failed window: cancel
// the remote job if it still runs, abort the open uploads, remove the files of a window that did not
// land, and drop the record (kept, marked, when the cancel fails). Windows inside the plan are left to
// StartJob, which resumes their job instead: never a second one. A record whose owner may still run
// (or whose state cannot be told) is left alone: an overlapping run finishes or cleans up on its own.
import type { ExportProvider, ExportWindow } from '../providers/types';
import type { ExportDefinition } from '../shared/export-definition';
import { redact } from '../shared/redact';
import { listJobRecords } from './job-records';
import type { WorkflowRuntime } from './runtime';
import { undoWindow } from './steps/cleanup';

/** Enough to clear what one dead run leaves, few enough to stay well inside Plan's time. */
export const MAX_RECLAIMED_PER_RUN = 10;

export interface ReclaimReport {
  readonly windows: ExportWindow[];
  readonly cancelledJobs: string[];
  readonly cancelPendingJobs: string[];
  readonly abortedUploads: number;
  readonly removedObjects: number;
}

export async function reclaimLeftoverWindows(
  rt: WorkflowRuntime,
  def: ExportDefinition,
  provider: ExportProvider,
  run: { executionId?: string; planned: readonly ExportWindow[] },
): Promise<ReclaimReport> {
  const report = { windows: [] as ExportWindow[], cancelledJobs: [] as string[], cancelPendingJobs: [] as string[], abortedUploads: 0, removedObjects: 0 };
  const planned = new Set(run.planned.map((w) => `${w.start}/${w.end}`));
  let records;
  try {
    records = await listJobRecords(rt.store, def.name);
  } catch (err) {
    rt.logger.warn('could not list job records; leftovers wait for a later run', { export: def.name, error: redact(String(err)) });
    return report;
  }
  for (const record of records) {
    if (report.windows.length >= MAX_RECLAIMED_PER_RUN) break;
    if (planned.has(`${record.window.start}/${record.window.end}`)) continue;
    const owner = record.executionId;
    if (!owner || owner === run.executionId) continue;
    // A pending cancel is only ever marked by a cleanup, which runs once its run has failed or stopped.
    let over: boolean | undefined = record.cancelPending ? true : undefined;
    try {
      over ??= await rt.executionEnded?.(owner);
    } catch (err) {
      rt.logger.warn('could not tell whether a job record\'s run has ended; left alone', { export: def.name, owner, error: redact(String(err)) });
    }
    if (over !== true) continue;
    const undone = await undoWindow(rt, def.name, record.window, provider, owner);
    report.windows.push(record.window);
    if (undone.cancelledJob) report.cancelledJobs.push(undone.cancelledJob);
    if (undone.cancelPendingJob) report.cancelPendingJobs.push(undone.cancelPendingJob);
    report.abortedUploads += undone.abortedUploads;
    report.removedObjects += undone.removedObjects;
  }
  if (report.windows.length > 0) {
    rt.logger.warn('reclaimed windows a dead run left behind', { export: def.name, ...report });
    rt.events({ export: def.name, step: 'Plan', message: `reclaimed ${report.windows.length} window(s) a dead run left behind` });
  }
  return report;
}
