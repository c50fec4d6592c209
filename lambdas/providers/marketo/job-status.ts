// Marketo's job record → the provider contract's JobState and RemoteFile.
import { ProviderApiError } from '#shared/errors';
import { jobStateOf, type JobState, type JobStatusMap } from '#providers/job-states';
import type { RemoteFile } from '#providers/types';
import { bulkPaths, type BulkEndpoint } from './bulk-endpoint';
import type { BulkJob } from './envelope';

/** Marketo's job statuses per state. The docs spell it both Canceled and Cancelled; Created is a job not (yet) in the queue. */
export const MARKETO_JOB_STATUSES: JobStatusMap = {
  queued: ['created', 'queued'],
  running: ['processing'],
  succeeded: ['completed'],
  failed: ['failed'],
  cancelled: ['canceled', 'cancelled'],
};

export function normalizeJobState(status: string): JobState {
  return jobStateOf(MARKETO_JOB_STATUSES, status, 'Marketo');
}

const CHECKSUM = /^sha256:([0-9a-f]{64})$/i;

function fileFormat(job: BulkJob): RemoteFile['format'] {
  const format = job.format?.toLowerCase();
  if (format === 'csv' || format === 'tsv' || format === 'ssv') return format;
  throw new ProviderApiError(
    `Marketo job ${job.exportId} completed with format ${JSON.stringify(job.format ?? null)}, expected CSV, TSV or SSV`,
  );
}

/**
 * The files of a Completed job. A job with zero records that states `fileSize` > 0 still has a
 * header-only file, which is downloaded (it carries the columns and checks like any other). A job
 * with `fileSize` 0, or with no `fileSize` and zero records, has no file: there is nothing to fetch.
 */
export function completedJobFiles(type: BulkEndpoint, job: BulkJob): RemoteFile[] {
  if (job.fileSize === 0 || (job.fileSize === undefined && job.numberOfRecords === 0)) return [];
  let sha256: string | undefined;
  if (job.fileChecksum !== undefined) {
    const match = CHECKSUM.exec(job.fileChecksum);
    if (!match?.[1])
      throw new ProviderApiError(`Marketo job ${job.exportId} has a fileChecksum that is not "sha256:<hex>"`);
    sha256 = match[1].toLowerCase();
  }
  return [
    {
      index: 1,
      source: { kind: 'api', path: bulkPaths.file(type, job.exportId) },
      sendCredentials: true,
      ...(job.fileSize !== undefined ? { size: job.fileSize } : {}),
      ...(sha256 !== undefined ? { sha256 } : {}),
      rangeSupport: 'yes',
      format: fileFormat(job),
    },
  ];
}
