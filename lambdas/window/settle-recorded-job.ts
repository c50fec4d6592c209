// What becomes of a window's job record when its run ends without landing the window. The record is
// the only place the remote job's id survives, so it goes only once nothing remains to do at the
// provider: the cancel happened, or the provider cannot cancel (Clickwrap) and the job just expires.
// A cancel that failed (the provider is down) keeps the record, marked, so the next run of the window
// resumes that job instead of creating a second one, and a later cleanup tries the cancel again.
import type { ExportProvider, ExportWindow } from '#providers/types';
import type { Logger } from '#shared/logger';
import { redact } from '#shared/redact';
import type { ObjectStore } from '#transfer/object-store';
import { deleteJobRecord, markCancelPending, type JobRecord } from './job-record';

export type JobSettlement =
  /** The provider was asked and agreed. */
  | { readonly outcome: 'cancelled'; readonly jobId: string }
  /** The job had already ended (completed, failed or cancelled): nothing to cancel. */
  | { readonly outcome: 'ended'; readonly jobId: string }
  /** The provider has no cancel route: nothing was asked, the job expires on its own. */
  | { readonly outcome: 'not-cancellable'; readonly jobId: string }
  /** The cancel failed or could not be tried: the record stays, marked `cancelPending`. */
  | { readonly outcome: 'cancel-pending'; readonly jobId: string; readonly reason: string };

export async function settleRecordedJob(
  deps: { store: ObjectStore; logger: Logger; now: Date },
  exportName: string,
  window: ExportWindow,
  record: JobRecord,
  provider: ExportProvider | undefined,
): Promise<JobSettlement> {
  const jobId = record.job.id;
  let settlement: JobSettlement;
  if (!provider) {
    settlement = { outcome: 'cancel-pending', jobId, reason: 'the provider could not be built' };
  } else {
    try {
      const outcome = await provider.cancelJob(record.job);
      settlement = { outcome: outcome === 'unsupported' ? 'not-cancellable' : outcome, jobId };
    } catch (err) {
      settlement = { outcome: 'cancel-pending', jobId, reason: redact(String(err)) };
    }
  }
  if (settlement.outcome === 'cancel-pending') {
    deps.logger.error('cleanup could not cancel the job; its record stays, marked cancelPending', {
      export: exportName,
      window,
      jobId,
      reason: settlement.reason,
    });
    try {
      await markCancelPending(deps.store, exportName, window, record, deps.now, settlement.reason);
    } catch (err) {
      // The record stays either way (it is not deleted): unmarked, it is still resumed by the next run.
      deps.logger.error('could not mark the job record cancelPending', {
        export: exportName,
        window,
        jobId,
        error: redact(String(err)),
      });
    }
  } else {
    try {
      await deleteJobRecord(deps.store, exportName, window);
    } catch (err) {
      // The provider side is settled and the report must say so; a record left behind names a job that
      // no longer runs, which the next run of the window finds ended and replaces.
      deps.logger.error('cleanup could not delete the job record', {
        export: exportName,
        window,
        jobId,
        error: redact(String(err)),
      });
    }
  }
  return settlement;
}
