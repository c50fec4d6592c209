// Bulk 2.0 query job states onto the contract's: UploadComplete (queued) → InProgress → JobComplete |
// Failed | Aborted. Any other word fails the poll by name (job-states.ts).
import type { JobStatusMap } from '#providers/job-states';

export const SALESFORCE_JOB_STATES: JobStatusMap = {
  queued: ['UploadComplete', 'Open'],
  running: ['InProgress'],
  succeeded: ['JobComplete'],
  failed: ['Failed'],
  cancelled: ['Aborted'],
};
